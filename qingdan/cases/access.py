"""Which departments' cases a person sees, the case roles they hold there, and which moves the
web offers them. Reading only: every move is still refused or allowed by its service function, so a
form left out here can never be a way round a rule, and a form shown here can still be refused.
"""

from __future__ import annotations

from django.db.models import Q

from qingdan.cases.models import CaseRole, PenaltyCase
from qingdan.cases.roles import can_see_cases, on_case
from qingdan.cases.summary import next_steps
from qingdan.core.models import Department
from qingdan.core.permissions import Actor

# moves an officer takes only on their own case: as 检查人员 before 立案, as 承办人员 after
OWN_CASE_MOVES = frozenset(
    {
        "record_inspection",
        "order_correction",
        "submit_filing",
        "add_evidence",
        "register_preservation",
        "notify",
        "record_statement",
        "request_hearing",
        "submit_decision",
        "serve",
        "record_payment",
        "close",
        "decide_on_the_spot",
    }
)


def roles_in(actor: Actor, department: Department) -> list[CaseRole]:
    """The case roles the actor's account holds in the department."""
    if actor.user is None:
        return []
    return list(CaseRole.objects.filter(department=department, user=actor.user).select_related("officer"))


def departments_with_cases(actor: Actor) -> list[Department]:
    """The departments whose cases the actor sees, those with a case role first considered."""
    if actor.user is None:
        return []
    if actor.is_admin:
        return list(
            Department.objects.filter(Q(case_roles__isnull=False) | Q(penalty_cases__isnull=False))
            .distinct()
            .select_related("jurisdiction")
        )
    ids = set(CaseRole.objects.filter(user=actor.user).values_list("department_id", flat=True))
    if actor.department_id:
        ids.add(actor.department_id)
    found = Department.objects.filter(pk__in=ids).select_related("jurisdiction")
    return [d for d in found if can_see_cases(actor, d)]


def is_on_case(role: CaseRole, case: PenaltyCase) -> bool:
    """As ``roles.require_on_case`` has it: an inspector of a lead, a handler of a filed case."""
    return on_case(role.officer_id, case)


def offered_moves(actor: Actor, case: PenaltyCase) -> list[str]:
    """The moves whose form the case page shows this actor: the steps ``summary.next_steps``
    finds for their case roles, less an officer's steps on a case they are not on."""
    mine = [r for r in roles_in(actor, case.department) if r.role == CaseRole.OFFICER]
    on_case = any(is_on_case(role, case) for role in mine)
    return [move for move, _ in next_steps(actor, case) if move not in OWN_CASE_MOVES or on_case]
