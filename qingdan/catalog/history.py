"""A list over time: what changed between two versions — across a reorganisation too — and the
public change log of a department.

A department's first version is compared with its predecessors' last published lists (机构改革:
鹿泉区工业和信息化局 + 科学技术局 → 鹿泉区科学技术和工业信息化局), merged into one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qingdan.catalog.diff import KIND_LABELS, Change, ListDiff, diff_records
from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import record_of
from qingdan.catalog.succession import record_succession as record_succession  # its old home
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_see_drafts
from qingdan.errors import NotFound
from qingdan.ingest.records import ListRecord

NOTHING = "（无）"  # the "before" of a first version with no predecessors


@dataclass
class VersionDiff:
    department: Department
    new: ListVersion
    old: ListVersion | None  # None: compared with the predecessors, or with nothing
    old_label: str
    diff: ListDiff

    @property
    def is_first(self) -> bool:
        """The department's first list, with nothing before it to compare."""
        return self.old is None and self.old_label == NOTHING

    @property
    def new_label(self) -> str:
        return f"第 {self.new.number} 版（{self.new.get_status_display()}）"

    def labelled(self) -> list[tuple[str, Change]]:
        """Each change with its short Chinese label, for pages."""
        return [(KIND_LABELS.get(c.kind, c.kind), c) for c in self.diff.changes]

    def to_json(self) -> dict[str, Any]:
        return {
            "department": self.department.name,
            "jurisdiction": self.department.jurisdiction.name,
            "from": self.old_label,
            "to": self.new_label,
            "from_version": self.old.number if self.old else None,
            "to_version": self.new.number,
            **self.diff.to_json(),
        }


def version_diff(
    actor: Actor, department: Department, old: int | None = None, new: int | None = None
) -> VersionDiff:
    """What changed from version ``old`` to ``new``. With neither: the newest version the actor
    may see (a draft, for its editors and reviewers) against the one before it."""
    visible = department.versions.all()
    if not can_see_drafts(actor, department):
        visible = visible.published()
    newer = _version(visible, department, new) if new else visible.order_by("-number").first()
    if newer is None:
        raise NotFound(f"{department.name}还没有可查看的清单")
    if old is not None:
        chosen = _version(visible, department, old)
        return _diff(department, newer, chosen, f"第 {chosen.number} 版", record_of(chosen))
    before = visible.filter(number__lt=newer.number).order_by("-number").first()
    if before is not None:
        return _diff(department, newer, before, f"第 {before.number} 版", record_of(before))
    label, record = _first_before(department)
    return _diff(department, newer, None, label, record)


def _first_before(department: Department) -> tuple[str, ListRecord]:
    """What a department's first version is compared with: its predecessors' lists, or nothing."""
    merged = predecessors_record(department)
    if merged is None:
        return NOTHING, ListRecord(department.name, department.jurisdiction.name)
    record, label = merged
    return label, record


def _version(versions: Any, department: Department, number: int) -> ListVersion:
    version = versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"{department.name}没有第 {number} 版清单（或您无权查看）")
    return version


def _diff(
    department: Department, new: ListVersion, old: ListVersion | None, label: str, before: ListRecord
) -> VersionDiff:
    return VersionDiff(department, new, old, label, diff_records(before, record_of(new)))


def predecessors_record(department: Department) -> tuple[ListRecord, str] | None:
    """The predecessors' newest published lists as one list, and a label naming them."""
    versions = [
        v
        for d in department.predecessors.order_by("name")
        if (v := d.versions.published().order_by("-number").first()) is not None
    ]
    if not versions:
        return None
    merged = ListRecord(department.name, department.jurisdiction.name)
    for version in versions:
        record = record_of(version)
        merged.units += [u for u in record.units if merged.unit(u.name) is None]
        for section in ("duties", "boundaries", "services", "supervision", "powers"):
            getattr(merged, section).extend(getattr(record, section))
    label = "、".join(f"{v.department.name}第 {v.number} 版" for v in versions)
    return merged, label


@dataclass
class ChangeLogEntry:
    version: ListVersion
    published_at: datetime | None
    reason: str
    basis: str
    diff: VersionDiff


def change_log(department: Department) -> list[ChangeLogEntry]:
    """Every published version, newest first, with why it changed and what changed."""
    entries = []
    previous: tuple[ListVersion, ListRecord] | None = None
    for version in department.versions.published().order_by("number"):
        record = record_of(version)  # each version is read once: as the new side, then the old
        if previous is None:
            old, (label, before) = None, _first_before(department)
        else:
            old, before = previous
            label = f"第 {old.number} 版"
        diff = VersionDiff(department, version, old, label, diff_records(before, record))
        reason = version.get_change_reason_display() if version.change_reason else ""
        entries.append(ChangeLogEntry(version, version.published_at, reason, version.change_basis, diff))
        previous = (version, record)
    return entries[::-1]
