"""Every persona against each step of a 检查任务 on the service layer, the command line and the API:
only an inspector drawn for the task records its result, confirms 整改 and refers it; only a lead
of the plan's department publishes the results. Each attempt runs in a savepoint rolled back
afterwards; "allowed" is judged by the effect on the task, not by the response."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from qingdan.cli import main
from qingdan.core.accounts import actor_named, create_token, create_user
from qingdan.core.permissions import COMMAND_LINE
from qingdan.inspection import tasks
from qingdan.inspection.models import InspectionTask
from tests.inspection_tasks_setup import TODAY, drawn_plan, second_department, split

pytestmark = pytest.mark.django_db

PERSONAS = [
    "zhang",
    "li",
    "wang",
    "unithead",
    "deputy",
    "head",
    "legal",
    "filler",
    "admin",
    "sc_head",
    "sc_a",
]
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()
DUE = (TODAY + dt.timedelta(days=10)).isoformat()


class Rollback(Exception):
    pass


@pytest.fixture
def world():
    team, plan = drawn_plan()
    second_department(team, 3)  # sc_head: a lead elsewhere; sc_a: an officer elsewhere
    create_user(COMMAND_LINE, "filler", "filler", team.department, None, password="pw-filler-2026-x")
    create_user(COMMAND_LINE, "admin", "admin", None, None, password="pw-admin-2026-xx")
    assert get_user_model().objects.filter(username="admin").exists()
    tokens = {name: create_token(COMMAND_LINE, name) for name in PERSONAS}
    task = plan.tasks.order_by("order").first()
    return team, plan, task, tokens


def attempt(
    interface: str,
    persona: str,
    tokens: dict[str, str],
    service: Callable[[Any], Any],
    cli_args: list[str],
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
                prefix = ["--user", persona] if persona != "admin" else []
                result = CliRunner().invoke(main, [*prefix, *cli_args])
                assert "Traceback" not in result.output
            else:
                response = Client().post(
                    api[0],
                    json.dumps(api[1]),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {tokens[persona]}",
                )
                assert response.status_code in (200, 400, 403, 404), response.content
            raise Rollback(effect())
    except Rollback as result:
        return bool(result.args[0])


def check(tokens, allowed: set[str], service, cli_args, api, effect) -> None:
    wrong = [
        f"{interface}:{persona}"
        for interface in ("service", "cli", "api")
        for persona in PERSONAS
        if attempt(interface, persona, tokens, service, cli_args, api, effect) != (persona in allowed)
    ]
    assert wrong == []


def state_of(task: InspectionTask) -> Callable[[], str]:
    return lambda: InspectionTask.objects.get(pk=task.pk).state


def test_only_a_drawn_inspector_records_the_result(world):
    team, _, task, tokens = world
    drawn = set(split(team, task)[0])
    check(
        tokens,
        drawn,
        lambda who: tasks.record_result(
            who, task, result="none_found", findings="正常", inspected_on=dt.date.fromisoformat(YESTERDAY)
        ),
        [
            "inspection",
            "result",
            str(task.pk),
            "--result",
            "未发现问题",
            "--findings",
            "正常",
            "--on",
            YESTERDAY,
        ],
        (
            f"/api/v1/inspection/tasks/{task.pk}/result",
            {"result": "none_found", "findings": "正常", "inspected_on": YESTERDAY},
        ),
        lambda: state_of(task)() == "done",
    )


def _rectifying(team, task) -> str:
    inspector = split(team, task)[0][0]
    tasks.record_result(
        actor_named(inspector),
        task,
        result="rectify",
        findings="台账缺失",
        inspected_on=dt.date.fromisoformat(YESTERDAY),
        rectify_due=dt.date.fromisoformat(DUE),
    )
    return inspector


def test_only_a_drawn_inspector_confirms_rectification(world):
    team, _, task, tokens = world
    _rectifying(team, task)
    check(
        tokens,
        set(split(team, task)[0]),
        lambda who: tasks.confirm_rectified(who, task, note="已整改"),
        ["inspection", "rectified", str(task.pk), "--note", "已整改"],
        (f"/api/v1/inspection/tasks/{task.pk}/rectified", {"note": "已整改"}),
        lambda: state_of(task)() == "done",
    )


def test_only_a_drawn_inspector_refers_to_a_case(world):
    team, _, task, tokens = world
    _rectifying(team, task)
    check(
        tokens,
        set(split(team, task)[0]),
        lambda who: tasks.refer(who, task, title="整改不到位"),
        ["inspection", "refer", str(task.pk), "--title", "整改不到位"],
        (f"/api/v1/inspection/tasks/{task.pk}/refer", {"title": "整改不到位"}),
        lambda: InspectionTask.objects.get(pk=task.pk).case_id is not None,
    )


def test_only_a_lead_of_the_plan_publishes_its_results(world):
    team, plan, task, tokens = world
    _rectifying(team, task)
    check(
        tokens,
        {"unithead", "deputy", "head"},
        lambda who: tasks.publish_results(who, plan),
        ["inspection", "publish", plan.number],
        (f"/api/v1/inspection/plans/{plan.pk}/publish-results", {}),
        lambda: InspectionTask.objects.get(pk=task.pk).published_on is not None,
    )
