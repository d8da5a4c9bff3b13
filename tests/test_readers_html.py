"""Web pages and the HTML that platforms export under .xls/.doc: read into paragraphs and tables
whose merges are marked the way the Word reader marks them, then imported like any list."""

from __future__ import annotations

import html
import time

import pytest

from qingdan.catalog.exports.docx import write_docx
from qingdan.ingest import load_bytes
from qingdan.ingest.raw import RawDocument, Table
from qingdan.ingest.readers import docx as docx_reader
from qingdan.ingest.readers import read_bytes, sniff
from tests.conftest import LUQUAN_KEGONG, refuse

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>不是正文</title><style>td {{ border: 1px solid }}</style><script>var x = "<table>";</script></head>
<body>
<h1>湘阴县科技局责任清单</h1>
<p>一、部门职责</p>
<table border="1">
<thead><tr><th>序号</th><th>主要职责</th><th>具体工作事项</th><th>责任科室</th><th>备注</th></tr></thead>
<tbody>
<tr><td rowspan="2">1</td><td rowspan="2">负责全县科技
    计划项目的管理</td><td>项目申报<br>和推荐</td><td>高新产业化股</td><td></td></tr>
<tr><td>项目验收</td><td><p>办公室</p><p>财计股</p></td><td></td></tr>
<tr><td>2</td><td colspan="2">科技统计工作（跨两列）</td><td>办公室</td><td>&nbsp;</td></tr>
</tbody></table>
<p>注：本表由县科技局编制。</p>
</body></html>
"""


def page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset)


def cells(doc: RawDocument) -> list[list[tuple[str, str]]]:
    return [[(c.text, c.merge) for c in row.cells] for row in doc.tables()[0].rows]


def test_it_lays_rowspan_and_colspan_out_as_merges_like_the_word_reader():
    rows = cells(read_bytes("清单.html", page().encode()))
    assert rows[1] == [
        ("1", ""),
        ("负责全县科技 计划项目的管理", ""),
        ("项目申报\n和推荐", ""),
        ("高新产业化股", ""),
        ("", ""),
    ]
    assert rows[2] == [("", "up"), ("", "up"), ("项目验收", ""), ("办公室\n财计股", ""), ("", "")]
    assert rows[3] == [("2", ""), ("科技统计工作（跨两列）", ""), ("", "left"), ("办公室", ""), ("", "")]


def test_it_keeps_headings_and_notes_as_paragraphs_and_leaves_out_head_and_scripts():
    doc = read_bytes("清单.html", page().encode())
    assert [p.text for p in doc.paragraphs()] == [
        "湘阴县科技局责任清单",
        "一、部门职责",
        "注：本表由县科技局编制。",
    ]
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph", "Table", "Paragraph"]


def test_it_follows_a_page_that_declares_gbk():
    data = page("gb2312").encode("gbk")
    doc = read_bytes("清单.htm", data)
    assert doc.paragraphs()[0].text == "湘阴县科技局责任清单"
    assert cells(doc)[2][3] == ("办公室\n财计股", "")


def test_it_falls_back_to_gb18030_when_a_page_declares_nothing():
    data = page("").replace("; charset=", "").encode("gb18030")
    assert read_bytes("清单.html", data).paragraphs()[0].text == "湘阴县科技局责任清单"


@pytest.mark.parametrize("name", ["权责清单.xls", "权责清单.doc", "导出"])
def test_it_reads_html_saved_under_an_office_name_as_html(name):
    data = page().encode()
    assert sniff(name, data) == "html"
    assert cells(read_bytes(name, data))[3][1] == ("科技统计工作（跨两列）", "")


def test_it_still_sends_real_old_office_files_to_libreoffice():
    assert sniff("清单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"<table>" * 10) == "legacy"


def test_it_imports_a_hand_made_page_as_a_list():
    record = load_bytes("清单.html", page("gbk").encode("gbk")).record
    assert record.department == "湘阴县科技局"
    duty = record.duties[0]
    assert duty.text == "负责全县科技 计划项目的管理"
    assert [(t.text, t.units) for t in duty.tasks] == [
        ("项目申报\n和推荐", ["高新产业化股"]),
        ("项目验收", ["办公室", "财计股"]),
    ]


def test_it_reads_a_nested_table_as_lines_of_its_cell():
    data = "<table><tr><td>外<table><tr><td>甲</td><td>乙</td></tr></table></td><td>b</td></tr></table>"
    doc = read_bytes("a.html", data.encode())
    assert len(doc.tables()) == 1
    assert cells(doc) == [[("外\n甲\n乙", ""), ("b", "")]]


# --- hostile pages ---------------------------------------------------------------------------


def test_it_caps_a_huge_rowspan_at_the_tables_last_row():
    data = '<table><tr><td rowspan="100000">a</td><td>b</td></tr><tr><td>c</td></tr></table>'
    start = time.perf_counter()
    assert cells(read_bytes("a.html", data.encode())) == [[("a", ""), ("b", "")], [("", "up"), ("c", "")]]
    assert time.perf_counter() - start < 1


def test_it_caps_a_huge_colspan_at_the_standards_limit():
    data = '<table><tr><td colspan="100000">a</td></tr><tr><td>b</td></tr></table>'
    rows = cells(read_bytes("a.html", data.encode()))
    assert len(rows[0]) == 1000 and rows[0][1] == ("", "left")
    assert rows[1][:2] == [("b", ""), ("", "")]


def test_it_refuses_a_table_too_wide_to_be_a_list():
    data = "<table><tr>" + '<td colspan="1000">x</td>' * 20 + "</tr></table>"
    assert "列" in refuse("a.html", data.encode())


def test_it_refuses_tags_nested_5000_deep_instead_of_losing_what_follows():
    data = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "<table><tr><td>a</td></tr></table>"
    start = time.perf_counter()
    assert "嵌套超过" in refuse("深.html", data.encode())
    assert time.perf_counter() - start < 2


def test_it_refuses_a_page_whose_declared_encoding_does_not_fit():
    message = refuse("a.html", b'<meta charset="iso-2022-jp"><p>\x1b$B' + b"\xff\xfe")
    assert "iso-2022-jp" in message and "无法按此编码解码" in message


# --- the seeds' lists, rendered as HTML tables in the test -----------------------------------


def render_html(doc: RawDocument) -> bytes:
    """A page with the document's paragraphs and tables, merges as rowspan/colspan, line breaks as
    <br> and a second space as &nbsp; (a browser shows two spaces only so)."""
    parts = ['<html><head><meta charset="utf-8"></head><body>']
    for block in doc.blocks:
        if isinstance(block, Table):
            parts.append(table_html(block))
        else:
            parts.append(f"<p>{html.escape(block.text)}</p>")
    return ("\n".join(parts) + "</body></html>").encode()


def table_html(table: Table) -> str:
    grid = [[(c.text, c.merge) for c in row.cells] for row in table.rows]
    out = ["<table>"]
    for r, row in enumerate(grid):
        out.append("<tr>")
        for c, (text, merge) in enumerate(row):
            if merge:
                continue
            colspan = 1 + next((k for k, (_, m) in enumerate(row[c + 1 :]) if m != "left"), len(row) - c - 1)
            rowspan = 1 + next(
                (k for k, below in enumerate(grid[r + 1 :]) if c >= len(below) or below[c][1] != "up"),
                len(grid) - r - 1,
            )
            lines = "<br>".join(html.escape(line).replace("  ", " &nbsp;") for line in text.split("\n"))
            out.append(f'<td rowspan="{rowspan}" colspan="{colspan}">{lines}</td>')
        out.append("</tr>")
    return "".join(out) + "</table>"


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_a_seed_rendered_as_an_html_table_imports_into_the_same_list(seed_bytes, prefix):
    name, data = seed_bytes(prefix)
    department = LUQUAN_KEGONG if prefix == "000" else ""
    record = load_bytes(name, data, department=department).record
    word = write_docx(record)
    page = render_html(docx_reader.read("清单.docx", word))
    assert load_bytes("清单.html", page).record.to_json() == load_bytes("清单.docx", word).record.to_json()
