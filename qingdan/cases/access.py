"""Who sees a department's cases, which case roles a person holds there, and which moves the web
offers them. Reading only: every move is still refused or allowed by its service function, so a
form left out here can never be a way round a rule, and a form shown here can still be refused.
"""

from __future__ import annotations

from django.db.models import Q

from qingdan.cases import states
from qingdan.cases.models import CaseOfficer, CaseRole, PenaltyCase
from qingdan.cases.roles import can_see_cases
from qingdan.core.models import Department
from qingdan.core.permissions import Actor

# which case role takes each move, as the services in ``qingdan.cases.services`` check it (seed
# 001 三、查处流程; 行政处罚法 第57、58条). The web offers a move's form only to these roles.
OFFICER, UNIT_HEAD, DEPUTY, HEAD, LEGAL = (
    CaseRole.OFFICER,
    CaseRole.UNIT_HEAD,
    CaseRole.DEPUTY,
    CaseRole.HEAD,
    CaseRole.LEGAL,
)
MOVE_ROLES: dict[str, frozenset[str]] = {
    "record_inspection": frozenset({OFFICER}),
    "order_correction": frozenset({OFFICER}),
    "submit_filing": frozenset({OFFICER}),
    "review_filing": frozenset({UNIT_HEAD, DEPUTY}),
    "approve_filing": frozenset({HEAD}),
    "refuse_filing": frozenset({HEAD}),
    "return_filing": frozenset({UNIT_HEAD, DEPUTY, HEAD}),
    "add_evidence": frozenset({OFFICER}),
    "register_preservation": frozenset({OFFICER}),
    "decide_preservation": frozenset({HEAD}),
    "declare_recusal": frozenset({OFFICER}),
    "decide_recusal": frozenset({HEAD}),
    "pause": frozenset({HEAD}),
    "resume": frozenset({HEAD}),
    "extend": frozenset({HEAD}),
    "notify": frozenset({OFFICER}),
    "record_statement": frozenset({OFFICER}),
    "request_hearing": frozenset({OFFICER}),
    "schedule_hearing": frozenset({LEGAL}),
    "record_hearing": frozenset({LEGAL}),
    "submit_decision": frozenset({OFFICER}),
    "review_decision": frozenset({UNIT_HEAD}),
    "legal_review": frozenset({LEGAL}),
    "record_discussion": frozenset({HEAD}),
    "return_decision": frozenset({UNIT_HEAD, LEGAL, HEAD}),
    "decide": frozenset({HEAD}),
    "serve": frozenset({OFFICER}),
    "record_payment": frozenset({OFFICER}),
    "approve_installments": frozenset({HEAD}),
    "record_remedy": frozenset({OFFICER, LEGAL}),
    "close": frozenset({OFFICER}),
    "archive": frozenset({UNIT_HEAD, HEAD}),
    "decide_on_the_spot": frozenset({OFFICER}),
    "publish": frozenset({OFFICER, LEGAL}),
    "withdraw": frozenset({OFFICER, LEGAL, HEAD}),
}

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
    on_as = CaseOfficer.INSPECTOR if case.number == "" else CaseOfficer.HANDLER
    return (
        role.officer_id is not None and case.officers.filter(officer_id=role.officer_id, role=on_as).exists()
    )


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
