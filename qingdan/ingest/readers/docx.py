"""Word documents: paragraphs and tables of the body, in document order.

Rows are laid onto the table grid: a cell spanning N grid columns (gridSpan) yields itself and
N-1 cells marked "left"; a vertical-merge continuation (vMerge without "restart") is an empty
cell marked "up"; gridBefore/gridAfter become empty cells. Works on the XML directly:
python-docx's cell grid is slow on merged tables and mislays some merges.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document
from docx.oxml.ns import qn
from lxml.etree import _Element

from qingdan.ingest.problems import IngestError, fail
from qingdan.ingest.raw import Cell, Merge, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.safety import open_zip

W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_VAL = qn("w:val")
W_TR_PR, W_GRID_BEFORE, W_GRID_AFTER = qn("w:trPr"), qn("w:gridBefore"), qn("w:gridAfter")
W_TC_PR, W_GRID_SPAN, W_VMERGE, W_HMERGE = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:hMerge")
W_SDT_CONTENT = qn("w:sdtContent")

# Elements that only wrap content: look through them for paragraphs, tables, rows, cells, runs.
_WRAPPERS = {
    qn(f"w:{tag}") for tag in ("sdt", "customXml", "hyperlink", "ins", "smartTag", "fldSimple", "moveTo")
}
_WRAPPERS |= {qn("w:dir"), qn("w:bdo"), W_SDT_CONTENT}
# What a run's children stand for; w:t is its text, everything else (deleted text, field codes,
# drawings and their text boxes) is not part of the paragraph's text.
_RUN_CHARS = {W_TAB: "\t", W_BR: "\n", W_CR: "\n", qn("w:noBreakHyphen"): "-"}

MAX_COLUMNS = 63  # Word's own limit: a larger gridSpan or gridBefore is a broken or hostile file
MAX_CELLS = 2_000_000


def read(name: str, data: bytes) -> RawDocument:
    """The paragraphs and tables of a .docx body, each with its position."""
    open_zip(name, data, "Word").close()
    try:
        body = Document(io.BytesIO(data)).element.body
        return _document(name, body)
    except IngestError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for broken files
        raise _unreadable(name, exc) from exc


def _unreadable(name: str, exc: Exception) -> IngestError:
    if "macroEnabled" in str(exc):
        return fail(SourcePos(name), "这是启用宏的 Word 文件（.docm）", hint="请另存为 .docx 后再导入")
    if "content type" in str(exc):
        return fail(SourcePos(name), "文件内容不是 Word 文档", hint="请确认文件类型与扩展名一致")
    return fail(
        SourcePos(name),
        f"无法读取 Word 文件，文件内容已损坏（{type(exc).__name__}）",
        hint="请用 Word 或 WPS 打开后另存为 .docx 再导入",
    )


def _document(name: str, body: _Element) -> RawDocument:
    doc = RawDocument(name, merges_marked=True)
    paragraphs = tables = cells = 0
    for element in _children(body, (W_P, W_TBL)):
        if element.tag == W_P:
            paragraphs += 1
            text = paragraph_text(element)
            if text.strip():
                doc.blocks.append(Paragraph(text, SourcePos(name, row=paragraphs)))
            continue
        tables += 1
        table = _table(name, element, tables)
        cells += sum(len(row.cells) for row in table.rows)
        if cells > MAX_CELLS:
            raise fail(
                SourcePos(name, table=tables), f"表格超过 {MAX_CELLS} 个单元格", hint="请拆分文件后再导入"
            )
        doc.blocks.append(table)
    return doc


def _children(parent: _Element, tags: tuple[str, ...]) -> Iterator[_Element]:
    """The children of ``parent`` with one of ``tags``, looking through content controls."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def paragraph_text(p: _Element) -> str:
    """A paragraph's text: runs, tabs and line breaks, without tab stops or text boxes."""
    parts: list[str] = []
    for run in _children(p, (W_R,)):
        for node in run:
            if node.tag == W_T:
                parts.append(node.text or "")
            elif node.tag in _RUN_CHARS:
                parts.append(_RUN_CHARS[node.tag])
    return "".join(parts)


def cell_text(tc: _Element) -> str:
    """A cell's paragraphs joined by newlines, without empty ones around them; a nested table
    gives one line per cell."""
    return "\n".join(_cell_lines(tc)).strip("\n")


def _cell_lines(tc: _Element) -> Iterator[str]:
    for element in _children(tc, (W_P, W_TBL)):
        if element.tag == W_P:
            yield paragraph_text(element)
            continue
        for tr in _children(element, (W_TR,)):
            for inner in _children(tr, (W_TC,)):
                text = cell_text(inner)
                if text.strip():
                    yield text


def _table(name: str, tbl: _Element, number: int) -> Table:
    rows = []
    for r, tr in enumerate(_children(tbl, (W_TR,)), start=1):
        rows.append(
            Row(_row_cells(tr, SourcePos(name, table=number, row=r)), SourcePos(name, table=number, row=r))
        )
    return Table(rows, SourcePos(name, table=number))


def _row_cells(tr: _Element, pos: SourcePos) -> list[Cell]:
    cells: list[Cell] = []

    def add(text: str, merge: Merge = "") -> None:
        cells.append(Cell(text, SourcePos(pos.file, table=pos.table, row=pos.row, col=len(cells) + 1), merge))

    before, after = _row_padding(tr)
    for _ in range(before):
        add("")
    for tc in _children(tr, (W_TC,)):
        span, merge = _cell_layout(tc)
        add("" if merge else cell_text(tc), merge)
        for _ in range(span - 1):
            add("", "left")
    for _ in range(after):
        add("")
    return cells


def _row_padding(tr: _Element) -> tuple[int, int]:
    """(empty grid columns before the row's first cell, after its last): gridBefore, gridAfter."""
    values = {child.tag: child.get(W_VAL) for props in tr.iterchildren(W_TR_PR) for child in props}
    return _count(values.get(W_GRID_BEFORE), 0), _count(values.get(W_GRID_AFTER), 0)


def _cell_layout(tc: _Element) -> tuple[int, Merge]:
    """(grid columns the cell spans, how it continues a merge)."""
    values = {child.tag: child.get(W_VAL) for props in tc.iterchildren(W_TC_PR) for child in props}
    merge: Merge = ""
    if W_VMERGE in values and values[W_VMERGE] != "restart":
        merge = "up"
    elif W_HMERGE in values and values[W_HMERGE] != "restart":
        merge = "left"  # hMerge: how Word 97 wrote a horizontal merge
    return _count(values.get(W_GRID_SPAN), 1), merge


def _count(value: str | None, default: int) -> int:
    """A column count from the XML, kept within Word's limits whatever the file says."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return max(0, min(number, MAX_COLUMNS))
