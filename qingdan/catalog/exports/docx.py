"""The official 登记表 as a Word document: A4 landscape, a title, one bordered table per section
with its header row repeated on every page, 序号 and 主要职责 (or 管理事项) merged vertically."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable

from qingdan.catalog.exports import merge_runs, section_rows, title_of
from qingdan.ingest.layouts import Layout
from qingdan.ingest.records import ListRecord


def write_docx(record: ListRecord) -> bytes:
    doc = Document()
    _page_setup(doc)
    doc.add_heading(title_of(record), level=1)
    for layout, rows in section_rows(record):
        doc.add_heading(layout.title, level=2)
        _table(doc, layout, rows)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_setup(doc: object) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name, style.font.size = "宋体", Pt(10)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _table(doc: object, layout: Layout, rows: list[list[str]]) -> DocxTable:
    header = layout.labels()
    table = doc.add_table(rows=1 + len(rows), cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table)
    for (first, last), col in merge_runs(layout, rows):
        for r in range(first + 1, last + 1):
            rows[r][col] = ""
        table.cell(first + 1, col).merge(table.cell(last + 1, col))
    for r, values in enumerate(rows, start=1):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            if value:
                cells[c].text = value
    return table


def _repeat_header(table: DocxTable) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
