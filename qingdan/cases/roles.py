"""Who may act in a department's cases (the case rules for who may do what, in one place).

A person acts in a case through a ``CaseRole`` in the case's department: 执法人员 (bound to an
Officer, acting under a valid 执法证), 执法科室负责人 (for a unit), 主管局长, 主要负责人, 法制审核人员
(who must hold 法律职业资格). A system administrator assigns the roles and sets the case rules but
takes no step in a case: approval by the administrator would be approval by nobody.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from qingdan.cases.models import CaseOfficer, CaseRole, PenaltyCase
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied, can_see_drafts
from qingdan.enforcement.models import Officer
from qingdan.enforcement.staff import require_certified
from qingdan.errors import QingdanError

ROLE_LABELS = dict(CaseRole.ROLES)


def roles_of(actor: Actor, department: Department) -> set[str]:
    if actor.user is None:
        return set()
    return set(CaseRole.objects.filter(user=actor.user, department=department).values_list("role", flat=True))


def can_see_cases(actor: Actor, department: Department) -> bool:
    """The department's own staff, the reviewers of its jurisdiction, administrators, and anyone
    holding a case role there. Cases are not public (only published decisions are)."""
    return can_see_drafts(actor, department) or bool(roles_of(actor, department))


def require_see(actor: Actor, department: Department) -> None:
    if not can_see_cases(actor, department):
        raise PermissionDenied(f"{actor}无权查看{department.name}的行政处罚案件。")


def require_role(actor: Actor, case: PenaltyCase, role: str, what: str) -> CaseRole:
    """The actor's role binding in the case's department, or a refusal naming who may."""
    found = None
    if actor.user is not None:
        found = CaseRole.objects.filter(user=actor.user, department=case.department_id, role=role).first()
    if found is None:
        raise PermissionDenied(f"只有{case.department}的{ROLE_LABELS[role]}可以{what}（{actor}不是）。")
    if role == CaseRole.UNIT_HEAD and found.unit and case.unit and found.unit != case.unit:
        raise PermissionDenied(f"{actor}是{found.unit}负责人，不能审核{case.unit}承办的案件。")
    if role == CaseRole.LEGAL and not (found.officer and found.officer.legal_qualification):
        raise PermissionDenied(f"{actor}没有登记法律职业资格，不能进行法制审核。")
    return found


def acting_officer(actor: Actor, department: Department, day: dt.date) -> Officer:
    """The officer the actor acts as, certified on ``day`` (行政处罚法 第四十二条)."""
    binding = None
    if actor.user is not None:
        binding = (
            CaseRole.objects.select_related("officer")
            .filter(user=actor.user, department=department, role=CaseRole.OFFICER)
            .first()
        )
    if binding is None or binding.officer is None:
        raise PermissionDenied(f"只有{department}的执法人员可以办理案件（{actor}不是）。")
    require_certified(binding.officer, day)
    return binding.officer


def require_on_case(actor: Actor, case: PenaltyCase, day: dt.date, what: str) -> Officer:
    """An officer who is on this case: a 检查人员 before filing, a 承办人员 after."""
    officer = acting_officer(actor, case.department, day)
    if not on_case(officer.pk, case):
        label = dict(CaseOfficer.ROLES)[on_case_as(case)]
        raise PermissionDenied(f"{officer.name}不是本案的{label}，不能{what}。")
    return officer


def on_case_as(case: PenaltyCase) -> str:
    """How an officer is on a case: as a 检查人员 of a lead, as a 承办人员 once it is filed."""
    return CaseOfficer.INSPECTOR if case.number == "" else CaseOfficer.HANDLER


def on_case(officer_id: int | None, case: PenaltyCase) -> bool:
    return (
        officer_id is not None and case.officers.filter(officer_id=officer_id, role=on_case_as(case)).exists()
    )


def require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"只有系统管理员可以{what}（{actor}不是）。")


@transaction.atomic
def assign_role(
    actor: Actor,
    department: Department,
    user: object,
    role: str,
    *,
    unit: str = "",
    officer: Officer | None = None,
) -> CaseRole:
    """Bind an account to a case role in a department (administrators only, audited)."""
    require_admin(actor, "设定案件角色")
    if role not in ROLE_LABELS:
        raise QingdanError(
            f"未知的案件角色「{role}」（可用：{'、'.join(f'{k}（{v}）' for k, v in ROLE_LABELS.items())}）"
        )
    if role in (CaseRole.OFFICER, CaseRole.LEGAL) and officer is None:
        raise QingdanError(f"{ROLE_LABELS[role]}须对应本部门登记的执法人员。")
    if officer is not None and officer.department_id != department.pk:
        raise QingdanError(f"执法人员{officer.name}不属于{department}。")
    if role == CaseRole.LEGAL and officer is not None and not officer.legal_qualification:
        raise QingdanError(f"{officer.name}没有登记法律职业资格，不能担任法制审核人员。")
    binding, _ = CaseRole.objects.update_or_create(
        department=department,
        user=user,
        role=role,
        defaults={"unit": unit.strip(), "officer": officer, "created_by_name": str(actor)},
    )
    log(
        actor,
        "case_role_assign",
        binding,
        after={"角色": ROLE_LABELS[role], "科室": unit, "执法人员": str(officer or "")},
    )
    return binding


@transaction.atomic
def remove_role(actor: Actor, binding: CaseRole) -> None:
    require_admin(actor, "取消案件角色")
    log(actor, "case_role_remove", binding, before={"角色": ROLE_LABELS[binding.role]})
    binding.delete()
