"""Import a department's enforcement officers from a CSV or XLSX table (执法人员名册).

Columns: 姓名, 科室, 岗位, 执法证号, 证件有效期至, 法律职业资格; optional 执法类别, 执法区域,
证件有效期自, 状态, 公开姓名. Every row is checked before anything is written; a problem names the
file, the row and the field. A re-import updates officers by 执法证号; posts named in the file
are created in their unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from qingdan.catalog.currency import normalised
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.enforcement.models import Officer, Post
from qingdan.enforcement.staff import (
    STATUS_CODES,
    STATUS_LABELS,
    known_of,
    parse_yes_no,
    require_edit,
)
from qingdan.errors import QingdanError
from qingdan.ingest.dates import parse_date
from qingdan.ingest.problems import IngestError, Problem, fail
from qingdan.ingest.raw import Row, SourcePos, Table
from qingdan.ingest.readers import read_bytes

# field → the column headings it is written under (the first is the one the docs name)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "unit": ("科室", "所在科室", "内设机构", "股室"),
    "post": ("岗位", "执法岗位"),
    "certificate_number": ("执法证号", "执法证件号", "执法证件号码", "证件号码", "证号"),
    "valid_until": ("证件有效期至", "有效期至", "执法证有效期至"),
    "legal_qualification": ("法律职业资格", "是否具有法律职业资格"),
    "category": ("执法类别", "执法门类"),
    "area": ("执法区域", "执法地域"),
    "valid_from": ("证件有效期自", "有效期自", "执法证有效期自"),
    "status": ("状态",),
    "public": ("公开姓名",),
}
REQUIRED = ["name", "unit", "post", "certificate_number", "valid_until", "legal_qualification"]
LABELS = {key: names[0] for key, names in COLUMNS.items()}


@dataclass
class StaffImport:
    created: int = 0
    updated: int = 0
    posts_created: int = 0

    def summary(self, name: str) -> str:
        return (
            f"已导入 {name}：新增执法人员 {self.created} 名，更新 {self.updated} 名，"
            f"新建岗位 {self.posts_created} 个。"
        )


def import_staff(actor: Actor, department: Department, name: str, data: bytes) -> StaffImport:
    """All rows or none: check the whole file, then write it in one transaction."""
    require_edit(actor, department)
    rows = read_rows(name, data)
    known = known_of(department)
    problems: list[Problem] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row, cells in rows:
        values: dict[str, Any] = {}
        for key, (text, pos) in cells.items():
            try:
                values[key] = _field(key, text, known)
            except QingdanError as exc:
                problems.append(Problem(pos, exc.message, LABELS[key]))
        for key in REQUIRED:
            if key in ("legal_qualification",):
                continue
            if not cells.get(key, ("", None))[0].strip():
                pos = cells[key][1] if key in cells else row.pos
                problems.append(Problem(pos, f"「{LABELS[key]}」不能为空", LABELS[key]))
        number = cells.get("certificate_number", ("", row.pos))[0].strip()
        if number:
            if number in seen:
                problems.append(
                    Problem(
                        cells["certificate_number"][1],
                        f"执法证号「{number}」与第 {seen[number]} 行重复",
                        LABELS["certificate_number"],
                    )
                )
            seen[number] = row.pos.row
            other = Officer.objects.filter(certificate_number=number).exclude(department=department).first()
            if other is not None:
                problems.append(
                    Problem(
                        cells["certificate_number"][1],
                        f"执法证号「{number}」已登记给{other.department.name}的{other.name}",
                        LABELS["certificate_number"],
                    )
                )
        parsed.append(values)
    if problems:
        raise IngestError(problems[:100])
    if not parsed:
        raise fail(SourcePos(name), "表格中没有执法人员")
    result = StaffImport()
    with transaction.atomic():
        for values in parsed:
            post, made = Post.objects.get_or_create(
                department=department,
                unit=values["unit"],
                name=values["post"],
                defaults={"updated_by_name": actor.name},
            )
            result.posts_created += made
            officer = Officer.objects.filter(
                department=department, certificate_number=values["certificate_number"]
            ).first()
            if officer is None:
                officer = Officer(department=department)
                result.created += 1
            else:
                result.updated += 1
            for key, value in values.items():
                setattr(officer, key, post if key == "post" else value)
            officer.updated_by_name = actor.name
            officer.save()
        log(
            actor,
            "staff_import",
            department,
            after={
                "source": name,
                "created": result.created,
                "updated": result.updated,
                "posts": result.posts_created,
            },
        )
    return result


def _field(key: str, text: str, known: Any) -> Any:
    text = text.strip()
    if key == "unit":
        return known.unit(text) if text else ""
    if key in ("valid_from", "valid_until"):
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise QingdanError(f"「{text}」不是日期（可写 2027-06-30、2027/6/30 或 2027年6月30日）")
        return day
    if key in ("legal_qualification", "public"):
        value = parse_yes_no(text)
        if value is None:
            raise QingdanError(f"「{text}」应写 是/否 或 有/无")
        return value
    if key == "status":
        if not text:
            return Officer.ACTIVE
        code = STATUS_CODES.get(text, text)
        if code not in STATUS_LABELS:
            raise QingdanError(f"「{text}」不是有效状态（可用：{'、'.join(STATUS_LABELS.values())}）")
        return code
    return text


def read_rows(name: str, data: bytes) -> list[tuple[Row, dict[str, tuple[str, SourcePos]]]]:
    """The table's data rows, each as {field: (text, position)}, after its heading row."""
    doc = read_bytes(name, data)
    for table in doc.tables():
        found = _heading(table)
        if found is None:
            continue
        index, columns = found
        missing = [LABELS[k] for k in REQUIRED if k not in columns]
        if missing:
            raise fail(
                table.rows[index].pos,
                f"表头缺少列：{'、'.join(missing)}",
                hint="需要的列：" + "、".join(LABELS[k] for k in REQUIRED),
            )
        rows = []
        for row in table.rows[index + 1 :]:
            if all(c.blank for c in row.cells):
                continue
            cells = {
                key: (row.cells[col].text if col < len(row.cells) else "", _pos(row, col))
                for key, col in columns.items()
            }
            rows.append((row, cells))
        return rows
    raise fail(
        SourcePos(name),
        "找不到执法人员名册的表头",
        hint="第一行应为列名：" + "、".join(LABELS[k] for k in REQUIRED),
    )


def _pos(row: Row, col: int) -> SourcePos:
    if col < len(row.cells):
        return row.cells[col].pos
    return SourcePos(row.pos.file, row.pos.row, col + 1, row.pos.sheet)


def _heading(table: Table) -> tuple[int, dict[str, int]] | None:
    """The heading row (within the first ten) and the column of each field it names."""
    lookup = {normalised(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
    for index, row in enumerate(table.rows[:10]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row.cells):
            key = lookup.get(normalised(cell.text))
            if key and key not in columns:
                columns[key] = col
        if "name" in columns and "certificate_number" in columns:
            return index, columns
    return None
