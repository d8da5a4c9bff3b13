"""Excel workbooks: every sheet in order, each as one table of its non-empty rows.

Title rows above the header stay in the table (interpretation finds the header itself). Merged
ranges keep their text in the top-left cell; the cells below it are marked "up", the others
"left". Formulas give their cached value; nothing in the workbook is evaluated or run.
"""

from __future__ import annotations

import datetime
import io
import warnings
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import Cell, Merge, RawDocument, Row, SourcePos, Table
from qingdan.ingest.safety import open_zip


def read(name: str, data: bytes) -> RawDocument:
    open_zip(name, data, "Excel").close()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise fail(
            SourcePos(name),
            f"无法读取 Excel 文件（{type(exc).__name__}）",
            hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
        ) from exc
    doc = RawDocument(name)
    for sheet in book.worksheets:
        table = _sheet_table(name, sheet)
        if table.rows:
            doc.blocks.append(table)
    return doc


def _merges(sheet: Worksheet) -> dict[tuple[int, int], Merge]:
    marks: dict[tuple[int, int], Merge] = {}
    for rng in sheet.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                if (row, col) != (rng.min_row, rng.min_col):
                    marks[(row, col)] = "up" if col == rng.min_col else "left"
    return marks


def _sheet_table(name: str, sheet: Worksheet) -> Table:
    merges = _merges(sheet)
    rows: list[Row] = []
    for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_text(v) for v in values]
        while texts and not texts[-1].strip():
            texts.pop()
        if not any(t.strip() for t in texts):
            continue
        cells = [
            Cell(t, SourcePos(name, row=r, col=c, sheet=sheet.title), merges.get((r, c), ""))
            for c, t in enumerate(texts, start=1)
        ]
        rows.append(Row(cells, SourcePos(name, row=r, sheet=sheet.title)))
    return Table(rows, SourcePos(name, sheet=sheet.title))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")
