"""A department ready for 行政处罚案件: 鹿泉区工业和信息化局 (seed 001's department) with four
certified officers, a legal reviewer with 法律职业资格, and one account per case role. Shared by
the case tests (services, CLI, API, pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

DEPARTMENT = "石家庄市鹿泉区工业和信息化局"
UNIT = "执法科"
PEOPLE = {
    # username: (full name, case role, officer?, legal qualification)
    "zhang": ("张伟", "officer", True, False),
    "li": ("李娜", "officer", True, False),
    "wang": ("王强", "officer", True, False),
    "unithead": ("赵科长", "unit_head", False, False),
    "deputy": ("钱副局长", "deputy", False, False),
    "head": ("孙局长", "head", False, False),
    "legal": ("周法制", "legal", True, True),
}


@dataclass
class Team:
    department: Any
    officers: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def actor(self, username: str) -> Any:
        from qingdan.core.accounts import actor_named

        return actor_named(username)


def make_team(password: str = "pw-case-team-2026") -> Team:
    from django.contrib.auth import get_user_model

    from qingdan.cases.models import CaseRules
    from qingdan.cases.roles import assign_role
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.enforcement.models import Officer

    place, _ = Jurisdiction.objects.get_or_create(name="石家庄市鹿泉区")
    department, _ = Department.objects.get_or_create(jurisdiction=place, name=DEPARTMENT)
    CaseRules.objects.get_or_create(department=department, defaults={"number_prefix": "鹿工信罚"})
    team = Team(department)
    for number, (username, (name, role, is_officer, legal)) in enumerate(PEOPLE.items(), 1):
        create_user(COMMAND_LINE, username, "filler", department, None, password=password, full_name=name)
        user = get_user_model().objects.get(username=username)
        team.users[username] = user
        officer = None
        if is_officer:
            officer = Officer.objects.create(
                department=department,
                name=name,
                unit=UNIT if role == "officer" else "法制科",
                certificate_number=f"13018520{number:03d}",
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2030, 12, 31),
                legal_qualification=legal,
            )
            team.officers[username] = officer
        assign_role(
            COMMAND_LINE, department, user, role, unit=UNIT if role == "unit_head" else "", officer=officer
        )
    return team
