"""Every persona against every step of a 抽查计划 (create, join, commit, run, cancel), on the service
layer, the command line and the API: only the 执法科室负责人, 主管局长 and 主要负责人 of the department
whose step it is may take it. Each attempt runs in a savepoint rolled back afterwards; "allowed" is
judged by the effect on the plan, not by the response."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import timezone

from qingdan.cases.roles import assign_role
from qingdan.cli import main
from qingdan.core.accounts import actor_named, create_token, create_user
from qingdan.core.models import Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.inspection import plans, states
from qingdan.inspection.models import InspectionPlan
from tests.case_team import DEPARTMENT, Team
from tests.inspection_setup import make_inspection, publish_item

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERSONAS = ["zhang", "legal", "unithead", "deputy", "head", "filler", "admin", "head_other"]
LEADS = {"unithead", "deputy", "head"}
OTHER = "石家庄市鹿泉区市场监督管理局"
SOURCE = "福彩3D 第2026330期开奖号码"


class Rollback(Exception):
    pass


@pytest.fixture
def world() -> tuple[Team, Any, dict[str, str]]:
    team, item = make_inspection(20)
    create_user(COMMAND_LINE, "filler", "filler", team.department, None, password="pw-filler-2026-x")
    create_user(COMMAND_LINE, "admin", "admin", None, None, password="pw-admin-2026-xx")
    other = Department.objects.create(jurisdiction=team.department.jurisdiction, name=OTHER)
    create_user(COMMAND_LINE, "head_other", "filler", other, None, password="pw-head-other-2026")
    assign_role(COMMAND_LINE, other, get_user_model().objects.get(username="head_other"), "head")
    publish_item(Team(other), name="食品生产经营监督检查")
    tokens = {name: create_token(COMMAND_LINE, name) for name in PERSONAS}
    return team, item, tokens


def attempt(
    interface: str,
    persona: str,
    token: str,
    service: Callable[[Any], Any],
    command: list[str],
    api: tuple[str, dict[str, Any]],
    effect: Callable[[], bool],
) -> bool:
    try:
        with transaction.atomic():
            if interface == "service":
                who = COMMAND_LINE if persona == "admin" else actor_named(persona)
                try:
                    service(who)
                except Exception as error:  # a refusal, in Chinese
                    assert "Traceback" not in str(error)
            elif interface == "cli":
                prefix = [] if persona == "admin" else ["--user", persona]
                result = CliRunner().invoke(main, [*prefix, "draw", *command])
                assert "Traceback" not in result.output
                assert result.exception is None or isinstance(result.exception, SystemExit)
            else:
                path, body = api
                response = Client().post(
                    f"/api/v1/inspection/plans{path}",
                    json.dumps(body),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )
                assert response.status_code in (200, 400, 403), response.content
            raise Rollback(effect())
    except Rollback as result:
        return bool(result.args[0])


def check(tokens: dict[str, str], allowed: set[str], **step: Any) -> None:
    wrong = [
        f"{interface}:{persona}"
        for interface in ("service", "cli", "api")
        for persona in PERSONAS
        if attempt(interface, persona, tokens[persona], **step) != (persona in allowed)
    ]
    assert wrong == []


def draft(team: Team, item: Any) -> InspectionPlan:
    return plans.create_plan(
        actor_named("head"), team.department, item=item, period_start=TODAY, period_end=TODAY
    )


def committed(team: Team, item: Any) -> InspectionPlan:
    return plans.commit(actor_named("head"), draft(team, item), seed_source=SOURCE, draw_on=TODAY)


def state_of(plan: InspectionPlan) -> Callable[[], str]:
    return lambda: InspectionPlan.objects.get(pk=plan.pk).state


def test_who_may_create_a_plan(world):
    team, item, tokens = world
    check(
        tokens,
        LEADS,
        service=lambda who: plans.create_plan(
            who, team.department, item=item, period_start=TODAY, period_end=TODAY
        ),
        command=["plan", DEPARTMENT, "--item", "1", "--draft"],
        api=(
            "",
            {
                "department_id": team.department.pk,
                "item": "1",
                "period_start": f"{TODAY}",
                "period_end": f"{TODAY}",
            },
        ),
        effect=lambda: InspectionPlan.objects.exists(),
    )


def test_who_may_join_a_plan(world):
    team, item, tokens = world
    plan = draft(team, item)
    other = Department.objects.get(name=OTHER)
    check(
        tokens,
        {"head_other"},
        service=lambda who: plans.join_plan(who, plan, item=plans.find_item(other, "1")),
        command=["join", plan.number, "--department", OTHER, "--item", "1"],
        api=(f"/{plan.pk}/join", {"department_id": other.pk, "item": "1"}),
        effect=lambda: plan.parts.count() == 2,
    )


def test_who_may_commit_a_plan(world):
    team, item, tokens = world
    plan = draft(team, item)
    check(
        tokens,
        LEADS,
        service=lambda who: plans.commit(who, plan, seed_source=SOURCE, draw_on=TODAY),
        command=["commit", plan.number, "--seed-source", SOURCE],
        api=(f"/{plan.pk}/commit", {"seed_source": SOURCE, "draw_on": f"{TODAY}"}),
        effect=lambda: state_of(plan)() == states.COMMITTED,
    )


def test_who_may_run_a_draw(world):
    team, item, tokens = world
    plan = committed(team, item)
    check(
        tokens,
        LEADS,
        service=lambda who: plans.run(who, plan, seed="382915"),
        command=["run", plan.number, "--seed", "382915"],
        api=(f"/{plan.pk}/run", {"seed": "382915"}),
        effect=lambda: state_of(plan)() == states.DRAWN,
    )


def test_who_may_cancel_a_plan(world):
    team, item, tokens = world
    plan = committed(team, item)
    check(
        tokens,
        LEADS,
        service=lambda who: plans.cancel(who, plan, reason="名录库需要更新"),
        command=["cancel", plan.number, "--reason", "名录库需要更新"],
        api=(f"/{plan.pk}/cancel", {"reason": "名录库需要更新"}),
        effect=lambda: state_of(plan)() == states.CANCELLED,
    )
