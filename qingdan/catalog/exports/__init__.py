"""Exports of one list: qingdan/1 JSON, sectioned CSV, and the official 登记表 as xlsx/docx.

Every export can be imported again and gives back the same list.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace

from qingdan.cells import csv_rows
from qingdan.ingest.layouts import (
    BOUNDARIES,
    DUTIES,
    OPTIONAL_POWER_FIELDS,
    POWERS,
    SERVICES,
    SUPERVISION,
    UNITS,
    Layout,
)
from qingdan.ingest.records import REGIME_PARTS, ListRecord, PowerRecord


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


@dataclass
class Section:
    """One table of an export: flat rows (one per task, share, service, regime, power), and how
    many consecutive rows belong to one duty or boundary matter (the runs a 登记表 merges)."""

    layout: Layout
    rows: list[list[str]]
    groups: list[int] = field(default_factory=list)


def sections(record: ListRecord) -> list[Section]:
    """Every non-empty section of a list; multi-valued cells joined with newlines."""
    groups = {
        DUTIES.kind: [max(1, len(d.tasks)) for d in record.duties],
        BOUNDARIES.kind: [len(b.shares) for b in record.boundaries],
    }
    return [Section(layout, rows, groups.get(layout.kind, [])) for layout, rows in _section_rows(record)]


def _section_rows(record: ListRecord) -> list[tuple[Layout, list[list[str]]]]:
    phones = {u.name: u.phones for u in record.units}
    sections = [
        (
            UNITS,
            [[str(i), u.name, u.kind, "\n".join(u.phones)] for i, u in enumerate(record.units, 1)],
        ),
        (DUTIES, _duty_rows(record, phones)),
        (
            BOUNDARIES,
            [
                [str(i), b.matter, s.department, s.division, s.basis, s.case]
                for i, b in enumerate(record.boundaries, 1)
                for s in b.shares
            ],
        ),
        (
            SERVICES,
            [
                [str(i), s.name, s.content, "\n".join(s.units), "\n".join(s.phones)]
                for i, s in enumerate(record.services, 1)
            ],
        ),
        (
            SUPERVISION,
            [
                [str(i), r.matter, *(getattr(r, p) for p in REGIME_PARTS)]
                for i, r in enumerate(record.supervision, 1)
            ],
        ),
        _power_section(record.powers),
    ]
    return [(layout, rows) for layout, rows in sections if rows]


def _power_section(powers: list[PowerRecord]) -> tuple[Layout, list[list[str]]]:
    """The power table, with the optional elements only when some item has them."""
    unused = {f for f in OPTIONAL_POWER_FIELDS if not any(getattr(p, f) for p in powers)}
    layout = replace(POWERS, columns=tuple(c for c in POWERS.columns if c.field not in unused))
    return layout, [[_power_cell(p, c.field) for c in layout.columns] for p in powers]


def _power_cell(power: PowerRecord, fieldname: str) -> str:
    value = getattr(power, fieldname)
    if isinstance(value, dict):
        return "\n".join(f"{k}：{v}" for k, v in value.items())
    return "\n".join(value) if isinstance(value, list) else str(value)


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
    writer.writerows(csv_rows([[title_of(record)]]))
    for section in sections(record):
        writer.writerow([])
        writer.writerows(csv_rows([section.layout.labels(), *section.rows]))
    return buffer.getvalue()


def title_of(record: ListRecord, section: str = "") -> str:
    """The title an export writes; the importer reads the department back from it."""
    return f"{record.department}责任清单" + (f"——{section}" if section else "")


# the columns merged over a run of rows that belong to one duty or one boundary matter
MERGED_COLUMNS = {DUTIES.kind: (0, 1), BOUNDARIES.kind: (0, 1)}


def merge_runs(section: Section) -> list[tuple[tuple[int, int], int]]:
    """((first row, last row), column) for each run of rows to merge vertically, 0-based."""
    runs: list[tuple[tuple[int, int], int]] = []
    start = 0
    for size in section.groups:
        if size > 1:
            runs.extend(((start, start + size - 1), col) for col in MERGED_COLUMNS[section.layout.kind])
        start += size
    return runs
