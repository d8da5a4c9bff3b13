"""Web pages, and the .xls/.doc files that platforms export as HTML: paragraphs and tables.

Tables are laid onto their grid the way the Word and Excel readers lay theirs: a cell spanning
rows or columns (rowspan/colspan) keeps its text in its first position; the positions below it
in its first column are empty cells marked "up", the others empty cells marked "left". <br> and
block elements (<p>, <div>, …) inside a cell are line breaks; a nested table gives one line per
cell. Whitespace collapses as a browser collapses it. The page's declared encoding (BOM, <meta
charset>, http-equiv) is followed, else UTF-8, else GB18030.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html
from lxml.etree import ParserError, _Element

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import Cell, Merge, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.readers.encoding import decode

MAX_CELLS = 2_000_000
MAX_COLSPAN = 1000  # the HTML standard's own limit
MAX_ROWSPAN = 65534  # likewise; a span is also cut at the table's last row
MAX_COLUMNS = 16384  # Excel's limit: a wider table is a broken or hostile page

_SKIPPED = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "select"}
_BLOCKS = {
    *("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article"),
    *("header", "footer", "main", "nav", "aside", "address", "center", "form", "fieldset", "hr"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "caption", "figure", "figcaption", "table", "tr"),
}
_SECTIONS = {"thead", "tbody", "tfoot"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# GB2312 and GBK pages are GB18030 pages: it is a superset of both, and pages lie about which
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "iso-8859-1": "cp1252"}
_SPACE = re.compile(r"[ \t\n\r\f]+")


def read(name: str, data: bytes) -> RawDocument:
    """The paragraphs and tables of an HTML page, in document order."""
    text = page_text(name, data)
    parser = lxml.html.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (ParserError, ValueError) as exc:
        raise fail(SourcePos(name), "网页内容为空或无法解析", hint="请确认导出的文件完整") from exc
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise fail(
            SourcePos(name),
            "网页的标签嵌套超过 256 层（文件已损坏或是恶意文件）",
            hint="此文件不会被导入；请从原系统重新导出",
        )
    walker = _Walker(name)
    walker.block(root)
    return RawDocument(name, walker.blocks, merges_marked=True)


def page_text(name: str, data: bytes) -> str:
    """The page as text in the encoding it declares, else UTF-8, else GB18030."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(name, data)
    found = _CHARSET.search(data[:4096])
    if found is None:
        return decode(name, data)
    label = found.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(_SUPERSETS.get(label, label)).name
    except LookupError:
        return decode(name, data)  # an unknown label: read it as if none were declared
    if codec in {"utf-8", "gb18030"}:
        return decode(name, data)  # decode() also catches a page mixing the two
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise fail(
            SourcePos(name),
            f"网页声明的编码是 {label}，但第 {exc.start} 字节处无法按此编码解码",
            hint="请用浏览器打开后另存为 UTF-8 网页，或导出为 .docx/.xlsx 再导入",
        ) from exc


@dataclass
class _Walker:
    """Collects the page's blocks: text between tables as paragraphs, each table as a Table."""

    name: str
    blocks: list[Paragraph | Table] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    tables: int = 0
    cells: int = 0

    def block(self, element: _Element) -> None:
        """Walk ``element``'s content: tables become Tables, everything else paragraphs."""
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            return
        if element.tag == "table":
            self.flush()
            self.blocks.append(self.table(element))
        elif not any(child.tag == "table" for child in element.iter() if child is not element):
            self.lines.append(inline_text(element))
            if element.tag in _BLOCKS:
                self.flush()
        else:
            self.lines.append(_space(element.text))
            for child in element:
                self.block(child)
                self.lines.append(_space(child.tail))
            self.flush()

    def flush(self) -> None:
        for line in "".join(self.lines).split("\n"):
            if line.strip():
                self.blocks.append(Paragraph(line.strip(), SourcePos(self.name, row=len(self.blocks) + 1)))
        self.lines = []

    def table(self, element: _Element) -> Table:
        self.tables += 1
        pos = SourcePos(self.name, table=self.tables)
        grid = _Grid(self.name, self.tables)
        for tr in table_rows(element):
            grid.add_row([_cell(td) for td in row_cells(tr)])
        table = grid.table(pos)
        self.cells += sum(len(row.cells) for row in table.rows)
        if self.cells > MAX_CELLS:
            raise fail(pos, f"表格超过 {MAX_CELLS} 个单元格", hint="请拆分文件后再导入")
        return table


def table_rows(table: _Element) -> Iterator[_Element]:
    """The table's own rows, directly or in thead/tbody/tfoot, not those of nested tables."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in _SECTIONS:
            yield from (tr for tr in child if tr.tag == "tr")


def row_cells(tr: _Element) -> Iterator[_Element]:
    return (td for td in tr if td.tag in {"td", "th"})


def _cell(td: _Element) -> tuple[str, int, int]:
    """(text, colspan, rowspan) of a td/th."""
    return inline_text(td), _span(td, "colspan", MAX_COLSPAN), _span(td, "rowspan", MAX_ROWSPAN)


def _span(cell: _Element, attribute: str, limit: int) -> int:
    """A rowspan/colspan as a browser reads it: the number it starts with, at least 1, capped."""
    found = re.match(r"\s*(\d{1,9})", cell.get(attribute) or "")
    number = int(found.group(1)) if found else 1
    return max(1, min(number, limit))


@dataclass
class _Grid:
    """Rows laid onto a grid: positions taken by a span from above are skipped, as browsers do."""

    name: str
    number: int
    rows: list[list[tuple[str, Merge]]] = field(default_factory=list)
    pending: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, last row, col, span)

    def add_row(self, cells: list[tuple[str, int, int]]) -> None:
        r = len(self.rows)
        row: dict[int, tuple[str, Merge]] = {}
        for first, last, col, span in self.pending:
            if first < r <= last:
                for c in range(col, col + span):
                    row[c] = ("", "up" if c == col else "left")
        col = 0
        for text, colspan, rowspan in cells:
            while col in row:
                col += 1
            row[col] = (text, "")
            for c in range(col + 1, col + colspan):
                row.setdefault(c, ("", "left"))
            if rowspan > 1:
                self.pending.append((r, r + rowspan - 1, col, colspan))
            col += colspan
            if col > MAX_COLUMNS:
                raise fail(
                    SourcePos(self.name, table=self.number, row=r + 1),
                    f"表格超过 {MAX_COLUMNS} 列（文件已损坏或是恶意文件）",
                    hint="此文件不会被导入",
                )
        self.pending = [p for p in self.pending if p[1] > r]
        width = max(row, default=-1) + 1
        if width * (r + 1) > MAX_CELLS:
            raise fail(
                SourcePos(self.name, table=self.number, row=r + 1), "表格过大", hint="请拆分文件后再导入"
            )
        self.rows.append([row.get(c, ("", "")) for c in range(width)])

    def table(self, pos: SourcePos) -> Table:
        width = max((len(cells) for cells in self.rows), default=0)
        rows = []
        for r, laid in enumerate(self.rows, start=1):
            at = SourcePos(pos.file, table=pos.table, row=r)
            padded = laid + [("", "")] * (width - len(laid))
            cells = [
                Cell(t, SourcePos(pos.file, r, c, table=pos.table), m) for c, (t, m) in enumerate(padded, 1)
            ]
            rows.append(Row(cells, at))
        return Table(rows, pos)


def inline_text(element: _Element) -> str:
    """An element's text as a browser shows it: <br> and block boundaries are line breaks."""
    parts: list[str] = []
    _collect(element, parts)
    lines = (line.strip(" ") for line in "".join(parts).split("\n"))
    # Word and LibreOffice write an empty cell or paragraph as &nbsp;
    return "\n".join(line for line in lines if line.strip(" \xa0"))


def _collect(element: _Element, parts: list[str]) -> None:
    if element.tag == "br":
        parts.append("\n")
    elif isinstance(element.tag, str) and element.tag not in _SKIPPED:
        block = element.tag in _BLOCKS or element.tag in {"td", "th"}
        parts.append("\n" if block else "")
        parts.append(_space(element.text))
        for child in element:
            _collect(child, parts)
            parts.append(_space(child.tail))
        parts.append("\n" if block else "")


def _space(text: str | None) -> str:
    """Whitespace collapsed to one space, as a browser shows it (a line break in the source is a
    space: LibreOffice and Word wrap their HTML at the spaces of the text)."""
    return _SPACE.sub(" ", text) if text else ""
