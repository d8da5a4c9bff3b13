"""Open data for the whole registry: every current department's newest published list in one file
(an abolished department's lists stay downloadable from its own page)."""

from __future__ import annotations

import csv
import io
import json

from qingdan.catalog.exports import sections
from qingdan.catalog.services import record_of
from qingdan.cells import append_text_row, csv_rows
from qingdan.core.models import Department
from qingdan.ingest.records import ListRecord

MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def published_records() -> list[ListRecord]:
    records = []
    for dept in Department.objects.current().order_by("jurisdiction__name", "name"):
        version = dept.versions.published().order_by("-number").first()
        if version is not None:
            records.append(record_of(version))
    return records


def registry_export(fmt: str) -> bytes:
    """JSON: a list of qingdan/1 documents. CSV/XLSX: one row per task with its department."""
    records = published_records()
    if fmt == "json":
        return json.dumps({"lists": [r.to_json() for r in records]}, ensure_ascii=False).encode()
    header = ["地区", "部门", "序号", "主要职责", "具体工作事项", "责任科室", "联系方式", "备注"]
    rows = [
        [r.jurisdiction, r.department, *row]
        for r in records
        for section in sections(r)
        if section.layout.kind == "duties"
        for row in section.rows
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(csv_rows([header, *rows]))
        return buffer.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "部门职责"
    for row in [header, *rows]:
        append_text_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
