"""Bad input gets a clear Chinese message naming the file (and row), never a traceback, and
leaves the registry unchanged."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from click.testing import CliRunner

from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import import_list
from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError


def refuse(name: str, data: bytes) -> str:
    with pytest.raises(IngestError) as exc:
        load_bytes(name, data)
    message = str(exc.value)
    assert f"「{name}」" in message
    return message


def test_it_refuses_an_empty_file():
    assert "空的" in refuse("清单.txt", b"")


@pytest.mark.parametrize("name", ["清单.txt", "清单.csv", "清单.json", "清单.docx", "清单.xlsx"])
def test_it_refuses_random_bytes(name):
    refuse(name, random.Random(1).randbytes(5000))


@pytest.mark.parametrize("prefix", ["000", "002"])
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_refuses_a_truncated_office_file(seed_bytes, prefix, fmt):
    from qingdan.catalog.exports import export_record

    record = load_bytes(*seed_bytes("002")).record
    data = export_record(record, fmt)
    assert "损坏或被截断" in refuse(f"清单.{fmt}", data[: len(data) // 2])


def test_it_refuses_prose(seed_bytes):
    assert "没有找到责任清单的表格" in refuse("说明.txt", "这是一段说明文字。\n没有表格。\n".encode())


def test_it_reads_gbk_and_utf16_like_utf8(seed_bytes):
    name, data = seed_bytes("002")
    text = data.decode("utf-8")
    expected = load_bytes(name, data).record.to_json()
    for encoding in ("gb18030", "utf-16", "utf-8-sig"):
        assert load_bytes(name, text.encode(encoding)).record.to_json() == expected


def test_it_names_the_line_of_broken_json():
    message = refuse("权力清单.json", b'[{"name": "a"},\n {"name": }]')
    assert "第 2 行" in message and "JSON" in message


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.QINGDAN_MAX_FILE_BYTES = 1000
    assert "超过上限" in refuse("大文件.txt", b"\t" * 2000)


def test_it_refuses_a_zip_bomb_disguised_as_docx():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(300):
            member.write(chunk)
    assert len(buffer.getvalue()) < 2_000_000
    assert "压缩炸弹" in refuse("清单.docx", buffer.getvalue())


def test_it_explains_pdf_and_legacy_formats(settings):
    assert "PDF" in refuse("清单.pdf", b"%PDF-1.7\n...")
    settings.QINGDAN_SOFFICE = "/nonexistent/soffice"
    assert "LibreOffice" in refuse("清单.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


@pytest.mark.django_db
def test_it_leaves_the_registry_unchanged_when_a_file_fails(seed_bytes, tmp_path):
    from qingdan.cli import main

    import_list(load_bytes(*seed_bytes("002")).record)
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert "坏文件.xlsx" in result.output and "Traceback" not in result.output
    assert ListVersion.objects.count() == 1
