"""The log file in the data directory."""

from __future__ import annotations

import logging
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path


class DataDirFileHandler(RotatingFileHandler):
    """A rotating log file whose directory is made when the first record is written, so that a
    fresh data directory needs no setup step."""

    def _open(self) -> TextIOWrapper:  # type: ignore[type-arg, unused-ignore]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


class ConsoleFormatter(logging.Formatter):
    """stderr: the whole record for a server's operator; on the command line (``BRIEF``, set by
    the CLI) the message alone — a person at a terminal never sees a traceback, the log file
    in the data directory keeps it."""

    BRIEF = False

    def format(self, record: logging.LogRecord) -> str:
        if not ConsoleFormatter.BRIEF or not (record.exc_info or record.exc_text):
            return super().format(record)
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += f"（{type(record.exc_info[1]).__name__}，详情见数据目录中的 logs/qingdan.log）"
        return f"{record.levelname} {record.name}: {message}"
