"""The log file in the data directory."""

from __future__ import annotations

from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path


class DataDirFileHandler(RotatingFileHandler):
    """A rotating log file whose directory is made when the first record is written, so that a
    fresh data directory needs no setup step."""

    def _open(self) -> TextIOWrapper:  # type: ignore[type-arg, unused-ignore]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()
