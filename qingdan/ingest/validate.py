"""Checks every record must pass before anything is written, whatever format it came from."""

from __future__ import annotations

from qingdan.ingest.problems import IngestError, Problem
from qingdan.ingest.raw import SourcePos
from qingdan.ingest.records import UNIT_KINDS, ListRecord, UnitRecord

# model field → (label, max length): the database columns that are not TextField
LIMITS = {
    "department": ("部门名称", 200),
    "jurisdiction": ("地区", 100),
    "unit": ("科室名称", 200),
    "share": ("相关部门", 300),
    "code": ("事项编码", 100),
    "type": ("事项类型", 30),
    "subject": ("实施主体", 300),
    "entrusted_to": ("受委托单位", 300),
    "source_id": ("平台事项标识", 100),
}


def validate(record: ListRecord, name: str, multi: bool = False) -> None:
    """Raise IngestError listing every problem; adds units that items name but the list lacks.
    A ``multi``-department export has no department yet: it is split before it is stored."""
    problems: list[Problem] = []
    here = SourcePos(name)

    def check(value: str, key: str, pos: SourcePos | None) -> None:
        label, limit = LIMITS[key]
        if len(value) > limit:
            problems.append(Problem(pos or here, f"长度 {len(value)} 超过上限 {limit} 个字", label))

    if not record.department.strip() and not multi:
        problems.append(Problem(here, "缺少部门名称", "部门", "请用 --department 指定"))
    if not record.jurisdiction.strip():
        problems.append(Problem(here, "缺少地区", "地区", "请用 --jurisdiction 指定"))
    check(record.department, "department", None)
    check(record.jurisdiction, "jurisdiction", None)
    _add_named_units(record)
    for unit in record.units:
        check(unit.name, "unit", unit.pos)
        if unit.kind not in UNIT_KINDS:
            problems.append(
                Problem(
                    unit.pos or here, f"「{unit.kind}」不是有效的机构类别", "类别", "应为内设机构或事业单位"
                )
            )
    for boundary in record.boundaries:
        for share in boundary.shares:
            check(share.department, "share", share.pos)
    for power in record.powers:
        for key in ("code", "type", "subject", "entrusted_to", "source_id"):
            check(getattr(power, key), key, power.pos)
    if problems:
        raise IngestError(problems)


def _add_named_units(record: ListRecord) -> None:
    known = {u.name for u in record.units}
    named = [n for d in record.duties for t in d.tasks for n in t.units]
    named += [n for s in record.services for n in s.units]
    for name in named:
        if name not in known:
            record.units.append(UnitRecord(name=name))
            known.add(name)
