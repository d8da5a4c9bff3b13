"""Old binary formats (.doc/.wps/.xls/.et/.dps), converted with LibreOffice when it is installed.

Conversion runs headless in a private profile and temporary directory, with a time limit and
no shell; the converted .docx/.xlsx is then read by the ordinary readers under the original name.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import RawDocument, SourcePos

_TARGET = {".xls": "xlsx", ".et": "xlsx"}
_INSTALL = "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer libreoffice-calc），或用 Word/WPS 另存为 .docx/.xlsx 后再导入"


def find_soffice() -> str | None:
    configured = settings.QINGDAN_SOFFICE
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(name: str, data: bytes) -> RawDocument:
    suffix = Path(name).suffix.lower()
    target = _TARGET.get(suffix, "docx")
    soffice = find_soffice()
    if soffice is None:
        raise fail(
            SourcePos(name),
            f"这是旧版 Office/WPS 格式（{suffix or '未知扩展名'}），需要 LibreOffice 才能转换",
            hint=_INSTALL,
        )
    converted = _convert(soffice, name, data, target)
    if target == "xlsx":
        from qingdan.ingest.readers.xlsx import read as read_converted
    else:
        from qingdan.ingest.readers.docx import read as read_converted
    doc = read_converted(name, converted)
    return doc


def _convert(soffice: str, name: str, data: bytes, target: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="qingdan-soffice-") as tmp:
        source = Path(tmp) / f"input{Path(name).suffix.lower() or '.doc'}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(Path(tmp) / "out"),
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise fail(
                SourcePos(name),
                f"LibreOffice 转换失败：{exc}",
                hint="请用 Word/WPS 另存为 .docx/.xlsx 后再导入",
            ) from exc
        outputs = list((Path(tmp) / "out").glob(f"*.{target}"))
        if not outputs:
            tail = result.stderr.decode("utf-8", "replace").strip()[-300:]
            raise fail(
                SourcePos(name), f"LibreOffice 未能转换此文件：{tail or '无输出'}", hint="文件可能已损坏"
            )
        return outputs[0].read_bytes()
