"""Text cells in the spreadsheets qingdan hands out, kept as text.

A list's text comes from other people's files, and a cell starting with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return before one) is a live formula when Excel or WPS opens the file
(OWASP "CSV injection"). Every XLSX and CSV writer goes through these helpers: XLSX cells are
written as strings with Excel's quote prefix, CSV cells that would start a formula get a leading
single quote, which the CSV reader takes off again so that our own exports import unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
EXCEL_CELL_LIMIT = 32767  # characters; Excel calls a file with a longer cell corrupt


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _escaped_start(text: str) -> bool:
    """A formula start, or quotes before one (so that text which already begins '= reads back)."""
    return starts_formula(text.lstrip(CSV_ESCAPE))


def csv_cell(value: Any) -> Any:
    """A cell for ``csv.writer``: text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and _escaped_start(value):
        return CSV_ESCAPE + value
    return value


def csv_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [[csv_cell(v) for v in row] for row in rows]


def csv_unescape(text: str) -> str:
    """The CSV reader's inverse of ``csv_cell``: '=SUM(…) read back as =SUM(…)."""
    if text.startswith(CSV_ESCAPE) and _escaped_start(text[1:]):
        return text[1:]
    return text


def xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: control characters XML refuses dropped (vertical tab and form
    feed become line breaks), cut at Excel's cell limit."""
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", text)
    return text[:EXCEL_CELL_LIMIT]


def append_text_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append`` that writes every string as a string, never as a formula."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if starts_formula(cell.value):
                cell.quotePrefix = True  # Excel shows it as text even after the cell is edited
