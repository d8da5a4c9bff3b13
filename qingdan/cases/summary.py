"""What the pages, the API and the command line show of cases: a department's case list (paged),
one case in full, and the deadlines due this week or overdue for the 工作台. Reads only."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from qingdan.cases import states
from qingdan.cases.models import CaseDeadline, CaseOfficer, CaseRole, PenaltyCase
from qingdan.cases.roles import ROLE_LABELS, on_case, require_see, roles_of
from qingdan.core.models import Department
from qingdan.core.permissions import Actor

PAGE_SIZE = 50

# who takes each step: for showing the forms a person may use (the services decide)
MOVE_ROLES: dict[str, frozenset[str]] = {
    move: frozenset(roles)
    for move, roles in {
        "record_inspection": ["officer"],
        "order_correction": ["officer"],
        "submit_filing": ["officer"],
        "review_filing": ["unit_head", "deputy"],
        "approve_filing": ["head"],
        "refuse_filing": ["head"],
        "return_filing": ["unit_head", "deputy", "head"],
        "add_evidence": ["officer"],
        "register_preservation": ["officer"],
        "decide_preservation": ["head"],
        "declare_recusal": ["officer"],
        "decide_recusal": ["head"],
        "pause": ["head"],
        "resume": ["head"],
        "extend": ["head"],
        "notify": ["officer"],
        "record_statement": ["officer"],
        "request_hearing": ["officer"],
        "schedule_hearing": ["legal"],
        "record_hearing": ["legal"],
        "submit_decision": ["officer"],
        "review_decision": ["unit_head"],
        "legal_review": ["legal"],
        "record_discussion": ["head"],
        "return_decision": ["unit_head", "legal", "head"],
        "decide": ["head"],
        "serve": ["officer"],
        "record_payment": ["officer"],
        "approve_installments": ["head"],
        "record_remedy": ["officer", "legal"],
        "close": ["officer"],
        "archive": ["unit_head", "head"],
        "decide_on_the_spot": ["officer"],
        "publish": ["officer", "legal"],
        "withdraw": ["officer", "legal", "head"],
    }.items()
}


# the one step any officer of the department takes on any case (the services ask only for a
# certified officer); every other officer step needs an officer on the case (roles.require_on_case)
ANY_OFFICER_MOVES = frozenset({"declare_recusal"})


def next_steps(actor: Actor, case: PenaltyCase) -> list[tuple[str, str]]:
    """The steps the case's stage allows and the actor's case roles could take: as the services
    decide it, an officer's steps only on a case the officer is on (as 检查人员 before 立案, as
    承办人员 after), save the ones any officer of the department takes."""
    held = roles_of(actor, case.department)
    officer_on_case = CaseRole.OFFICER in held and any(
        on_case(officer_id, case)
        for officer_id in CaseRole.objects.filter(
            user=actor.user, department=case.department, role=CaseRole.OFFICER
        ).values_list("officer_id", flat=True)
    )
    simple = case.procedure == PenaltyCase.SIMPLE
    found = []
    for move, (starts, _) in states.MOVES.items():
        allowed = set(MOVE_ROLES.get(move, frozenset()) & held)
        if not officer_on_case and move not in ANY_OFFICER_MOVES:
            allowed.discard(CaseRole.OFFICER)
        if case.stage not in starts or not allowed:
            continue
        if (move == "decide_on_the_spot") != simple and case.stage == states.DISCOVERED:
            continue
        found.append((move, states.MOVE_LABELS[move]))
    return found


def filtered(department: Department, query: Any) -> tuple[QuerySet[PenaltyCase], dict[str, str]]:
    """The department's cases under the filters in ``query`` (stage, unit, officer, overdue).

    Officer and overdue are ``IN (subquery)``, not a correlated EXISTS: SQLite then scans the
    department's overdue deadlines once, where EXISTS had it walk the (status, due) index once per
    case (13 s for 10,000 cases, see bench/cases.py)."""
    cases = PenaltyCase.objects.filter(department=department)
    chosen = {k: query.get(k, "").strip() for k in ("stage", "unit", "officer", "overdue")}
    if chosen["stage"] in states.LABELS:
        cases = cases.filter(stage=chosen["stage"])
    if chosen["unit"]:
        cases = cases.filter(unit=chosen["unit"])
    if chosen["officer"].isdigit():
        cases = cases.filter(
            pk__in=CaseOfficer.objects.filter(officer_id=int(chosen["officer"])).values("case_id")
        )
    if chosen["overdue"]:
        cases = cases.filter(pk__in=late_deadlines(department).values("case_id"))
    return cases, chosen


def late_deadlines(department: Department) -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(
        department=department, status=CaseDeadline.OPEN, due__lt=timezone.localdate()
    )


def case_list(
    actor: Actor, department: Department, *, stage: str = "", unit: str = "", page: int = 1
) -> dict[str, Any]:
    require_see(actor, department)
    rows, _ = filtered(department, {"stage": stage, "unit": unit})
    count = rows.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(max(1, page), pages)
    chunk = list(rows.order_by("-created_at", "-id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    late: dict[int, int] = {}
    for case_id in (
        late_deadlines(department).filter(case_id__in=[c.pk for c in chunk]).values_list("case_id", flat=True)
    ):
        late[case_id] = late.get(case_id, 0) + 1
    return {
        "department": department.name,
        "count": count,
        "page": page,
        "pages": pages,
        "cases": [
            {
                "id": case.pk,
                "number": case.number,
                "title": case.title,
                "party_name": case.party_name,
                "stage": case.stage,
                "stage_label": case.stage_label,
                "procedure": case.procedure,
                "unit": case.unit,
                "occurred_on": case.occurred_on.isoformat(),
                "overdue": late.get(case.pk, 0),
            }
            for case in chunk
        ],
    }


def deadline_json(item: CaseDeadline, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "id": item.pk,
        "rule": item.rule,
        "label": item.label,
        "basis": item.basis,
        "start": item.start.isoformat(),
        "days": item.days + item.extra_days,
        "unit": item.unit,
        "due": item.due.isoformat(),
        "uncertain": item.uncertain,
        "warnings": list(item.warnings),
        "status": item.status,
        "status_label": item.get_status_display(),
        "overdue": item.status == CaseDeadline.OPEN and item.due < today,
        "done_on": item.done_on.isoformat() if item.done_on else "",
    }


def case_detail(actor: Actor, case: PenaltyCase) -> dict[str, Any]:
    require_see(actor, case.department)
    today = timezone.localdate()
    officers = case.officers.select_related("officer").order_by("role", "id")
    return {
        "id": case.pk,
        "department": case.department.name,
        "number": case.number,
        "title": case.title,
        "procedure": case.procedure,
        "procedure_label": case.get_procedure_display(),
        "stage": case.stage,
        "stage_label": case.stage_label,
        "source": case.get_source_display(),
        "occurred_on": case.occurred_on.isoformat(),
        "unit": case.unit,
        "party_kind": case.get_party_kind_display(),
        "party_name": case.party_name,
        "party_id_number": case.party_id_number,
        "facts": case.facts,
        "basis": case.basis,
        "proposed_kinds": case.proposed_kinds,
        "proposed_amount": str(case.proposed_amount or ""),
        "hearing_triggers": case.hearing_triggers,
        "legal_review_reasons": case.legal_review_reasons,
        "is_major": case.is_major,
        "decision": case.get_decision_display() if case.decision else "",
        "fine_amount": str(case.fine_amount or ""),
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
        "served_on": case.served_on.isoformat() if case.served_on else "",
        "closed_on": case.closed_on.isoformat() if case.closed_on else "",
        "published_text": case.published_text if case.published_on and not case.withdrawn_on else "",
        "officers": [
            {
                "name": row.officer.name,
                "certificate_number": row.officer.certificate_number,
                "role": row.role,
                "role_label": row.get_role_display(),
            }
            for row in officers
        ],
        "actions": [
            {
                "move": action.move,
                "label": "登记案件线索" if action.move == "open" else action.label,
                "role": ROLE_LABELS.get(action.role, ""),
                "actor": f"{action.actor_name}（{ROLE_LABELS[action.role]}）"
                if action.role in ROLE_LABELS
                else action.actor_name,
                "opinion": action.opinion,
                "outcome": action.get_outcome_display(),
                "on": action.on.isoformat(),
                "stage_after": states.LABELS.get(action.stage_after, action.stage_after),
            }
            for action in case.actions.all()
        ],
        "evidence": [
            {
                "position": e.position,
                "kind": e.get_kind_display(),
                "title": e.title,
                "collected_on": e.collected_on.isoformat(),
                "file_name": e.file_name,
                "sha256": e.sha256,
                "added_by": e.added_by_name,
            }
            for e in case.evidence.all()
        ],
        "deadlines": [
            deadline_json(item, today) for item in case.deadlines.exclude(status=CaseDeadline.CANCELLED)
        ],
        "next_steps": next_steps(actor, case),
    }


def desk_deadlines(actor: Actor, *, today: dt.date | None = None, page: int = 1) -> dict[str, Any]:
    """For the 工作台: the open deadlines overdue or due within seven days on the cases the actor
    works on — an officer's own cases, a 科室负责人's unit, a 局领导's or 法制审核人员's whole
    department — most urgent first, paged."""
    today = today or timezone.localdate()
    rows = desk_scope(actor).filter(status=CaseDeadline.OPEN, due__lte=today + dt.timedelta(days=7))
    count = rows.count()
    overdue = rows.filter(due__lt=today).count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(max(1, page), pages)
    chunk = rows.select_related("case").order_by("due", "id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "count": count,
        "overdue": overdue,
        "page": page,
        "pages": pages,
        "deadlines": [
            {
                **deadline_json(item, today),
                "case_id": item.case_id,
                "case_number": item.case.number if item.case else "",
                "case_title": item.case.title if item.case else "",
            }
            for item in chunk
        ],
    }


def desk_scope(actor: Actor) -> QuerySet[CaseDeadline]:
    if actor.user is None:
        return CaseDeadline.objects.none()
    scope = Q(pk__in=[])
    for binding in CaseRole.objects.filter(user=actor.user):
        if binding.role == CaseRole.OFFICER and binding.officer_id:
            mine = CaseOfficer.objects.filter(officer=binding.officer_id).values("case_id")
            scope |= Q(case_id__in=mine)
        elif binding.role == CaseRole.UNIT_HEAD and binding.unit:
            scope |= Q(department_id=binding.department_id, unit_name=binding.unit)
        else:
            scope |= Q(department_id=binding.department_id)
    return CaseDeadline.objects.filter(scope)
