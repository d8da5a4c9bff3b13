"""Word documents: paragraphs and tables of the body, in order.

Rows are laid onto the table grid: a cell spanning N grid columns (gridSpan) yields itself and
N-1 cells marked "left"; a vertical-merge continuation (vMerge without "restart") is an empty
cell marked "up". Works on the XML directly: python-docx's cell grid is slow on merged tables.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from lxml.etree import _Element

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import Cell, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.safety import open_zip

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")


def read(name: str, data: bytes) -> RawDocument:
    open_zip(name, data, "Word").close()
    try:
        body = Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx raises many kinds for broken files
        raise fail(
            SourcePos(name),
            f"无法读取 Word 文件（{type(exc).__name__}）",
            hint="请用 Word 或 WPS 打开后另存为 .docx 再导入",
        ) from exc
    doc = RawDocument(name)
    tables = 0
    for index, element in enumerate(body.iterchildren(), start=1):
        if element.tag == W_P:
            text = _paragraph_text(element)
            if text.strip():
                doc.blocks.append(Paragraph(text, SourcePos(name, row=index)))
        elif element.tag == W_TBL:
            tables += 1
            doc.blocks.append(_table(name, element, tables))
    return doc


def _paragraph_text(p: _Element) -> str:
    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append(node.text or "" if node.tag == qn("w:t") else "\n" if node.tag == qn("w:br") else "\t")
    return "".join(parts)


def _cell_text(tc: _Element) -> str:
    return "\n".join(_paragraph_text(p) for p in tc.iter(W_P))


def _table(name: str, tbl: _Element, number: int) -> Table:
    rows = []
    for r, tr in enumerate(tbl.iterchildren(W_TR), start=1):
        cells: list[Cell] = []
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        for _ in range(int(before.get(qn("w:val"), "0")) if before is not None else 0):
            cells.append(Cell("", SourcePos(name, table=number, row=r, col=len(cells) + 1)))
        for tc in tr.iterchildren(W_TC):
            _add_cell(cells, tc, SourcePos(name, table=number, row=r, col=len(cells) + 1))
        rows.append(Row(cells, SourcePos(name, table=number, row=r)))
    return Table(rows, SourcePos(name, table=number))


def _add_cell(cells: list[Cell], tc: _Element, pos: SourcePos) -> None:
    props = tc.find(qn("w:tcPr"))
    span, continued = 1, False
    if props is not None:
        grid = props.find(qn("w:gridSpan"))
        span = int(grid.get(qn("w:val"), "1")) if grid is not None else 1
        vmerge = props.find(qn("w:vMerge"))
        continued = vmerge is not None and vmerge.get(qn("w:val"), "continue") != "restart"
    cells.append(Cell("" if continued else _cell_text(tc), pos, "up" if continued else ""))
    for k in range(1, span):
        cells.append(Cell("", SourcePos(pos.file, table=pos.table, row=pos.row, col=pos.col + k), "left"))
