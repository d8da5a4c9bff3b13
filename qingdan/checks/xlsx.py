"""Findings as an Excel workbook for offline review: one row per finding, decisions included."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from qingdan.cells import append_text_row
from qingdan.checks.base import SEVERITY_LABELS
from qingdan.checks.services import CheckReport

HEADER = [
    "地区",
    "部门",
    "版本",
    "严重程度",
    "检查项",
    "检查项名称",
    "位置",
    "说明",
    "原文",
    "建议",
    "结论",
    "理由",
    "指纹",
]
WIDTHS = [12, 24, 6, 8, 22, 16, 24, 40, 40, 30, 10, 20, 26]


def findings_xlsx(reports: list[CheckReport]) -> bytes:
    """Every finding of the reports, one sheet, header frozen, text wrapped."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "体检发现"
    append_text_row(sheet, HEADER)
    for report in reports:
        for f in report.findings:
            decision = f.decision
            append_text_row(
                sheet,
                [
                    report.department.jurisdiction.name,
                    report.department.name,
                    report.version.number,
                    SEVERITY_LABELS[f.severity],
                    f.check_id,
                    f.title,
                    "；".join(f.locations) or f.location,
                    f.message,
                    f.evidence,
                    f.suggestion,
                    decision.get_status_display() if decision else "",
                    decision.reason if decision else "",
                    f.fingerprint,
                ],
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
