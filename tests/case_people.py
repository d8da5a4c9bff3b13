"""Cases for the case pages' tests, set up directly on the models (the pages only read them), in
the department of ``tests.case_team`` — plus a person with a case role in another department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

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


BASE = timezone.localdate() - dt.timedelta(days=150)  # back-dated, so every statutory period has run


def d(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


def reach(team: Any, stage: str) -> Any:
    """A new case walked by the services until it is in ``stage`` (a general case with a hearing;
    at 调查取证 with an undecided 先行登记保存 and 回避 request)."""
    from qingdan.cases import services as s
    from qingdan.cases import states
    from qingdan.cases.models import PenaltyCase
    from qingdan.deadlines import calendars

    actor = team.actor
    case = s.open_case(
        actor("zhang"),
        team.department,
        title="未按规定报送统计资料",
        source="inspection",
        occurred_on=d(0),
        unit="执法科",
        party_kind=PenaltyCase.ORGANISATION,
        party_name="鹿泉区某某化工有限公司",
        inspectors=[team.officers["zhang"], team.officers["li"]],
    )
    held = calendars.due(d(12), 7, "working").date
    after = held + dt.timedelta(days=1)
    path = [
        lambda c: s.submit_filing(
            actor("zhang"), c, facts="事实", handlers=[team.officers["zhang"], team.officers["li"]], on=d(1)
        ),
        lambda c: s.review_filing(actor("unithead"), c, opinion="同意", on=d(1)),
        lambda c: s.review_filing(actor("deputy"), c, opinion="同意", on=d(2)),
        lambda c: s.approve_filing(actor("head"), c, opinion="同意", on=d(2)),
        lambda c: s.add_evidence(actor("zhang"), c, kind="documentary", title="统计报表", collected_on=d(3)),
        lambda c: s.notify(
            actor("zhang"), c, facts="事实", basis="依据", kinds=["fine"], amount="150000", on=d(10)
        ),
        lambda c: s.request_hearing(actor("zhang"), c, on=d(11)),
        lambda c: s.schedule_hearing(
            actor("legal"), c, held_on=held, place="会议室", presider=team.users["legal"], on=d(12)
        ),
        lambda c: s.record_hearing(actor("legal"), c, record="笔录", attendees=["周法制"], on=held),
        lambda c: s.submit_decision(
            actor("zhang"), c, report="报告", kinds=["fine"], amount="150000", on=after
        ),
        lambda c: s.review_decision(actor("unithead"), c, opinion="同意", on=after),
        lambda c: s.legal_review(actor("legal"), c, opinion="同意", on=after),
        lambda c: s.decide(
            actor("head"), c, decision="penalty", opinion="同意", kinds=["fine"], amount="150000", on=after
        ),
        lambda c: s.serve(actor("zhang"), c, method="direct", on=after + dt.timedelta(days=1)),
        lambda c: s.record_payment(actor("zhang"), c, amount="150000", paid_on=after + dt.timedelta(days=2)),
        lambda c: s.close(actor("zhang"), c, report="结案", on=after + dt.timedelta(days=3)),
    ]
    for run in path:
        if case.stage == stage:
            break
        run(case)
        case = PenaltyCase.objects.get(pk=case.pk)
    assert case.stage == stage
    if (
        stage == states.INVESTIGATING
    ):  # an undecided 先行登记保存 and 回避 request, for the forms that pick them
        s.register_preservation(actor("zhang"), case, items="账簿", on=d(3))
        s.declare_recusal(actor("zhang"), case, team.officers["li"], reason="近亲属")
    return case
