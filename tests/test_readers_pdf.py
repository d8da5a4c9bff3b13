"""PDF files: what cannot be read is refused with a reason, and lines wrapped by the layout are
joined again. The seeds rendered to PDF by LibreOffice are in test_readers_renderings.py."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from qingdan.ingest.raw import SourcePos
from qingdan.ingest.readers import sniff
from qingdan.ingest.readers.pdf import Line, joined, lines_of
from tests.conftest import refuse


def test_it_refuses_a_scanned_pdf_and_says_why():
    scan = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(scan, "PDF")
    message = refuse("扫描件.pdf", scan.getvalue())
    assert "没有文字层" in message and "扫描件" in message and "OCR 不在支持范围内" in message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R",
        b"%PDF-" + bytes(range(256)) * 40,
    ],
)
def test_it_refuses_a_damaged_pdf(data):
    assert "文件内容已损坏或被截断" in refuse("清单.pdf", data)


def test_it_reads_a_pdf_by_its_content_whatever_its_name():
    assert sniff("清单.dat", b"%PDF-1.7\n") == "pdf"
    assert sniff("清单.pdf", b"\n\n%PDF-1.7\n") == "pdf"


def test_it_names_the_page_of_a_position():
    assert SourcePos("a.pdf", row=5, table=2, page=3).describe() == "「a.pdf」, 第 3 页, 第 2 个表格, 第 5 行"
    assert SourcePos("a.docx", row=5).describe() == "「a.docx」, 第 5 行"


# --- joining lines the layout wrapped --------------------------------------------------------


def chars(text: str, x0: float, top: float, width: float = 10.5) -> list[dict[str, Any]]:
    """Characters as pdfplumber gives them: Chinese full width, ASCII half width."""
    out = []
    for ch in text:
        w = width / 2 if ch.isascii() else width
        out.append({"text": ch, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + width, "size": width})
        x0 += w
    return out


def cell(*texts: str) -> list[Line]:
    return lines_of([c for i, text in enumerate(texts) for c in chars(text, 100.0, 10.0 + 14 * i)])


RIGHT = 100.0 + 10 * 10.5 + 3  # ten characters fit, with three points to spare


def test_it_joins_a_line_that_filled_its_cell():
    assert joined(cell("贯彻执行国家、省、市科", "技法律法规"), RIGHT) == "贯彻执行国家、省、市科技法律法规"


def test_it_keeps_a_line_break_where_the_line_ended_short():
    assert joined(cell("运行一科", "运行二科"), RIGHT) == "运行一科\n运行二科"


def test_it_joins_a_line_whose_next_word_of_digits_did_not_fit():
    assert joined(cell("维权援助，并负责", "12330举报投诉"), RIGHT) == "维权援助，并负责12330举报投诉"


def test_it_joins_a_line_the_layout_ended_early_to_keep_punctuation_off_a_line_start():
    # 「理」 would fit, but 「。」 may not start a line: the layout moved 「理。」 down together
    assert joined(cell("依法予以处置和处", "理。"), RIGHT - 10.5) == "依法予以处置和处理。"


def test_it_keeps_a_numbered_item_after_a_full_stop_on_its_own_line():
    assert (
        joined(cell("要求其及时整改完毕。", "4.项目结题验收"), RIGHT)
        == "要求其及时整改完毕。\n4.项目结题验收"
    )
