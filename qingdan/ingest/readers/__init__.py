"""Pick the reader for a file by its content (not only its name) and run it.

Every reader has the signature ``read(name: str, data: bytes) -> RawDocument`` and only reads:
it returns paragraphs and tables with their positions and never interprets them.
"""

from __future__ import annotations

import stat
from pathlib import Path

from django.conf import settings

from qingdan.errors import os_error_text
from qingdan.ingest.problems import fail
from qingdan.ingest.raw import RawDocument, SourcePos
from qingdan.ingest.safety import check_size

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_SUFFIXES = {".doc", ".wps", ".xls", ".et", ".dps"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
HTML_STARTS = (b"<!doctype html", b"<html", b"<meta", b"<table", b"<head", b"<body", b"<?xml")


def sniff(name: str, data: bytes) -> str:
    """The reader kind for a file: docx, xlsx, legacy, html, pdf, json, jsonl, csv or text."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4096] or suffix == ".docx":
            return "docx"
        if b"xl/" in data[:4096] or suffix in {".xlsx", ".xlsm"}:
            return "xlsx"
        return "docx" if suffix == ".docx" else "xlsx" if suffix == ".xlsx" else "zip"
    if suffix in {".docx", ".xlsx", ".xlsm"}:
        return "docx" if suffix == ".docx" else "xlsx"  # not a zip: the reader says it is damaged
    if data.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if suffix in HTML_SUFFIXES or (suffix in LEGACY_SUFFIXES | {""} and looks_like_html(data)):
        return "html"  # platforms export HTML tables under .xls/.doc
    if data.startswith(OLE_MAGIC) or suffix in LEGACY_SUFFIXES:
        return "legacy"
    if suffix == ".pdf":
        return "pdf"  # not a PDF inside: the reader says it is damaged
    if suffix in {".json", ".jsonl", ".ndjson", ".csv", ".tsv"}:
        return {".ndjson": "jsonl", ".tsv": "csv"}.get(suffix, suffix[1:])
    return "text"


def looks_like_html(data: bytes) -> bool:
    """True when ``data`` starts with markup (<!DOCTYPE html>, <html>, <meta>, <table>, …) or
    opens with a tag and has <html> or <table> near the start."""
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(HTML_STARTS):
        return True
    return head.startswith(b"<") and any(tag in data[:4096].lower() for tag in (b"<html", b"<table"))


def read_bytes(name: str, data: bytes) -> RawDocument:
    """Read a file's bytes into a RawDocument, or raise IngestError naming the file."""
    check_size(name, len(data))
    kind = sniff(name, data)
    if kind == "docx":
        from qingdan.ingest.readers.docx import read
    elif kind == "xlsx":
        from qingdan.ingest.readers.xlsx import read
    elif kind == "legacy":
        from qingdan.ingest.readers.legacy import read
    elif kind in {"json", "jsonl", "csv"}:
        from qingdan.ingest.readers.tabular import read
    elif kind == "text":
        from qingdan.ingest.readers.text import read
    elif kind == "html":
        from qingdan.ingest.readers.html import read
    elif kind == "pdf":
        from qingdan.ingest.readers.pdf import read
    else:
        raise fail(
            SourcePos(name),
            "无法识别的文件格式",
            hint="支持 .txt .docx .xlsx .doc .xls .wps .et .html .pdf .csv .json .jsonl",
        )
    return read(name, data)


def read_path_bytes(path: Path) -> bytes:
    """A file's bytes, after checking it is a regular file within the size limit. Reads at most
    one byte past the limit, so a device (/dev/zero), a pipe or a file still growing cannot run on."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise fail(
                SourcePos(path.name),
                "不是普通文件（而是目录、设备或管道），无法导入",
                hint="请指定一个清单文件；导入整个目录时写目录名即可",
            )
        check_size(path.name, info.st_size)
        with path.open("rb") as file:
            data = file.read(settings.QINGDAN_MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(
            SourcePos(path.name),
            f"无法读取文件：{os_error_text(exc, with_file=False)}",
            hint="请检查路径和权限",
        ) from exc
    check_size(path.name, len(data))
    return data
