"""Excel workbooks: every sheet in order, each as one table of its non-empty rows.

Title rows above the header stay in the table (interpretation finds the header itself). Merged
ranges keep their text in the top-left cell; the cells below it are marked "up", the others
"left". Formulas give their cached value; nothing in the workbook is evaluated or run.

The workbook is loaded in full rather than read-only: read-only mode hides merged ranges and
trusts the sheet's declared dimension, which some generators write wrong.
"""

from __future__ import annotations

import bisect
import datetime
import io
import re
import warnings
import zipfile
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from qingdan.ingest.problems import IngestError, fail
from qingdan.ingest.raw import Cell, Merge, RawDocument, Row, SourcePos, Table
from qingdan.ingest.safety import open_zip

MAX_CELLS = 2_000_000

_MERGE_REF = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="(\$?[A-Za-z]{1,3}\$?\d{1,7}:\$?[A-Za-z]{1,3}\$?\d{1,7})"'
)
# Excel stores a carriage return in a string as _x000D_; openpyxl leaves the escape in the text.
_ESCAPED_CONTROL = re.compile(r"_x(00[01][0-9A-Fa-f])_")


def read(name: str, data: bytes) -> RawDocument:
    """Every sheet of an .xlsx workbook as one table, rows at their Excel row numbers."""
    archive = open_zip(name, data, "Excel")
    try:
        with archive:
            _check_merged_area(name, archive)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every extension it skips
            book = load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
        tables = [sheet_table(name, sheet) for sheet in book.worksheets]
    except IngestError:
        raise
    except Exception as exc:  # openpyxl, zipfile and lxml raise many kinds for broken files
        raise _unreadable(name, exc) from exc
    return RawDocument(name, [t for t in tables if t.rows], merges_marked=True)


def _check_merged_area(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse merged ranges too large to lay out: openpyxl makes an object for every cell in one."""
    area = 0
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            area += sum(_area(ref) for ref in _MERGE_REF.findall(archive.read(info)))
    if area > MAX_CELLS:
        raise fail(
            SourcePos(name),
            f"合并单元格共覆盖 {area} 个单元格，超过上限 {MAX_CELLS}（文件已损坏或是恶意文件）",
            hint="此文件不会被导入",
        )


def _area(ref: bytes) -> int:
    min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
    return (abs(max_row - min_row) + 1) * (abs(max_col - min_col) + 1)


def _unreadable(name: str, exc: Exception) -> IngestError:
    return fail(
        SourcePos(name),
        f"无法读取 Excel 文件，文件内容已损坏或不是 .xlsx（{type(exc).__name__}）",
        hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
    )


def sheet_table(name: str, sheet: Worksheet) -> Table:
    """One sheet's non-empty rows, cut after its last non-empty column."""
    texts = _texts(sheet)
    numbers = sorted({r for r, _ in texts})
    width = max((c for _, c in texts), default=0)
    if len(numbers) * width > MAX_CELLS:
        raise fail(
            SourcePos(name, sheet=sheet.title),
            f"工作表范围过大（{len(numbers)} 行 × {width} 列）",
            hint="请删除表格以外远处的内容，或拆分文件后再导入",
        )
    merges = _merges(sheet, numbers, width)
    rows = [_row(SourcePos(name, row=r, sheet=sheet.title), width, texts, merges) for r in numbers]
    return Table(rows, SourcePos(name, sheet=sheet.title))


def _texts(sheet: Worksheet) -> dict[tuple[int, int], str]:
    """The non-blank cells by (row, column).

    Reads the cells that exist: iterating the sheet's grid would create every cell up to a stray
    value in XFD1048576.
    """
    texts = {}
    for (r, c), cell in sheet._cells.items():
        text = cell_text(cell.value)
        if text.strip(" \t\r\n\u3000\xa0"):
            texts[(r, c)] = text
    return texts


def _row(
    pos: SourcePos, width: int, texts: dict[tuple[int, int], str], merges: dict[tuple[int, int], Merge]
) -> Row:
    r = pos.row
    cells = [
        Cell(texts.get((r, c), ""), SourcePos(pos.file, r, c, pos.sheet), merges.get((r, c), ""))
        for c in range(1, width + 1)
    ]
    return Row(cells, pos)


def _merges(sheet: Worksheet, numbers: list[int], width: int) -> dict[tuple[int, int], Merge]:
    """The merge mark of every cell that is read and lies inside a merged range."""
    marks: dict[tuple[int, int], Merge] = {}
    for rng in sheet.merged_cells.ranges:
        for r in _rows_within(rng, numbers):
            for c in range(rng.min_col, min(rng.max_col, width) + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    marks[(r, c)] = "up" if c == rng.min_col else "left"
    return marks


def _rows_within(rng: CellRange, numbers: list[int]) -> list[int]:
    """The row numbers read that a range covers: a range over a whole column costs nothing."""
    start = bisect.bisect_left(numbers, rng.min_row)
    end = bisect.bisect_right(numbers, rng.max_row)
    return numbers[start:end]


def cell_text(value: Any) -> str:
    """A cell value as Excel shows it: 2269700.0 → 2269700, a date → 2021-01-01."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        text = _ESCAPED_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), value)
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return str(value)
