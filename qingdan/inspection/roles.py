"""Who may act in a department's random inspections (the rules for who may do what, in one place).

- 随机抽查事项清单 drafts and the 检查对象名录库: the department's editors (``can_edit``: its 填报员,
  or an administrator) — the same people who keep its lists.
- Publishing the item catalogue, drafting, committing, drawing and cancelling a 抽查计划, and
  publishing results: the department's 执法科室负责人, 主管局长 or 主要负责人 (its ``CaseRole``
  bindings, the roles an administrator assigns for enforcement). The administrator assigns the
  roles but draws nothing: a draw by the administrator would be a draw by nobody.
- Declaring a conflict (回避) and recording a task's result: the officer themselves, acting under a
  执法证 valid that day; a result only by an inspector drawn for the task.
"""

from __future__ import annotations

import datetime as dt

from qingdan.cases.models import CaseRole
from qingdan.cases.roles import ROLE_LABELS, acting_officer, can_see_cases, roles_of
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied, can_edit
from qingdan.enforcement.models import Officer

LEADS = (CaseRole.UNIT_HEAD, CaseRole.DEPUTY, CaseRole.HEAD)
LEAD_LABEL = "、".join(ROLE_LABELS[r] for r in LEADS)


def can_see(actor: Actor, department: Department) -> bool:
    """The inspection work pages (plans in draft, tasks before publication): as for cases."""
    return can_see_cases(actor, department)


def require_see(actor: Actor, department: Department) -> None:
    if not can_see(actor, department):
        raise PermissionDenied(f"{actor}无权查看{department.name}的双随机抽查工作。")


def is_lead(actor: Actor, department: Department) -> bool:
    return bool(roles_of(actor, department) & set(LEADS))


def require_lead(actor: Actor, department: Department, what: str) -> str:
    """The lead role the actor holds in ``department`` (the highest), or a refusal naming who may."""
    held = roles_of(actor, department)
    for role in reversed(LEADS):
        if role in held:
            return role
    raise PermissionDenied(f"只有{department.name}的{LEAD_LABEL}可以{what}（{actor}不是）。")


def require_editor(actor: Actor, department: Department, what: str) -> None:
    if not can_edit(actor, department):
        raise PermissionDenied(f"只有{department.name}的填报员或系统管理员可以{what}（{actor}不是）。")


def acting_inspector(actor: Actor, department: Department, day: dt.date) -> Officer:
    """The officer the actor acts as, with a 执法证 valid on ``day``."""
    return acting_officer(actor, department, day)
