"""The official 登记表 as an Excel workbook: one sheet per section, a title row merged above the
header, 序号 and 主要职责 (or 管理事项) merged over their rows, borders, wrapped 宋体 text, and a
header row that stays in view and repeats on every printed page."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qingdan.catalog.exports import Section, merge_runs, sections, title_of
from qingdan.cells import append_text_row
from qingdan.ingest.records import ListRecord

FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TEXT = Alignment(wrap_text=True, vertical="center")
_CENTERED = Alignment(wrap_text=True, vertical="center", horizontal="center")
_TITLE_FONT = Font(name=FONT, size=16, bold=True)
_HEADER_FONT = Font(name=FONT, size=11, bold=True)
_BODY_FONT = Font(name=FONT, size=10)

# Column widths in characters; a column not named here gets 14.
_WIDTHS = {"序号": 6.0, "机构类别": 10.0, "联系电话": 12.0, "联系方式": 12.0, "监督电话": 12.0}
_WIDTHS |= dict.fromkeys(("主要职责", "具体工作事项", "职责分工", "相关依据", "案例", "主要内容"), 40.0)
_WIDTHS |= dict.fromkeys(("设定依据", "责任事项", "追责情形", "监督检查内容", "监督检查程序"), 36.0)
_WIDTHS |= dict.fromkeys(("管理事项", "服务事项", "事项", "事项名称", "监督检查对象"), 20.0)


def write_xlsx(record: ListRecord) -> bytes:
    """The list as the official 登记表 in an .xlsx workbook, one sheet per section."""
    book = Workbook()
    book.remove(book.worksheets[0])
    book.properties.title, book.properties.creator = title_of(record), record.department
    for section in sections(record):
        sheet = book.create_sheet(section.layout.title[:31])
        write_sheet(sheet, title_of(record, section.layout.title), section)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_sheet(sheet: Worksheet, title: str, section: Section) -> None:
    """Title row 1, header row 2, the rows from row 3, each cell bordered and wrapped."""
    labels, rows = section.layout.labels(), section.rows
    _title_row(sheet, title, len(labels))
    append_text_row(sheet, labels)
    for values in rows:
        append_text_row(
            sheet, [_cell_value(label, value) for label, value in zip(labels, values, strict=True)]
        )
    for (first, last), col in merge_runs(section):
        sheet.merge_cells(start_row=first + 3, start_column=col + 1, end_row=last + 3, end_column=col + 1)
    _style_table(sheet, labels)
    _set_up_page(sheet, labels)


def _title_row(sheet: Worksheet, title: str, width: int) -> None:
    append_text_row(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font, sheet.cell(1, 1).alignment = _TITLE_FONT, _CENTERED
    sheet.row_dimensions[1].height = 32


def _cell_value(label: str, value: str) -> str | int:
    """序号 as a number, so Excel does not flag it as a number stored as text; the rest as text."""
    if label == "序号" and value.isdecimal() and value.isascii() and not value.startswith("0"):
        return int(value)
    return value


def _style_table(sheet: Worksheet, labels: list[str]) -> None:
    for line in sheet.iter_rows(min_row=2, max_col=len(labels)):
        for cell in line:
            cell.border, cell.font = _BORDER, _BODY_FONT
            cell.alignment = _CENTERED if cell.column == 1 and labels[0] == "序号" else _TEXT
    for cell in sheet[2]:
        cell.font, cell.alignment = _HEADER_FONT, _CENTERED


def _set_up_page(sheet: Worksheet, labels: list[str]) -> None:
    """Column widths, the header frozen in view, A4 landscape fitted to the page width."""
    for i, label in enumerate(labels, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(label, 14.0)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
