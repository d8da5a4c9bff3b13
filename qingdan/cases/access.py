"""Which departments' cases a person sees, the case roles they hold there, and which moves the
web offers them. Reading only: every move is still refused or allowed by its service function, so a
form left out here can never be a way round a rule, and a form shown here can still be refused.
"""

from __future__ import annotations

from django.db.models import Q

from qingdan.cases.models import CaseRole, PenaltyCase
from qingdan.cases.roles import can_see_cases
from qingdan.cases.summary import next_steps
from qingdan.core.models import Department
from qingdan.core.permissions import Actor


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


def offered_moves(actor: Actor, case: PenaltyCase) -> list[str]:
    """The moves whose form the case page shows this actor: ``summary.next_steps``, which asks
    the same on-case rule as the services."""
    return [move for move, _ in next_steps(actor, case)]
