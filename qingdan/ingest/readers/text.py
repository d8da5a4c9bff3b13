"""Word tables exported as text (seeds 000–002).

The format: each cell is one line starting with a TAB; a row normally ends at a blank line; a
line without a leading TAB continues the previous cell, even after a blank line (a paragraph
break inside the cell), because a row is complete only when it has as many cells as the first
row (the header) of its table. A heading-like line after a blank line ends the table. A line
that starts with spaces and then a TAB starts a new row whose first cell is empty: Word drops
the TAB of an empty first cell when the row before it ends short (seed 000, 职责边界 8–10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qingdan.ingest.raw import Cell, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.readers.encoding import decode

_BLANK = " \t\r\u3000\xa0\ufeff"

_SECTION_WORDS = "登记表|清单|职责|边界|公共服务|事中事后|监管|监督管理|制度"
# A numbered section title: it ends a table even without a blank line before it.
SECTION_TITLE = re.compile(
    rf"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*\S{{0,24}}(?:{_SECTION_WORDS})\S{{0,12}}\s*$"
)
# Heading-like lines: after a blank line they end a table instead of continuing its last cell.
HEADING = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十]+\s*[、.．]\S{0,30}"  # 一、部门职责
    r"|[（(][一二三四五六七八九十]+[）)]\S{0,40}"  # （一）对属地管理的…
    r"|\S{0,30}(?:登记表|责任清单|权责清单|权力清单|事中事后监管制度|监督管理制度)"
    r")\s*$"
    r"|^\s*(?:注|说明)\s*[：:]"  # 注：1. …
    r"|^\s*(?:部门名称|单位名称|单位\s*[：:])"
)
_WORDLESS = re.compile(r"^[\W_]*$")  # text-box debris such as a lone "(" (seed 001)


@dataclass
class _TableBuilder:
    name: str
    rows: list[Row] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    width: int = 0  # the header's cell count, once known
    row_line: int = 0

    def start_cell(self, text: str, line: int) -> None:
        if not self.cells:
            self.row_line = line
        self.cells.append(Cell(text, SourcePos(self.name, row=line, col=len(self.cells) + 1)))

    def continue_cell(self, text: str, line: int) -> None:
        if not self.cells and not self.rows:
            self.start_cell(text, line)
            return
        # after a complete row, the text continues the last cell of that row (seed 002)
        last = self.cells[-1] if self.cells else self.rows[-1].cells[-1]
        last.text = f"{last.text}\n{text}" if last.text.strip(_BLANK) else text

    def complete(self) -> bool:
        return bool(self.cells) and (not self.width or len(self.cells) >= self.width)

    def end_row(self) -> None:
        if not self.cells:
            return
        if not self.width:
            self.width = len(self.cells)
        self.rows.append(Row(self.cells, SourcePos(self.name, row=self.row_line)))
        self.cells = []

    def table(self) -> Table:
        self.end_row()
        return Table(self.rows, SourcePos(self.name, row=self.rows[0].pos.row if self.rows else 0))


def read(name: str, data: bytes) -> RawDocument:
    """Read the text export into paragraphs and tables."""
    return parse(name, decode(name, data))


def parse(name: str, text: str) -> RawDocument:
    doc = RawDocument(name)
    table: _TableBuilder | None = None
    saw_blank = False
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" not in line and not line.strip(_BLANK):
            saw_blank = True
            if table is not None and table.complete():
                table.end_row()
            continue
        if "\t" in line:
            table = table or _TableBuilder(name)
            _add_cells(table, line, number)
        elif _WORDLESS.match(line):
            continue
        elif table is not None and not SECTION_TITLE.match(line) and not (saw_blank and HEADING.match(line)):
            table.continue_cell(line, number)
        else:
            if table is not None:
                doc.blocks.append(table.table())
                table = None
            doc.blocks.append(Paragraph(line.strip(_BLANK), SourcePos(name, row=number)))
        saw_blank = False
    if table is not None:
        doc.blocks.append(table.table())
    return doc


def _add_cells(table: _TableBuilder, line: str, number: int) -> None:
    head, *cells = line.split("\t")
    if head.strip(_BLANK):
        table.continue_cell(head, number)
    elif head and table.cells:
        # spaces then TAB: a new row with an empty first cell (see the module docstring)
        table.end_row()
        table.start_cell("", number)
    for text in cells:
        table.start_cell(text, number)
