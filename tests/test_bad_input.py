"""Bad input gets a clear Chinese message naming the file (and the line where there is one),
never a traceback, and leaves the registry unchanged.

Most cases go through ``read_bytes``, the readers' one entry point; the last ones go through the
whole import to show that nothing half-read reaches the registry.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import import_list
from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.readers import legacy, read_bytes
from tests.conftest import refuse

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refuse_import(name: str, data: bytes) -> str:
    with pytest.raises(IngestError) as exc:
        load_bytes(name, data)
    message = str(exc.value)
    assert f"「{name}」" in message
    return message


# --- files that are not what they claim ------------------------------------------------------


@pytest.mark.parametrize("name", ["清单.txt", "清单.csv", "清单.json", "清单.jsonl"])
def test_it_refuses_an_empty_file(name):
    assert "文件是空的" in refuse(name, b"")


@pytest.mark.parametrize("name", ["清单.txt", "清单.csv", "清单.json"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_refuses_random_bytes(name, seed):
    data = random.Random(seed).randbytes(5000)
    assert "不是文本文件" in refuse(name, data)
    assert "解码" in refuse(name, data.replace(b"\0", b""))  # no NUL: still neither UTF-8 nor GB18030


@pytest.mark.parametrize(("name", "kind"), [("清单.docx", "Word"), ("清单.xlsx", "Excel")])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_refuses_random_bytes_named_as_an_office_file(name, kind, seed):
    assert f"不是有效的 {kind} 文件" in refuse(name, random.Random(seed).randbytes(5000))


def test_it_refuses_gbk_text_behind_a_utf8_bom():
    data = b"\xef\xbb\xbf" + "事项名称,实施主体\n技术合同认定登记,科技局\n".encode("gbk")
    assert "无法按 utf-8-sig 解码" in refuse("权力清单.csv", data)


def test_it_refuses_a_gbk_csv_saved_as_json_at_its_first_character():
    data = "事项名称,实施主体\n技术合同认定登记,科技局\n".encode("gbk")
    assert "第 1 行, 第 1 列: JSON 格式错误" in refuse("权力清单.json", data)


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.QINGDAN_MAX_FILE_BYTES = 1000
    message = refuse("权力清单.csv", b"a,b\n" * 300)
    assert "超过上限" in message and "QINGDAN_MAX_FILE_BYTES" in message


def test_it_refuses_a_pdf_that_is_only_a_header():
    message = refuse("清单.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert "PDF 文件，文件内容已损坏或被截断" in message and "另存为 .docx" in message


# --- JSON ------------------------------------------------------------------------------------


def test_it_names_the_line_and_column_of_broken_json():
    message = refuse("权力清单.json", b'[{"name": "a"},\n {"name": }]')
    assert message.startswith("「权力清单.json」, 第 2 行, 第 11 列: JSON 格式错误：缺少值")


def test_it_names_the_line_of_an_unterminated_string():
    message = refuse("权力清单.json", '[{"事项名称": "认定\n"}]'.encode())
    assert "第 1 行" in message and "控制字符" in message


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"code": 200, "msg": "ok"}, "没有找到事项记录"),
        ("事项名称", "没有找到事项记录"),
        ([{"事项名称": "认定"}, ["认定"]], "第 2 行: 第 2 条记录应为 JSON 对象"),
        (
            {"data": {"list": [{"事项名称": "认定"}, "认定"]}},
            "第 2 条记录应为 JSON 对象（{…}），实际是字符串",
        ),
        ({"code": 200, "data": {"total": 0, "list": []}}, "没有任何事项记录"),
    ],
)
def test_it_refuses_json_that_is_not_a_list_of_objects(doc, expected):
    assert expected in refuse("权力清单.json", json.dumps(doc, ensure_ascii=False).encode())


def test_it_refuses_a_qingdan_exchange_document_given_to_the_table_reader():
    data = json.dumps({"format": "qingdan/1", "department": "青山县科学技术局"}, ensure_ascii=False)
    assert "qingdan 交换格式（qingdan/1）" in refuse("导出.json", data.encode())


def test_it_names_the_jsonl_line_that_is_not_an_object():
    data = '{"事项名称": "认定"}\n\n["认定"]\n'.encode()
    assert "「权力清单.jsonl」, 第 3 行: 这一行应为 JSON 对象" in refuse("权力清单.jsonl", data)


def test_it_names_the_jsonl_line_that_is_not_json():
    data = '{"事项名称": "认定"}\n{"事项名称": "登记",}\n'.encode()
    assert "第 2 行, 第 15 列: JSON 格式错误" in refuse("权力清单.ndjson", data)


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["\ufeff".encode(), b"\r\n\r\n", b",,,\r\n,,\r\n"])
def test_it_refuses_a_csv_without_content(data):
    assert "CSV 文件中没有任何内容" in refuse("权力清单.csv", data)


def test_it_refuses_a_csv_without_a_header_row():
    data = "青山县科学技术局权力清单\n技术合同认定登记，科技局\n".encode()
    assert "没有表头行" in refuse("权力清单.csv", data)


def test_it_names_the_line_where_a_quote_is_left_open():
    data = '事项名称,实施主体\n认定,科技局\n"登记,科技局\n检查,科技局\n'.encode()
    assert "第 3 行: 从这一行开始的英文双引号没有闭合" in refuse("权力清单.csv", data)


# --- old formats -----------------------------------------------------------------------------


@pytest.fixture
def no_soffice(settings, monkeypatch, tmp_path):
    settings.QINGDAN_SOFFICE = ""
    monkeypatch.setenv("PATH", str(tmp_path))


def test_it_asks_for_libreoffice_to_read_an_old_word_file(no_soffice):
    assert refuse("x.doc", OLE + b"\0" * 600) == (
        "「x.doc」: 这是旧版 Word/WPS 格式（.doc），需要 LibreOffice 才能转换。"
        "请安装 LibreOffice（Debian/Ubuntu: apt-get install libreoffice-writer libreoffice-calc），"
        "或用 Word/WPS 另存为 .docx/.xlsx 后再导入"
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [("x.wps", "Word/WPS 格式"), ("x.xls", "Excel/WPS 表格格式"), ("x.et", "Excel/WPS 表格格式")],
)
def test_it_names_the_kind_of_old_file(no_soffice, name, kind):
    assert f"旧版 {kind}（{Path(name).suffix}），需要 LibreOffice" in refuse(name, OLE + b"\0" * 600)


def test_it_tells_an_excel_file_saved_under_doc_by_its_content(no_soffice):
    assert "旧版 Excel/WPS 表格格式（.doc）" in refuse("x.doc", OLE + "Workbook".encode("utf-16-le"))


def test_it_says_when_the_configured_libreoffice_is_missing(settings):
    settings.QINGDAN_SOFFICE = "/nonexistent/soffice"
    assert "「/nonexistent/soffice」不存在或不可执行" in refuse("x.doc", OLE + b"\0" * 600)


def test_it_refuses_presentations_with_a_way_out():
    assert "演示文稿" in refuse("x.dps", OLE + b"\0" * 600)


def fake_soffice(tmp_path: Path, body: str) -> str:
    """An executable standing in for LibreOffice: ``body`` runs with ``args`` = its arguments."""
    script = tmp_path / "soffice"
    script.write_text(f"#!{sys.executable}\nimport sys, time, shutil, pathlib\nargs = sys.argv[1:]\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_it_reports_what_libreoffice_said_when_conversion_fails(settings, tmp_path):
    settings.QINGDAN_SOFFICE = fake_soffice(
        tmp_path, "print('Error: source file could not be loaded', file=sys.stderr)"
    )
    message = refuse("旧清单.doc", OLE + b"\0" * 600)
    assert "LibreOffice 未能转换此文件：Error: source file could not be loaded" in message


def test_it_stops_a_conversion_that_hangs(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT", 1)
    settings.QINGDAN_SOFFICE = fake_soffice(tmp_path, "time.sleep(60)")
    assert "超过 1 秒仍未完成，已中止" in refuse("旧清单.doc", OLE + b"\0" * 600)


def power_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("青山县科学技术局权力清单")
    table = document.add_table(rows=2, cols=2)
    for row, texts in zip(
        table.rows, [["事项名称", "实施主体"], ["技术合同认定登记", "青山县科学技术局"]], strict=True
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_the_converted_file_under_the_original_name(settings, tmp_path):
    (tmp_path / "converted.docx").write_bytes(power_docx())
    settings.QINGDAN_SOFFICE = fake_soffice(
        tmp_path,
        f"(pathlib.Path({str(tmp_path)!r}) / 'calls.txt').open('a').write(' '.join(args) + '\\n')\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1]); out.mkdir()\n"
        f"shutil.copy({str(tmp_path / 'converted.docx')!r}, out / (pathlib.Path(args[-1]).stem + '.docx'))",
    )
    docs = [read_bytes("-旧 清单.doc", OLE + b"\0" * 600) for _ in range(2)]
    assert docs[0].tables()[0].rows[1].texts() == ["技术合同认定登记", "青山县科学技术局"]
    assert {p.pos.file for p in docs[0].paragraphs()} == {"-旧 清单.doc"}
    calls = [line.split() for line in (tmp_path / "calls.txt").read_text().splitlines()]
    profiles = [call[0] for call in calls]
    assert all(p.startswith("-env:UserInstallation=file:///") for p in profiles)
    assert profiles[0] != profiles[1]  # parallel conversions never share a profile
    assert calls[0][1:3] == ["--headless", "--norestore"] and calls[0][-1].endswith("/source.doc")


@pytest.mark.slow
@pytest.mark.skipif(
    legacy.find_soffice() is None and not os.environ.get("QINGDAN_REQUIRE_LIBREOFFICE"),
    reason="LibreOffice is not installed (CI installs it and sets QINGDAN_REQUIRE_LIBREOFFICE)",
)
def test_it_converts_a_real_doc_with_libreoffice(tmp_path, seed_bytes):
    from qingdan.catalog.exports.docx import write_docx

    record = load_bytes(*seed_bytes("002")).record
    source = tmp_path / "清单.docx"
    source.write_bytes(write_docx(record))
    soffice = legacy.find_soffice()
    assert soffice is not None
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    command = [soffice, profile, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    old = (tmp_path / "清单.doc").read_bytes()
    assert old.startswith(b"\xd0\xcf\x11\xe0")  # a real Word 97 file
    again = load_bytes("旧清单.doc", old).record
    assert again.to_json() == record.to_json()


# --- through the whole import ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_refuses_a_truncated_office_file(seed_bytes, fmt):
    from qingdan.catalog.exports import export_record

    data = export_record(load_bytes(*seed_bytes("002")).record, fmt)
    assert "损坏或被截断" in refuse_import(f"清单.{fmt}", data[: len(data) // 2])


def test_it_refuses_prose():
    assert "没有找到责任清单的表格" in refuse_import("说明.txt", "这是一段说明文字。\n没有表格。\n".encode())


def test_it_reads_gbk_and_utf16_like_utf8(seed_bytes):
    name, data = seed_bytes("002")
    text = data.decode("utf-8")
    expected = load_bytes(name, data).record.to_json()
    for encoding in ("gb18030", "utf-16", "utf-8-sig"):
        assert load_bytes(name, text.encode(encoding)).record.to_json() == expected


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
    assert "压缩炸弹" in refuse_import("清单.docx", buffer.getvalue())


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


def test_it_refuses_text_that_claims_to_be_an_office_file():
    assert "损坏或被截断" in refuse("清单.docx", "\t序号\n\t主要职责\n".encode("gbk"))
