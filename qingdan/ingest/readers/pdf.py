"""PDF files with a text layer: tables recovered from their ruling lines, text between them as
paragraphs, page furniture left out.

pdfplumber (on pdfminer.six) finds each table's cells from the lines drawn around them. A cell
covered by a span (pdfplumber gives None) becomes an empty cell marked "up" below the span's first
cell and "left" beside it, as the Word reader marks vMerge and gridSpan. Within a cell, a line that
ends where the next line's first character would not have fitted was wrapped by the layout and
is joined again; a line that ends short was a line break of the document. A table that goes on at
the top of the next page with the same columns is one table: its repeated header row is dropped,
and a row the page break cut in two is joined again. Page numbers and the lines repeated at the
top or bottom of every page are left out.

Nothing in the file is run; the pages read and the time spent are limited.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from qingdan.ingest.problems import IngestError, fail
from qingdan.ingest.raw import Cell, Merge, Paragraph, RawDocument, Row, SourcePos, Table

MAX_PAGES = 2000
TIME_LIMIT = 120.0  # seconds for the whole file; a 40-page list takes about 3
MAX_CELLS = 2_000_000

_SAVE_AS = "请用原件（.docx/.xlsx）导入，或用 WPS/Word 打开 PDF 后另存为 .docx 再导入"
# 第 3 页, 第3页/共12页, - 3 -, 3/12, 3 / 12, Page 3, a lone number
_PAGE_NUMBER = re.compile(
    r"^(第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|[-－—–]\s*\d+\s*[-－—–]"
    r"|\d+\s*/\s*\d+|(page|p\.)\s*\d+(\s*of\s*\d+)?|\d{1,4})$",
    re.IGNORECASE,
)
_MARGIN = 0.08  # the top and bottom 8 % of a page hold its running header and footer
# punctuation that cannot start a line (so the layout takes a character down with it) and
# brackets that cannot end one
_NO_START = set("，。、；：？！）》」』】〕﹞〗”’．,.;:?!)]%")
_NO_END = set("（《「『【〔﹝〖“‘([")
_ENDS_SENTENCE = re.compile(r"[。！!？?]$")
_NUMBERED = re.compile(
    r"^(\d{1,3}\s*[.、．]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、)"
)


@dataclass
class Line:
    """Characters on one baseline, left to right."""

    chars: list[dict[str, Any]]

    @property
    def x0(self) -> float:
        return float(self.chars[0]["x0"])

    @property
    def x1(self) -> float:
        return float(self.chars[-1]["x1"])

    @property
    def top(self) -> float:
        return float(self.chars[0]["top"])

    @property
    def size(self) -> float:
        return float(self.chars[0]["size"])

    @property
    def text(self) -> str:
        parts = [self.chars[0]["text"]]
        for before, char in itertools.pairwise(self.chars):
            gap = float(char["x0"]) - float(before["x1"])
            if gap > 0.3 * float(char["size"]) and " " not in (before["text"], char["text"]):
                parts.append(" ")
            parts.append(char["text"])
        return "".join(parts).strip()

    def first_unit_width(self) -> float:
        """The width of what cannot be parted from the line's first character: opening brackets
        before it; closing punctuation after it; digits and Latin letters after a letter, a digit
        or closing punctuation (「理。2、」, 「【2017】173」 move down whole)."""
        texts = [c["text"] for c in self.chars]
        end = 0
        while end < len(texts) - 1 and texts[end] in _NO_END:
            end += 1
        while end + 1 < len(texts) and _glued(texts[end], texts[end + 1]):
            end += 1
        return float(self.chars[end]["x1"]) - float(self.chars[0]["x0"])


def _glued(before: str, char: str) -> bool:
    latin = char.isascii() and char.isalnum()
    return char in _NO_START or (latin and (before in _NO_START or (before.isascii() and before.isalnum())))


def lines_of(chars: list[dict[str, Any]]) -> list[Line]:
    """Characters grouped into lines: by their top, then left to right."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(float(c["top"]), 1), float(c["x0"]))):
        if char["text"].isspace() and not lines:
            continue
        if lines and abs(float(char["top"]) - float(lines[-1][0]["top"])) <= 0.5 * float(char["size"]):
            lines[-1].append(char)
        else:
            lines.append([char])
    return [
        Line(sorted(chars, key=lambda c: float(c["x0"])))
        for chars in lines
        if "".join(c["text"] for c in chars).strip()
    ]


def wrapped(line: Line, following: Line, right: float) -> bool:
    """True when ``line`` ended only because ``following`` would not fit after it."""
    # the padding on the right and the border take up to two points more than the padding seen
    # on the left; a line ending a sentence before a numbered item is a paragraph of its own
    if _ENDS_SENTENCE.search(line.text) and _NUMBERED.match(following.text):
        return False
    return right - line.x1 < following.first_unit_width() + 2.0


def joined(lines: list[Line], right: float) -> str:
    """Lines as the document wrote them: a wrapped line joined to the next, others one per line."""
    if not lines:
        return ""
    parts = [lines[0].text]
    for line, following in itertools.pairwise(lines):
        if wrapped(line, following, right):
            both_latin = parts[-1][-1:].isascii() and following.text[:1].isascii()
            parts.append(" " if both_latin and parts[-1][-1:].isalnum() else "")
        else:
            parts.append("\n")
        parts.append(following.text)
    return "".join(parts)


@dataclass
class Box:
    """One cell of a table as laid out on the page, or a position covered by a span."""

    bbox: tuple[float, float, float, float] | None
    lines: list[Line] = field(default_factory=list)
    merge: Merge = ""
    left: float = 0.0  # where a line of this cell starts at its padding
    right: float = 0.0  # where a full line of this cell ends

    @property
    def blank(self) -> bool:
        return not self.lines

    def text(self) -> str:
        return joined(self.lines, self.right)


@dataclass
class PageTable:
    page: int
    columns: list[float]
    rows: list[list[Box]]
    bbox: tuple[float, float, float, float]


def read(name: str, data: bytes) -> RawDocument:
    """The paragraphs and tables of a PDF with a text layer."""
    import pdfplumber  # imported here: pdfminer is slow to import and only PDFs need it

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _document(name, pdf)
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for broken or encrypted files
        raise _unreadable(name, exc) from exc


def _unreadable(name: str, exc: Exception) -> IngestError:
    described = f"{type(exc).__name__} {exc} {exc.__cause__!r}".lower()
    if "password" in described or "encrypt" in described:
        return fail(
            SourcePos(name),
            "这份 PDF 加了密码或已加密，无法读取",
            hint="请去掉密码后再导入，或用原件（.docx/.xlsx）导入",
        )
    return fail(
        SourcePos(name), f"无法读取 PDF 文件，文件内容已损坏或被截断（{type(exc).__name__}）", hint=_SAVE_AS
    )


def _document(name: str, pdf: Any) -> RawDocument:
    pages = pdf.pages
    if len(pages) > MAX_PAGES:
        raise fail(
            SourcePos(name), f"PDF 有 {len(pages)} 页，超过上限 {MAX_PAGES} 页", hint="请拆分文件后再导入"
        )
    deadline = time.monotonic() + TIME_LIMIT
    read_pages = []
    for number, page in enumerate(pages, start=1):
        if time.monotonic() > deadline:
            raise fail(
                SourcePos(name, page=number),
                f"读取 PDF 超过 {TIME_LIMIT:.0f} 秒仍未完成，已中止",
                hint=f"文件可能过大或已损坏；{_SAVE_AS}",
            )
        read_pages.append(_read_page(page, number))
        page.close()  # drops the page's parsed objects: memory stays flat over long files
    if not any(p.has_text for p in read_pages):
        raise fail(
            SourcePos(name),
            "这份 PDF 没有文字层（可能是扫描件或图片），无法读出其中的文字；OCR 不在支持范围内",
            hint=_SAVE_AS,
        )
    return _assemble(name, read_pages)


@dataclass
class _Page:
    number: int
    height: float
    tables: list[PageTable]
    lines: list[Line]  # outside the tables
    has_text: bool


def _read_page(page: Any, number: int) -> _Page:
    chars = [c for c in page.chars if c.get("upright", True)]
    found = page.find_tables()
    tables = [_page_table(t, number, chars) for t in found]
    outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
    return _Page(number, float(page.height), tables, lines_of(outside), bool(chars))


def _inside(char: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _page_table(table: Any, number: int, chars: list[dict[str, Any]]) -> PageTable:
    columns = [float(c.bbox[0]) for c in table.columns]
    tops = [float(r.bbox[1]) for r in table.rows]
    rows = [[Box(tuple(b) if b else None) for b in row.cells] for row in table.rows]
    owner = _owners(rows, tops, columns)
    held: dict[int, list[dict[str, Any]]] = {}
    for char in chars:
        if _inside(char, table.bbox):
            x = (float(char["x0"]) + float(char["x1"])) / 2
            y = (float(char["top"]) + float(char["bottom"])) / 2
            box = owner.get((bisect.bisect_right(tops, y) - 1, bisect.bisect_right(columns, x) - 1))
            if box is not None:
                held.setdefault(id(box), []).append(char)
    boxes = [box for row in rows for box in row if box.bbox is not None]
    for box in boxes:
        box.lines = lines_of(held.get(id(box), []))
    # the cell padding: the smallest gap between a cell's left edge and its text (most cells are
    # left-aligned; a centred number would make a wide padding)
    padding = min((b.lines[0].x0 - b.bbox[0] for b in boxes if b.lines and b.bbox), default=0.0)
    for box in boxes:
        assert box.bbox is not None
        box.left, box.right = box.bbox[0] + max(0.0, padding), box.bbox[2] - max(0.0, padding)
    return PageTable(number, columns, rows, tuple(table.bbox))


def _owners(rows: list[list[Box]], tops: list[float], columns: list[float]) -> dict[tuple[int, int], Box]:
    """The cell holding each grid position; marks the positions a span covers "up" under the
    span's first column and "left" elsewhere."""
    owner: dict[tuple[int, int], Box] = {}
    for r, row in enumerate(rows):
        for c, box in enumerate(row):
            if box.bbox is None:
                continue
            last_row = bisect.bisect_left(tops, box.bbox[3] - 1) - 1
            last_col = bisect.bisect_left(columns, box.bbox[2] - 1) - 1
            for r2 in range(r, max(r, last_row) + 1):
                for c2 in range(c, max(c, last_col) + 1):
                    owner[(r2, c2)] = box
                    if (r2, c2) != (r, c) and rows[r2][c2].bbox is None:
                        rows[r2][c2].merge = "up" if c2 == c else "left"
    return owner


# --- from pages to a document -----------------------------------------------------------------


@dataclass
class _Building:
    """A table being read, perhaps over several pages: its rows with the page each starts on."""

    columns: list[float]
    rows: list[tuple[int, list[Box]]]


def _assemble(name: str, pages: list[_Page]) -> RawDocument:
    furniture = _running_lines(pages)
    blocks: list[Paragraph | _Building] = []
    for page in pages:
        first = True
        for item in _page_items(page, furniture):
            if isinstance(item, PageTable):
                last = blocks[-1] if blocks else None
                if first and isinstance(last, _Building) and _same_columns(last.columns, item.columns):
                    _continue(last, item)
                else:
                    blocks.append(_Building(item.columns, [(item.page, row) for row in item.rows]))
            else:
                blocks.append(item)
            first = False
    return RawDocument(name, _finished(name, blocks), merges_marked=True)


def _page_items(page: _Page, furniture: set[str]) -> Iterator[PageTable | Paragraph]:
    """The page's tables and paragraphs from top to bottom, without its running header/footer."""
    lines = [line for line in page.lines if not _is_furniture(line, page, furniture)]
    margins = (min((ln.x0 for ln in lines), default=0.0), max((ln.x1 for ln in lines), default=0.0))
    tables = sorted(page.tables, key=lambda t: t.bbox[1])
    start = 0
    for i, line in enumerate(lines):
        while tables and tables[0].bbox[1] < line.top:
            yield from _paragraphs(lines[start:i], margins, page.number, start)
            start = i
            yield tables.pop(0)
    yield from _paragraphs(lines[start:], margins, page.number, start)
    yield from tables


def _paragraphs(lines: list[Line], margins: tuple[float, float], page: int, skip: int) -> Iterator[Paragraph]:
    """Lines outside tables; a line that fills the text width joins the next, which starts at the
    left margin (a centred title stays a line of its own)."""
    left, right = margins
    start = 0
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        indent = line.x0 - left if i > start else 0.0
        if following is None or not (
            line.x0 - left <= 2.5 * line.size
            and following.x0 - left < 1
            and indent < 1
            and wrapped(line, following, right)
        ):
            text = joined(lines[start : i + 1], right).replace("\n", "")
            yield Paragraph(text, SourcePos("", page=page, row=skip + start + 1))
            start = i + 1


def _running_lines(pages: list[_Page]) -> set[str]:
    """Texts in the top or bottom margin of at least two pages and half of them (numbers ignored)."""
    seen: dict[str, int] = {}
    for page in pages:
        for text in {_shape(line) for line in page.lines if _in_margin(line, page)}:
            seen[text] = seen.get(text, 0) + 1
    return {text for text, count in seen.items() if count >= max(2, len(pages) / 2)}


def _shape(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def _in_margin(line: Line, page: _Page) -> bool:
    return line.top < page.height * _MARGIN or line.top > page.height * (1 - _MARGIN)


def _is_furniture(line: Line, page: _Page, furniture: set[str]) -> bool:
    text = line.text
    return bool(_PAGE_NUMBER.match(text)) or (_in_margin(line, page) and _shape(line) in furniture)


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 2 for x, y in zip(a, b, strict=True))


def _continue(table: _Building, part: PageTable) -> None:
    """A table going on at the top of a page: drop its repeated header, join a row the page break
    cut in two, else give the text that goes on a cell spanning rows above back to that cell."""
    rows = part.rows
    if rows and table.rows and _texts(rows[0]) == _texts(table.rows[0][1]):
        rows = rows[1:]
    if rows and table.rows:
        if _cut_in_two(table, rows[0]):
            for c, box in enumerate(rows[0]):
                if not box.blank and not box.merge:
                    _origin(table, c).lines.extend(box.lines)
            rows = rows[1:]
        else:
            _continue_left_block(table, rows[0])
            if all(box.blank or box.merge for box in rows[0]):
                rows = rows[1:]
    table.rows.extend((part.page, row) for row in rows)


def _continue_left_block(table: _Building, first: list[Box]) -> None:
    """Cells at the top of the page that go on from the cell above, from the left until a cell
    that starts afresh: a cell spanning rows (序号, 主要职责) crosses the page break, or a row was
    cut in two. Their text joins the cell above; they become part of it ("up")."""
    for c, box in enumerate(first):
        if box.merge:
            continue
        origin = _origin(table, c)
        if box.blank:
            if origin.blank:
                return
        elif not _goes_on(origin, box):
            return
        origin.lines.extend(box.lines)
        box.lines, box.merge = [], "up"


def _texts(row: list[Box]) -> list[str]:
    return [box.text() for box in row]


def _origin(table: _Building, column: int) -> Box:
    """The cell whose text a position of the last row shows: up through its vertical span."""
    for _, row in reversed(table.rows):
        if row[column].merge != "up":
            return row[column]
    return table.rows[0][1][column]


def _cut_in_two(table: _Building, first: list[Box]) -> bool:
    """The page break cut a row in two: more of its cells with text on the new page go on from
    a line the layout wrapped above than start afresh, and none is under a blank cell."""
    going_on = fresh = 0
    for c, box in enumerate(first):
        if box.blank or box.merge:
            continue
        if _origin(table, c).blank:
            return False
        if _goes_on(_origin(table, c), box):
            going_on += 1
        else:
            fresh += 1
    return going_on > fresh


def _goes_on(above: Box, box: Box) -> bool:
    if above.blank or above.bbox is None or box.bbox is None:
        return False
    line = above.lines[-1]
    return line.x0 - above.left < 1 and wrapped(line, box.lines[0], above.right)


def _finished(name: str, blocks: list[Paragraph | _Building]) -> list[Paragraph | Table]:
    finished: list[Paragraph | Table] = []
    cells = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            pos = block.pos
            finished.append(Paragraph(block.text, SourcePos(name, page=pos.page, row=pos.row)))
            continue
        number = sum(1 for b in finished if isinstance(b, Table)) + 1
        table = _table(name, number, block)
        cells += sum(len(row.cells) for row in table.rows)
        if cells > MAX_CELLS:
            raise fail(
                SourcePos(name, table=number), f"表格超过 {MAX_CELLS} 个单元格", hint="请拆分文件后再导入"
            )
        finished.append(table)
    return finished


def _table(name: str, number: int, block: _Building) -> Table:
    rows = []
    for r, (page, boxes) in enumerate(block.rows, start=1):
        at = SourcePos(name, table=number, row=r, page=page)
        cells = [
            Cell("" if box.merge else box.text(), SourcePos(name, r, c, table=number, page=page), box.merge)
            for c, box in enumerate(boxes, start=1)
        ]
        rows.append(Row(cells, at))
    first_page = block.rows[0][0] if block.rows else 0
    return Table(rows, SourcePos(name, table=number, page=first_page))
