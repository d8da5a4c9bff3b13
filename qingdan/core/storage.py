"""Telling a full disk from other failures, so that people read what to do instead of a traceback.

A write that fails this way is inside a transaction, so nothing of it is stored; what is said
depends only on whether the list or only the search index was being written.
"""

from __future__ import annotations

import errno

from django.db import DatabaseError

DISK_FULL = "磁盘空间已满（或超出了文件大小限制），无法写入"
_DB_SIGNS = ("disk is full", "disk i/o error", "no space left", "could not extend file", "file too large")
_INDEX_SIGNS = ("io::error", "index writer was killed", "no space left")


def is_disk_full(exc: BaseException) -> bool:
    """True for an error that says the disk (or the process's file size limit) is exhausted."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    text = str(exc).lower()
    if isinstance(exc, DatabaseError):
        return any(sign in text for sign in _DB_SIGNS)
    return isinstance(exc, ValueError) and any(sign in text for sign in _INDEX_SIGNS)  # tantivy
