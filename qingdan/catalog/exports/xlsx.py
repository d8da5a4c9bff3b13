"""The official 登记表 as an Excel workbook: one sheet per section, 序号 and 主要职责 (or 管理事项)
merged over their rows, a title row above the header, borders, wrapped text."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qingdan.catalog.exports import merge_runs, section_rows, title_of
from qingdan.ingest.layouts import Layout
from qingdan.ingest.records import ListRecord

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_FONT = Font(name="宋体", size=10)
_WIDE = {
    "主要职责",
    "具体工作事项",
    "职责分工",
    "相关依据",
    "案例",
    "主要内容",
    "设定依据",
    "责任事项",
    "追责情形",
}


def write_xlsx(record: ListRecord) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for layout, rows in section_rows(record):
        _write_sheet(book.create_sheet(layout.title[:31]), title_of(record, layout.title), layout, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Worksheet, title: str, layout: Layout, rows: list[list[str]]) -> None:
    header = layout.labels()
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.cell(1, 1).font = Font(name="宋体", size=14, bold=True)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for (first, last), col in merge_runs(layout, rows):
        sheet.merge_cells(start_row=first + 3, start_column=col + 1, end_row=last + 3, end_column=col + 1)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.border, cell.alignment, cell.font = _BORDER, _WRAP, _FONT
    for cell in sheet[2]:
        cell.font = Font(name="宋体", size=10, bold=True)
    for i, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = 40 if label in _WIDE else 14
    sheet.print_title_rows = "2:2"
