"""Old binary formats (.doc/.wps/.xls/.et), converted with LibreOffice when it is installed.

Conversion runs headless in a fresh temporary directory with a private profile (so parallel
imports never share a LibreOffice instance), with a time limit and no shell; the converted
.docx/.xlsx is then read by the ordinary readers under the original file name, so every
position names the file the user gave.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path

from django.conf import settings

from qingdan.errors import os_error_text
from qingdan.ingest.problems import IngestError, fail
from qingdan.ingest.raw import RawDocument, SourcePos

CONVERT_TIMEOUT = 120  # seconds; a list of a few hundred pages converts in well under ten

WORD, EXCEL, SLIDES = "docx", "xlsx", "pptx"
_BY_SUFFIX = {".doc": WORD, ".wps": WORD, ".xls": EXCEL, ".et": EXCEL, ".dps": SLIDES, ".ppt": SLIDES}
# the name of the main stream in an OLE compound file's directory (UTF-16LE)
_STREAMS = (
    ("WordDocument".encode("utf-16-le"), WORD),
    ("Workbook".encode("utf-16-le"), EXCEL),
    ("PowerPoint Document".encode("utf-16-le"), SLIDES),
)
_DESCRIPTION = {WORD: "旧版 Word/WPS 格式", EXCEL: "旧版 Excel/WPS 表格格式", SLIDES: "演示文稿格式"}
_FILTER = {WORD: "docx:MS Word 2007 XML", EXCEL: "xlsx:Calc MS Excel 2007 XML"}
_SAVE_AS = "或用 Word/WPS 另存为 .docx/.xlsx 后再导入"
_INSTALL = (
    f"请安装 LibreOffice（Debian/Ubuntu: apt-get install libreoffice-writer libreoffice-calc），{_SAVE_AS}"
)


def read(name: str, data: bytes) -> RawDocument:
    """The document inside an old-format file, read after converting it to .docx/.xlsx."""
    target = target_of(name, data)
    if target == SLIDES:
        raise fail(
            SourcePos(name),
            f"这是{_DESCRIPTION[SLIDES]}（{_suffix(name)}），其中的表格无法直接导入",
            hint="请把表格复制到 Word 或 Excel，另存为 .docx/.xlsx 后再导入",
        )
    soffice = find_soffice()
    if soffice is None:
        raise _no_soffice(name, target)
    return _read_converted(name, target, convert(soffice, name, data, target))


def target_of(name: str, data: bytes) -> str:
    """docx, xlsx or pptx: by the streams an OLE file holds, else by its suffix.

    The suffix wins when its stream is present (a Word file may embed a workbook); the content
    wins when it contradicts the suffix (an .xls saved under .doc).
    """
    expected = _BY_SUFFIX.get(Path(name).suffix.lower(), WORD)
    found = [kind for stream, kind in _STREAMS if stream in data]
    return expected if not found or expected in found else found[0]


def find_soffice() -> str | None:
    """LibreOffice's executable: settings.QINGDAN_SOFFICE, else soffice/libreoffice on PATH."""
    configured = settings.QINGDAN_SOFFICE
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def _suffix(name: str) -> str:
    return Path(name).suffix.lower() or "无扩展名"


def _no_soffice(name: str, target: str) -> IngestError:
    message = f"这是{_DESCRIPTION[target]}（{_suffix(name)}），需要 LibreOffice 才能转换"
    if settings.QINGDAN_SOFFICE:
        message += f"，但设置 QINGDAN_SOFFICE 指向的「{settings.QINGDAN_SOFFICE}」不存在或不可执行"
    return fail(SourcePos(name), message, hint=_INSTALL)


def convert(soffice: str, name: str, data: bytes, target: str) -> bytes:
    """``data`` converted to ``target`` (docx or xlsx; or pdf, html or a LibreOffice filter such as
    ``pdf:writer_pdf_Export:{…}`` for renderings of a document) by LibreOffice, as bytes."""
    with tempfile.TemporaryDirectory(prefix="qingdan-soffice-") as tmp:
        work = Path(tmp)
        # a fixed, harmless name: the user's file name could start with "-" or hold anything
        source = work / f"source{_source_suffix(name, target)}"
        source.write_bytes(data)
        stderr = _run(name, _command(soffice, work, source, target))
        output = work / "out" / f"source.{target.split(':')[0]}"  # pdf:writer_pdf_Export:{…} → .pdf
        if not output.is_file():
            raise fail(
                SourcePos(name),
                f"LibreOffice 未能转换此文件：{stderr or '没有输出'}",
                hint=f"文件可能已损坏或加了密码；{_SAVE_AS}",
            )
        return output.read_bytes()


def _source_suffix(name: str, target: str) -> str:
    suffix = Path(name).suffix.lower()
    if target not in _FILTER:
        return suffix  # a rendering (pdf, html) of a document in any format
    return suffix if suffix in _BY_SUFFIX else {WORD: ".doc", EXCEL: ".xls"}[target]


def _command(soffice: str, work: Path, source: Path, target: str) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        _FILTER.get(target, target),
        "--outdir",
        str(work / "out"),
        str(source),
    ]


def _run(name: str, command: list[str]) -> str:
    """Run LibreOffice without a shell; the tail of what it said, for an error message."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so a timeout can end all of it
        )
    except OSError as exc:
        raise fail(SourcePos(name), f"无法启动 LibreOffice（{os_error_text(exc)}）", hint=_INSTALL) from exc
    try:
        stdout, stderr = process.communicate(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        _end_group(process)
        raise fail(
            SourcePos(name),
            f"LibreOffice 转换超过 {CONVERT_TIMEOUT} 秒仍未完成，已中止",
            hint=f"文件可能过大或已损坏；{_SAVE_AS}",
        ) from exc
    return _tail(stderr) or _tail(stdout)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _tail(output: bytes, limit: int = 300) -> str:
    text = output.decode("utf-8", "replace").strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def _read_converted(name: str, target: str, data: bytes) -> RawDocument:
    # imported here: the docx/xlsx readers pull in python-docx/openpyxl, needed only now
    if target == EXCEL:
        from qingdan.ingest.readers.xlsx import read as read_xlsx

        return read_xlsx(name, data)
    from qingdan.ingest.readers.docx import read as read_docx

    return read_docx(name, data)
