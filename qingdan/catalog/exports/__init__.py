"""Exports of one list: qingdan/1 JSON, sectioned CSV, and the official 登记表 as xlsx/docx.

Every export can be imported again and gives back the same list.
"""

from __future__ import annotations

import csv
import io
import json

from qingdan.ingest.layouts import BOUNDARIES, DUTIES, POWERS, SERVICES, SUPERVISION, UNITS
from qingdan.ingest.records import REGIME_PARTS, ListRecord


def export_record(record: ListRecord, fmt: str) -> bytes:
    """The list in ``fmt`` (json, csv, xlsx or docx) as bytes."""
    if fmt == "json":
        return (json.dumps(record.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        return write_csv(record).encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    if fmt == "xlsx":
        from qingdan.catalog.exports.xlsx import write_xlsx

        return write_xlsx(record)
    if fmt == "docx":
        from qingdan.catalog.exports.docx import write_docx

        return write_docx(record)
    raise ValueError(fmt)


def section_rows(record: ListRecord) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) per non-empty section, flat: one row per task, share, service, regime,
    power; multi-valued cells joined with newlines. Shared by the CSV and xlsx writers."""
    phones = {u.name: u.phones for u in record.units}
    sections = [
        (
            UNITS.labels(),
            [[str(i), u.name, u.kind, "\n".join(u.phones)] for i, u in enumerate(record.units, 1)],
        ),
        (DUTIES.labels(), _duty_rows(record, phones)),
        (
            BOUNDARIES.labels(),
            [
                [str(i), b.matter, s.department, s.division, s.basis, s.case]
                for i, b in enumerate(record.boundaries, 1)
                for s in b.shares
            ],
        ),
        (
            SERVICES.labels(),
            [
                [str(i), s.name, s.content, "\n".join(s.units), "\n".join(s.phones)]
                for i, s in enumerate(record.services, 1)
            ],
        ),
        (
            SUPERVISION.labels(),
            [
                [str(i), r.matter, *(getattr(r, p) for p in REGIME_PARTS)]
                for i, r in enumerate(record.supervision, 1)
            ],
        ),
        (
            POWERS.labels(),
            [
                [
                    p.code,
                    p.name,
                    p.type,
                    p.subitems,
                    p.basis,
                    p.subject,
                    "\n".join(p.units),
                    p.duties,
                    p.accountability,
                    "\n".join(p.phones),
                ]
                for p in record.powers
            ],
        ),
    ]
    return [(header, rows) for header, rows in sections if rows]


def _duty_rows(record: ListRecord, phones: dict[str, list[str]]) -> list[list[str]]:
    rows = []
    for d in record.duties:
        for t in d.tasks:
            unit_phones = "\n".join(p for u in t.units for p in phones.get(u, []))
            rows.append([d.no, d.text, t.text, "\n".join(t.units), unit_phones, t.note])
        if not d.tasks:
            rows.append([d.no, d.text, "", "", "", ""])
    return rows


def write_csv(record: ListRecord) -> str:
    """One CSV holding each section under its own header row, with a blank row between."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"{record.department}责任清单"])
    for header, rows in section_rows(record):
        writer.writerow([])
        writer.writerow(header)
        writer.writerows(rows)
    return buffer.getvalue()
