"""Who sees a department's cases, which case roles a person holds there, and which moves the web
offers them. Reading only: every move is still refused or allowed by its service function, so a
form left out here can never be a way round a rule, and a form shown here can still be refused.
"""

from __future__ import annotations

from django.db.models import Q

from qingdan.cases import states
from qingdan.cases.models import CaseRole, PenaltyCase
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_see_drafts

# which case role takes each move (seed 001 三、查处流程; 行政处罚法 第57、58条). The web offers a
# move's form only to these roles; the service is the gate.
MOVE_ROLES: dict[str, frozenset[str]] = {
    "record_inspection": frozenset({CaseRole.OFFICER}),
    "order_correction": frozenset({CaseRole.OFFICER}),
    "submit_filing": frozenset({CaseRole.OFFICER}),
    "review_filing": frozenset({CaseRole.UNIT_HEAD, CaseRole.DEPUTY}),
    "approve_filing": frozenset({CaseRole.HEAD}),
    "refuse_filing": frozenset({CaseRole.HEAD}),
    "return_filing": frozenset({CaseRole.UNIT_HEAD, CaseRole.DEPUTY, CaseRole.HEAD}),
    "add_evidence": frozenset({CaseRole.OFFICER}),
    "register_preservation": frozenset({CaseRole.OFFICER}),
    "decide_preservation": frozenset({CaseRole.HEAD}),
    "declare_recusal": frozenset({CaseRole.OFFICER}),
    "decide_recusal": frozenset({CaseRole.HEAD}),
    "pause": frozenset({CaseRole.OFFICER}),
    "resume": frozenset({CaseRole.OFFICER}),
    "extend": frozenset({CaseRole.HEAD}),
    "notify": frozenset({CaseRole.OFFICER}),
    "record_statement": frozenset({CaseRole.OFFICER}),
    "request_hearing": frozenset({CaseRole.OFFICER}),
    "schedule_hearing": frozenset({CaseRole.LEGAL}),
    "record_hearing": frozenset({CaseRole.LEGAL}),
    "submit_decision": frozenset({CaseRole.OFFICER}),
    "review_decision": frozenset({CaseRole.UNIT_HEAD}),
    "legal_review": frozenset({CaseRole.LEGAL}),
    "record_discussion": frozenset({CaseRole.HEAD}),
    "return_decision": frozenset({CaseRole.UNIT_HEAD, CaseRole.LEGAL, CaseRole.HEAD}),
    "decide": frozenset({CaseRole.HEAD}),
    "serve": frozenset({CaseRole.OFFICER}),
    "record_payment": frozenset({CaseRole.OFFICER}),
    "approve_installments": frozenset({CaseRole.HEAD}),
    "record_remedy": frozenset({CaseRole.OFFICER, CaseRole.LEGAL}),
    "close": frozenset({CaseRole.OFFICER}),
    "archive": frozenset({CaseRole.OFFICER}),
    "decide_on_the_spot": frozenset({CaseRole.OFFICER}),
    "publish": frozenset({CaseRole.LEGAL}),
    "withdraw": frozenset({CaseRole.LEGAL}),
}

# moves an officer takes only on a case they are on (检查人员 or 承办人员)
OWN_CASE_MOVES = frozenset(m for m, roles in MOVE_ROLES.items() if roles == frozenset({CaseRole.OFFICER}))


def roles_in(actor: Actor, department: Department) -> list[CaseRole]:
    """The case roles the actor's account holds in the department."""
    if actor.user is None:
        return []
    return list(CaseRole.objects.filter(department=department, user=actor.user).select_related("officer"))


def can_see_cases(actor: Actor, department: Department) -> bool:
    """A department's cases: whoever holds a case role there, its 填报员 and the reviewers of its
    jurisdiction (as for its staff), and administrators."""
    if actor.is_admin or can_see_drafts(actor, department):
        return True
    return actor.user is not None and CaseRole.objects.filter(department=department, user=actor.user).exists()


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
    return role.officer_id is not None and case.officers.filter(officer_id=role.officer_id).exists()


def offered_moves(actor: Actor, case: PenaltyCase) -> list[str]:
    """The moves whose form the case page shows this actor: the stage allows them and one of the
    actor's case roles takes them (an officer only on their own case). Administrators see none:
    they are not a party to the procedure."""
    roles = roles_in(actor, case.department)
    offered = []
    for move, (starts, _) in states.MOVES.items():
        if case.stage not in starts:
            continue
        if move == "decide_on_the_spot" and case.procedure != PenaltyCase.SIMPLE:
            continue
        if any(_takes(role, move, case) for role in roles):
            offered.append(move)
    return offered


def _takes(role: CaseRole, move: str, case: PenaltyCase) -> bool:
    if role.role not in MOVE_ROLES.get(move, frozenset()):
        return False
    return move not in OWN_CASE_MOVES or is_on_case(role, case)


def officer_ids(actor: Actor, department: Department) -> list[int]:
    """The 执法人员 the actor acts as in the department (through an officer role)."""
    return [r.officer_id for r in roles_in(actor, department) if r.officer_id]
