"""依据变更提醒: when a law in the registry is amended or repealed, the departments whose current
published list cites it and was published before that day are told, with the items that cite it.

The change owes ``PendingWork.LAW`` (key = the law's id) in its own transaction; ``law_changed``
does the work after commit. It reads the registry again, so it is idempotent: a reminder exists
once per (law, department, change, day), whatever the number of settles. It also runs the
清单体检 of every current version citing the law again, so the stored findings of 引用已废止 /
已修改的法律 follow the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qingdan.catalog.models import LegalCitation, ListVersion
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_edit, can_see_drafts, require
from qingdan.errors import QingdanError
from qingdan.laws.models import Law, LawChangeReminder
from qingdan.laws.names import article_label


@dataclass(frozen=True)
class Change:
    kind: str  # LawChangeReminder.AMENDED | REPEALED
    day: dt.date
    name: str = ""

    def describe(self, law: Law) -> str:
        verb = "废止" if self.kind == LawChangeReminder.REPEALED else (self.name or "修改")
        return f"《{law.title}》于 {self.day} {verb}"


def changes_of(law: Law) -> list[Change]:
    """The dated changes of a law: each amendment (by the day it was adopted) and its repeal."""
    found = [Change(LawChangeReminder.AMENDED, a.adopted_on, a.name) for a in law.amendments.all()]
    if law.repealed_on is not None:
        found.append(Change(LawChangeReminder.REPEALED, law.repealed_on))
    return found


def published_on(version: ListVersion) -> dt.date:
    """The day a version was published (its creation when an import published it at once)."""
    return timezone.localdate(version.published_at or version.created_at)


def _item(citation: LegalCitation) -> dict[str, Any]:
    article = citation.article or (article_label(citation.article_number) if citation.article_number else "")
    if citation.power is not None:
        return {"kind": "power", "label": citation.power.name, "article": article, "id": citation.power_id}
    share = citation.share
    assert share is not None
    label = f"{share.matter.matter}（{share.department}）" if share.department else share.matter.matter
    return {"kind": "boundary", "label": label, "article": article, "id": share.matter_id}


def law_changed(law_ids: set[int]) -> int:
    """The background half of an amendment or repeal (``PendingWork.LAW``): reminders for the
    departments concerned and the 清单体检 of the versions citing the laws; returns how many
    reminders were added."""
    from qingdan.catalog.powers import current_versions
    from qingdan.checks.services import run_checks

    current = current_versions()
    added = 0
    rechecked: set[int] = set()
    for law in Law.objects.filter(pk__in=sorted(law_ids)).prefetch_related("amendments"):
        citations = (
            LegalCitation.objects.filter(law=law, version_id__in=list(current))
            .select_related("power", "share__matter")
            .order_by("version_id", "pk")
        )
        by_version: dict[int, list[dict[str, Any]]] = {}
        for citation in citations:
            items = by_version.setdefault(citation.version_id, [])
            item = _item(citation)
            if item not in items:
                items.append(item)
        changes = changes_of(law)
        with transaction.atomic():
            for version_id, items in by_version.items():
                version = current[version_id]
                for change in changes:
                    if published_on(version) >= change.day:
                        continue
                    _, created = LawChangeReminder.objects.get_or_create(
                        law=law,
                        department=version.department,
                        change=change.kind,
                        changed_on=change.day,
                        defaults={"version": version, "items": items},
                    )
                    added += created
        rechecked |= set(by_version)
    for version_id in sorted(rechecked):
        run_checks(current[version_id])
    return added


# --- who sees and handles them --------------------------------------------------------------


def visible_reminders(
    actor: Actor, *, status: str | None = LawChangeReminder.OPEN
) -> QuerySet[LawChangeReminder]:
    """The reminders ``actor`` sees: a 填报员 their department's, a reviewer their
    jurisdiction's, an administrator all; others none."""
    rows = LawChangeReminder.objects.select_related("law", "department", "version", "draft")
    if status:
        rows = rows.filter(status=status)
    if actor.is_admin:
        return rows
    if actor.is_reviewer and actor.jurisdiction_id is not None:
        return rows.filter(department__jurisdiction_id=actor.jurisdiction_id)
    if actor.department_id is not None and actor.role == "filler":
        return rows.filter(department_id=actor.department_id)
    return rows.none()


def reminder_for(actor: Actor, pk: int) -> LawChangeReminder:
    reminder = LawChangeReminder.objects.select_related("law", "department").filter(pk=pk).first()
    if reminder is None or not can_see_drafts(actor, reminder.department):
        raise QingdanError(f"没有编号为 {pk} 的依据变更提醒，或您无权查看。")
    return reminder


def basis_of(reminder: LawChangeReminder) -> str:
    """The 调整依据 a draft started from the reminder is given: 《X》于 date 废止/修改."""
    law = reminder.law
    text = Change(reminder.change, reminder.changed_on).describe(law)
    if reminder.change == LawChangeReminder.REPEALED and law.successor is not None:
        text += f"，由《{law.successor.title}》取代"
    return text


def start_revision(actor: Actor, reminder: LawChangeReminder) -> ListVersion:
    """One click from a reminder to the department's draft, its 调整原因 法律立改废 and its
    调整依据 filled in; the reminder is marked drafted (who, when)."""
    from qingdan.catalog.editing import start_draft

    department = reminder.department
    require(can_edit(actor, department), actor, f"修订{department.name}的清单")
    if reminder.status == LawChangeReminder.CLOSED:
        raise QingdanError("这条依据变更提醒已关闭，不能再从它开始修订。")
    with transaction.atomic():
        draft = start_draft(actor, department)
        basis = basis_of(reminder)
        draft = ListVersion.objects.select_for_update().get(pk=draft.pk)
        reasons = {"change_reason": draft.change_reason, "change_basis": draft.change_basis}
        draft.change_reason = "law"
        if basis not in draft.change_basis:
            draft.change_basis = "\n".join(filter(None, [draft.change_basis, basis]))
        draft.save(update_fields=["change_reason", "change_basis", "updated_at"])
        LawChangeReminder.objects.filter(pk=reminder.pk).update(
            status=LawChangeReminder.DRAFTED,
            draft=draft,
            handled_at=timezone.now(),
            handled_by_name=str(actor)[:150],
        )
        reminder.refresh_from_db()
        log(
            actor,
            "law_reminder_draft",
            reminder,
            before=reasons,
            after={"draft": draft.number, "basis": basis},
        )
    return draft


def close_reminder(actor: Actor, reminder: LawChangeReminder, note: str = "") -> LawChangeReminder:
    """Close a reminder without a revision (the items need no change); the note is audited."""
    require(can_edit(actor, reminder.department), actor, f"关闭{reminder.department.name}的依据变更提醒")
    if reminder.status == LawChangeReminder.CLOSED:
        raise QingdanError("这条依据变更提醒已经关闭。")
    with transaction.atomic():
        before = reminder.status
        LawChangeReminder.objects.filter(pk=reminder.pk).update(
            status=LawChangeReminder.CLOSED, handled_at=timezone.now(), handled_by_name=str(actor)[:150]
        )
        reminder.refresh_from_db()
        log(actor, "law_reminder_close", reminder, before={"status": before}, after={"note": note.strip()})
    return reminder


def reminders_of(department: Department) -> QuerySet[LawChangeReminder]:
    return LawChangeReminder.objects.filter(department=department).select_related("law", "draft")
