"""Limits that keep a hostile or broken file from exhausting the machine.

Nothing in a file is executed: macros are never run, formulas are read as their cached values
or not at all, and zip containers are measured before anything is decompressed.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import time
import zipfile
from collections.abc import Iterator

from django.conf import settings

from qingdan.ingest.problems import IngestError, fail
from qingdan.ingest.raw import SourcePos


def check_size(name: str, size: int) -> None:
    limit = settings.QINGDAN_MAX_FILE_BYTES
    if size > limit:
        raise fail(
            SourcePos(name),
            f"文件大小 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB",
            hint="请拆分文件，或调整设置 QINGDAN_MAX_FILE_BYTES",
        )
    if size == 0:
        raise fail(SourcePos(name), "文件是空的", hint="请确认导出或下载是否完整")


def open_zip(name: str, data: bytes, what: str) -> zipfile.ZipFile:
    """Open an Office zip container after checking its declared and real sizes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise fail(
            SourcePos(name),
            f"不是有效的 {what} 文件（压缩包已损坏或被截断）",
            hint="请重新保存或导出后再导入",
        ) from exc
    limit = settings.QINGDAN_MAX_UNZIPPED_BYTES
    total = sum(i.file_size for i in infos)
    if total > limit or len(infos) > 10_000:
        raise fail(
            SourcePos(name),
            f"{what} 文件解压后大小 {total / 1048576:.0f} MB，超过上限 {limit / 1048576:.0f} MB（疑似压缩炸弹）",
            hint="此文件不会被导入",
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > 200 and info.file_size > 1_000_000:
            raise fail(
                SourcePos(name),
                f"{what} 文件中「{info.filename}」压缩比异常（疑似压缩炸弹）",
                hint="此文件不会被导入",
            )
    return archive


@contextlib.contextmanager
def parse_budget(name: str) -> Iterator[None]:
    """Refuse a file whose reading takes longer than QINGDAN_PARSE_SECONDS (0: no limit).

    A timer signal interrupts the reading between Python steps; it can only be set in the main
    thread, which is where the command line and gunicorn's sync workers read files."""
    seconds = settings.QINGDAN_PARSE_SECONDS
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def too_long() -> IngestError:
        return fail(
            SourcePos(name),
            f"读取时间超过上限 {seconds:g} 秒，已停止",
            hint="文件过大或结构异常；请拆分文件，或调整设置 QINGDAN_PARSE_SECONDS",
        )

    expired: list[bool] = []

    def stop(*_: object) -> None:
        expired.append(True)
        raise too_long()

    previous = signal.signal(signal.SIGALRM, stop)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # a caller's own timer goes on running
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
    if expired:
        # the signal arrived while a gc callback or a __del__ ran (hypothesis installs one), where
        # an exception is swallowed: the reading went on to the end, but it still took too long
        raise too_long()
