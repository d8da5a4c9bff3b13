"""What every reader returns: a document as paragraphs and tables, each piece with its position.

Readers only read. They do not decide what a table means, fill merged cells or name units;
``qingdan.ingest.interpret`` does that once for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# How a cell relates to its neighbours in the source. "up": the source says it is the
# continuation of a vertical merge (docx vMerge, an xlsx merged range below its first row);
# "left": the continuation of a horizontal merge (docx gridSpan, xlsx merged range to the right).
Merge = Literal["", "up", "left"]


@dataclass(frozen=True)
class SourcePos:
    """Where a piece of text stands in its file: 1-based line/row and column, optional sheet."""

    file: str
    row: int = 0
    col: int = 0
    sheet: str = ""
    table: int = 0  # 1-based table number in a Word document
    path: str = ""  # a JSON path in a qingdan/1 document, e.g. duties[3].tasks[0]
    page: int = 0  # 1-based page of a PDF

    def describe(self, column_name: str = "") -> str:
        """A Chinese position for people: 「a.xlsx」, 工作表「职责」, 第 12 行, 第 4 列「责任科室」;
        in a PDF 「a.pdf」, 第 3 页, 第 2 个表格, 第 5 行."""
        parts = [f"「{self.file}」"]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.page:
            parts.append(f"第 {self.page} 页")
        if self.table:
            parts.append(f"第 {self.table} 个表格")
        if self.path:
            parts.append(f"位置 {self.path}")
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.col:
            parts.append(f"第 {self.col} 列" + (f"「{column_name}」" if column_name else ""))
        elif column_name:
            parts.append(f"「{column_name}」")
        return ", ".join(parts)


def _checked(text: str, pos: SourcePos) -> str:
    """Every reader's text passes here: NUL dropped, a lone surrogate refused at its position."""
    if text.isascii() and "\x00" not in text:
        return text
    from qingdan.ingest.readers.jsondoc import clean_text

    return clean_text(text, pos)


@dataclass
class Cell:
    text: str
    pos: SourcePos
    merge: Merge = ""

    def __post_init__(self) -> None:
        self.text = _checked(self.text, self.pos)

    @property
    def blank(self) -> bool:
        return not self.text.strip(" \t\r\n\u3000\xa0")


@dataclass
class Row:
    cells: list[Cell]
    pos: SourcePos

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Paragraph:
    text: str
    pos: SourcePos

    def __post_init__(self) -> None:
        self.text = _checked(self.text, self.pos)


@dataclass
class Table:
    rows: list[Row]
    pos: SourcePos


Block = Paragraph | Table


@dataclass
class RawDocument:
    """A file as read: its blocks in document order."""

    name: str
    blocks: list[Block] = field(default_factory=list)
    # True when the format marks merged cells itself (docx, xlsx) or has none (CSV, JSON): then a
    # blank cell is blank. In the text export a blank cell may be a merge, so it inherits.
    merges_marked: bool = False

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
