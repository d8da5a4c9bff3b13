"""Cases for the case pages' tests, set up directly on the models (the pages only read them), in
the department of ``tests.case_team`` — plus a person with a case role in another department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.case_team import UNIT, make_team


def make_bureau() -> dict[str, Any]:
    """The case team as a dict (department, users, officers), with ``outsider``: 主要负责人 of
    another department of the same district."""
    from django.contrib.auth import get_user_model

    from qingdan.cases.models import CaseRole
    from qingdan.core.models import Department

    team = make_team()
    other = Department.objects.create(jurisdiction=team.department.jurisdiction, name="鹿泉区市场监督管理局")
    outsider = get_user_model().objects.create_user(username="outsider", password="pw-outsider-2026")
    CaseRole.objects.create(department=other, user=outsider, role="head")
    users = {**team.users, "outsider": outsider}
    return {"department": team.department, "other": other, "users": users, "officers": team.officers}


def make_case(bureau: dict[str, Any], **fields: Any) -> Any:
    """A case set up directly on the models (the pages only read it), officers A and B on it."""
    from qingdan.cases.models import CaseOfficer, PenaltyCase

    values = {
        "department": bureau["department"],
        "title": "未按规定报送统计资料",
        "source": "inspection",
        "occurred_on": dt.date(2026, 11, 2),
        "unit": UNIT,
        "party_kind": PenaltyCase.ORGANISATION,
        "party_name": "鹿泉某机械制造有限公司",
        **fields,
    }
    officers = values.pop("officers", ("zhang", "li"))
    case = PenaltyCase.objects.create(**values)
    for username in officers:
        role = CaseOfficer.HANDLER if case.number else CaseOfficer.INSPECTOR
        CaseOfficer.objects.create(case=case, officer=bureau["officers"][username], role=role)
    return case


def make_deadline(case: Any, due: dt.date, label: str = "作出处罚决定", **fields: Any) -> Any:
    from qingdan.cases.models import CaseDeadline

    values = {
        "department": case.department,
        "case": case,
        "rule": "decision",
        "label": label,
        "basis": "《中华人民共和国行政处罚法》第六十条",
        "start": due - dt.timedelta(days=90),
        "days": 90,
        "unit": "calendar",
        "due": due,
        "unit_name": case.unit,
        **fields,
    }
    return CaseDeadline.objects.create(**values)
