"""Every case role against every step of a case, on the service layer, the command line and the
API: only the role whose step it is may take it, and only at the stage where it belongs. One case
is walked through the whole procedure; at each point every persona tries the step (in a savepoint
rolled back afterwards), then the rightful person takes it and the walk goes on. "Allowed" is
judged by the effect — a new CaseAction row — not by the response."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import transaction
from django.test import Client
from django.utils import timezone

from qingdan.cases import steps
from qingdan.cases.models import CaseAction, PenaltyCase
from qingdan.cases.roles import assign_role
from qingdan.cli import main
from qingdan.core.accounts import actor_named, create_token, create_user
from qingdan.core.models import Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.deadlines import calendars
from tests.case_team import make_team

pytestmark = pytest.mark.django_db

BASE = timezone.localdate() - dt.timedelta(days=120)
PERSONAS = ["zhang", "wang", "unithead", "deputy", "head", "legal", "filler", "admin", "head_other"]


def d(offset: int) -> str:
    return (BASE + dt.timedelta(days=offset)).isoformat()


class Rollback(Exception):
    pass


@pytest.fixture
def world():
    team = make_team()
    create_user(COMMAND_LINE, "filler", "filler", team.department, None, password="pw-filler-2026-x")
    create_user(COMMAND_LINE, "admin", "admin", None, None, password="pw-admin-2026-xx")
    other = Department.objects.create(
        jurisdiction=team.department.jurisdiction, name="石家庄市鹿泉区市场监督管理局"
    )
    create_user(COMMAND_LINE, "head_other", "filler", other, None, password="pw-head-other-2026")
    from django.contrib.auth import get_user_model

    assign_role(COMMAND_LINE, other, get_user_model().objects.get(username="head_other"), "head")
    tokens = {name: create_token(COMMAND_LINE, name) for name in PERSONAS}
    return team, tokens


def attempt(
    interface: str, persona: str, tokens: dict[str, str], case: PenaltyCase, move: str, params: dict[str, Any]
) -> bool:
    before = CaseAction.objects.filter(case=case, move=move).count()
    try:
        with transaction.atomic():
            if interface == "service":
                who = COMMAND_LINE if persona == "admin" else actor_named(persona)
                try:
                    steps.run(who, case, move, params)
                except Exception as error:  # a refusal, in Chinese
                    assert "Traceback" not in str(error)
            elif interface == "cli":
                args = ["--user", persona] if persona != "admin" else []
                flat = [
                    f"{k}={','.join(v) if isinstance(v, list) else (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict,)) else v)}"
                    for k, v in params.items()
                ]
                cli_args = [*args, "cases", "do", str(case.pk), move]
                for item in flat:
                    cli_args += ["-p", item]
                result = CliRunner().invoke(main, cli_args)
                assert "Traceback" not in result.output
            else:
                response = Client().post(
                    f"/api/v1/cases/{case.pk}/steps/{move}",
                    json.dumps({"params": params}),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {tokens[persona]}",
                )
                assert response.status_code in (200, 400, 403), response.content
            done = CaseAction.objects.filter(case=case, move=move).count() > before
            raise Rollback(done)
    except Rollback as result:
        return bool(result.args[0])


def check(tokens, case, move, params, allowed: set[str], interfaces=("service", "cli", "api")) -> None:
    case.refresh_from_db()
    wrong = []
    for interface in interfaces:
        for persona in PERSONAS:
            if attempt(interface, persona, tokens, case, move, params) != (persona in allowed):
                wrong.append(f"{interface}:{persona}")
    assert wrong == [], f"{move}: {wrong}"


def lead(team: Any) -> PenaltyCase:
    """A new lead found by 张伟 and 李娜."""
    from qingdan.cases.services import open_case

    officers = [team.officers["zhang"], team.officers["li"]]
    return open_case(
        actor_named("zhang"),
        team.department,
        title="违法排污",
        source="inspection",
        occurred_on=BASE,
        party_kind="organisation",
        party_name="某厂",
        inspectors=officers,
    )


def take(persona: str, case: PenaltyCase, move: str, params: dict[str, Any]) -> None:
    steps.run(actor_named(persona), case, move, params)
    case.refresh_from_db()


def test_only_the_rightful_role_takes_each_step(world):
    team, tokens = world
    case = lead(team)
    walk: list[tuple[str, str, dict[str, Any], set[str]]] = [
        ("zhang", "record_inspection", {"record": "现场检查笔录", "on": d(0)}, {"zhang"}),
        ("zhang", "submit_filing", {"facts": "x", "handlers": ["张伟", "李娜"], "on": d(1)}, {"zhang"}),
        ("", "return_filing", {"opinion": "补充材料", "on": d(1)}, {"unithead", "deputy", "head"}),
        ("", "refuse_filing", {"reason": "不属管辖", "on": d(1)}, {"head"}),
        ("unithead", "review_filing", {"opinion": "同意", "on": d(1)}, {"unithead"}),
        ("deputy", "review_filing", {"opinion": "同意", "on": d(2)}, {"deputy"}),
        ("head", "approve_filing", {"opinion": "批准", "on": d(2)}, {"head"}),
        ("zhang", "add_evidence", {"kind": "documentary", "title": "报表", "collected_on": d(3)}, {"zhang"}),
        ("", "pause", {"kind": "expert", "reason": "送检", "on": d(4)}, {"head"}),
        (
            "zhang",
            "notify",
            {"facts": "f", "basis": "b", "kinds": ["fine"], "amount": "150000", "on": d(10)},
            {"zhang"},
        ),
        ("zhang", "request_hearing", {"on": d(11)}, {"zhang"}),
    ]
    for who, move, params, allowed in walk:
        check(tokens, case, move, params, allowed)
        if who:
            take(who, case, move, params)
    held = calendars.due(BASE + dt.timedelta(days=12), 7, "working").date.isoformat()
    rest: list[tuple[str, str, dict[str, Any], set[str]]] = [
        (
            "legal",
            "schedule_hearing",
            {"held_on": held, "place": "会议室", "presider": "legal", "on": d(12)},
            {"legal"},
        ),
        (
            "legal",
            "record_hearing",
            {"record": "笔录", "attendees": ["周法制", "张伟"], "on": held},
            {"legal"},
        ),
        (
            "zhang",
            "submit_decision",
            {"report": "终结报告", "kinds": ["fine"], "amount": "150000", "major": "是", "on": held},
            {"zhang"},
        ),
        ("unithead", "review_decision", {"opinion": "同意", "on": held}, {"unithead"}),
        ("legal", "legal_review", {"opinion": "合法", "on": held}, {"legal"}),
        (
            "head",
            "record_discussion",
            {
                "held_on": held,
                "attendees": "孙局长:局长:同意;钱副局长:副局长:同意;赵科长:科长:同意",
                "conclusion": "同意",
            },
            {"head"},
        ),
        (
            "head",
            "decide",
            {"decision": "penalty", "opinion": "同意", "kinds": ["fine"], "amount": "150000", "on": held},
            {"head"},
        ),
        ("zhang", "serve", {"method": "direct", "on": held}, {"zhang"}),
        ("zhang", "record_payment", {"amount": "150000", "paid_on": held}, {"zhang"}),
        ("zhang", "publish", {"on": held}, {"zhang", "legal"}),
        ("zhang", "close", {"report": "结案", "on": held}, {"zhang"}),
        ("head", "archive", {"on": held}, {"unithead", "head"}),
    ]
    for who, move, params, allowed in rest:
        check(tokens, case, move, params, allowed)
        take(who, case, move, params)
    assert case.stage == "archived"


def test_a_step_cannot_be_skipped_by_anyone(world):
    team, tokens = world
    case = lead(team)
    for move, params in [
        ("approve_filing", {"opinion": "批准"}),
        ("decide", {"decision": "penalty", "opinion": "同意", "kinds": ["warning"]}),
        ("legal_review", {"opinion": "同意"}),
        ("serve", {"method": "direct"}),
        ("close", {"report": "结案"}),
    ]:
        check(tokens, case, move, params, set())


def test_only_the_head_or_the_legal_reviewer_records_the_half_year_report(world):
    from qingdan.cases.deadlines import report_due
    from qingdan.cases.models import CaseDeadline

    team, _ = world
    case = lead(team)
    report = report_due(case, BASE)
    half = "1" if BASE.month <= 6 else "2"
    done = set()
    for persona in PERSONAS:
        try:
            with transaction.atomic():
                args = ["--user", persona] if persona != "admin" else []
                result = CliRunner().invoke(
                    main,
                    [
                        *args,
                        "cases",
                        "report-filed",
                        team.department.name,
                        "--year",
                        str(BASE.year),
                        "--half",
                        half,
                    ],
                )
                assert "Traceback" not in result.output
                if CaseDeadline.objects.get(pk=report.pk).status != CaseDeadline.OPEN:
                    done.add(persona)
                raise Rollback()
        except Rollback:
            pass
    assert done == {"head", "legal"}
