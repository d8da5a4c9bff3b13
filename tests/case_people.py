"""The people of a case, for the case pages' tests: 鹿泉区工业和信息化局 (seed 001) with two
certified officers (A 张明, B 王芳), a third officer (赵刚, on no case), its 执法科室负责人, 主管局长,
主要负责人 and 法制审核人员 (with 法律职业资格), each an account bound to a CaseRole; and a
person with a case role in another department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import password_of

BUREAU = "鹿泉区工业和信息化局"
UNIT = "执法监察科"
PEOPLE = {  # username: (role, officer name or "", full name)
    "officer_a": ("officer", "张明", "张明"),
    "officer_b": ("officer", "王芳", "王芳"),
    "officer_c": ("officer", "赵刚", "赵刚"),
    "unit_head": ("unit_head", "", "刘科长"),
    "deputy": ("deputy", "", "陈副局长"),
    "head": ("head", "", "周局长"),
    "legal": ("legal", "李强", "李强"),
}


def make_bureau() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from qingdan.cases.models import CaseRole
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.enforcement.models import Officer

    place = Jurisdiction.objects.create(name="石家庄市鹿泉区")
    bureau = Department.objects.create(jurisdiction=place, name=BUREAU)
    other = Department.objects.create(jurisdiction=place, name="鹿泉区市场监督管理局")
    users = {}
    officers = {}
    for number, (username, (role, officer_name, full_name)) in enumerate(PEOPLE.items(), 1):
        user = get_user_model().objects.create_user(
            username=username, password=password_of(username), first_name=full_name
        )
        officer = None
        if officer_name:
            officer = Officer.objects.create(
                department=bureau,
                name=officer_name,
                unit=UNIT if role == "officer" else "法规科",
                certificate_number=f"1301090{number:04d}",
                valid_from=dt.date(2024, 1, 1),
                valid_until=dt.date(2030, 12, 31),
                legal_qualification=role == "legal",
            )
            officers[username] = officer
        CaseRole.objects.create(
            department=bureau, user=user, role=role, officer=officer, unit=UNIT if role == "unit_head" else ""
        )
        users[username] = user
    outsider = get_user_model().objects.create_user(username="outsider", password=password_of("outsider"))
    CaseRole.objects.create(department=other, user=outsider, role="head")
    users["outsider"] = outsider
    return {"department": bureau, "other": other, "users": users, "officers": officers}


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
    officers = values.pop("officers", ("officer_a", "officer_b"))
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
