"""Every persona against the 双随机抽查 actions, on the service layer, the command line and (where
there is one) the API: only who may, may. "Allowed" is judged by the effect — rows written — not by
the response; each attempt runs in a savepoint rolled back afterwards."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import transaction
from django.test import Client

from qingdan.cases.roles import assign_role
from qingdan.cli import main
from qingdan.core.accounts import actor_named, create_token, create_user
from qingdan.core.models import Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.inspection.models import Conflict, Inspectee
from tests.case_team import make_team
from tests.inspection_setup import uscc

pytestmark = pytest.mark.django_db

PERSONAS = [
    "zhang",
    "wang",
    "unithead",
    "deputy",
    "head",
    "legal",
    "filler",
    "reviewer",
    "admin",
    "head_other",
]


class Rollback(Exception):
    pass


@pytest.fixture
def world():
    team = make_team()
    create_user(COMMAND_LINE, "filler", "filler", team.department, None, password="pw-filler-2026-x")
    create_user(
        COMMAND_LINE, "reviewer", "legal", None, team.department.jurisdiction, password="pw-reviewer-2026-x"
    )
    create_user(COMMAND_LINE, "admin", "admin", None, None, password="pw-admin-2026-xx")
    other = Department.objects.create(
        jurisdiction=team.department.jurisdiction, name="石家庄市鹿泉区市场监督管理局"
    )
    create_user(COMMAND_LINE, "head_other", "filler", other, None, password="pw-head-other-2026")
    from django.contrib.auth import get_user_model

    assign_role(COMMAND_LINE, other, get_user_model().objects.get(username="head_other"), "head")
    tokens = {name: create_token(COMMAND_LINE, name) for name in PERSONAS}
    return team, tokens


def who(persona: str) -> Any:
    return COMMAND_LINE if persona == "admin" else actor_named(persona)


def user_args(persona: str) -> list[str]:
    return ["--user", persona] if persona != "admin" else []


def allowed(attempt: Callable[[], None], count: Callable[[], int]) -> bool:
    """Whether ``attempt`` wrote (judged by ``count``), rolled back afterwards."""
    try:
        with transaction.atomic():
            before = count()
            try:
                attempt()
            except Exception as error:  # a refusal, in Chinese
                assert "Traceback" not in str(error)
            wrote = count() != before
            raise Rollback(wrote)
    except Rollback as done:
        return bool(done.args[0])


def pool_file(tmp_path: Path) -> Path:
    path = tmp_path / "名录库.csv"
    path.write_text(f"名称,统一社会信用代码,风险等级\n鹿泉第1科技有限公司,{uscc(1)},A\n", encoding="utf-8")
    return path


EDITORS = {"zhang", "wang", "unithead", "deputy", "head", "legal", "filler", "admin"}  # the team are 填报员


def test_import_by_persona(world, tmp_path):
    team, tokens = world
    path = pool_file(tmp_path)
    dept = team.department

    def count() -> int:
        return Inspectee.objects.filter(department=dept).count()

    from qingdan.inspection.pool import import_inspectees

    body = {"file_name": path.name, "file_base64": base64.b64encode(path.read_bytes()).decode()}
    for persona in PERSONAS:
        by_service = allowed(lambda persona=persona: import_inspectees(who(persona), dept, path), count)
        by_cli = allowed(
            lambda persona=persona: CliRunner().invoke(
                main, [*user_args(persona), "inspectees", "import", str(path), "--department", dept.name]
            ),
            count,
        )
        by_api = allowed(
            lambda persona=persona: Client().post(
                f"/api/v1/departments/{dept.pk}/inspectees/import",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {tokens[persona]}",
            ),
            count,
        )
        expected = persona in EDITORS
        assert (persona, by_service, by_cli, by_api) == (persona, expected, expected, expected)


def test_declare_own_conflict_by_persona(world):
    team, _ = world
    dept = team.department
    from qingdan.inspection.pool import declare_conflict

    def count() -> int:
        return Conflict.objects.count()

    # certified officers bound as 执法人员 (roles.acting_inspector); 周法制 is bound as 法制审核人员, so a
    # lead declares for him
    officers = {"zhang", "wang"}
    for persona in PERSONAS:
        by_service = allowed(
            lambda persona=persona: declare_conflict(who(persona), dept, uscc(1), "亲属任职"), count
        )
        by_cli = allowed(
            lambda persona=persona: CliRunner().invoke(
                main,
                [*user_args(persona), "inspectors", "conflict", dept.name, uscc(1), "--reason", "亲属任职"],
            ),
            count,
        )
        expected = persona in officers
        assert (persona, by_service, by_cli) == (persona, expected, expected)


def test_declare_for_another_officer_by_persona(world):
    team, _ = world
    dept = team.department
    li = team.officers["li"]
    from qingdan.inspection.pool import declare_conflict

    def count() -> int:
        return Conflict.objects.filter(officer=li).count()

    leads = {"unithead", "deputy", "head"}
    for persona in PERSONAS:
        by_service = allowed(
            lambda persona=persona: declare_conflict(who(persona), dept, uscc(1), "曾任职", officer=li), count
        )
        by_cli = allowed(
            lambda persona=persona: CliRunner().invoke(
                main,
                [
                    *user_args(persona),
                    "inspectors",
                    "conflict",
                    dept.name,
                    uscc(1),
                    "--reason",
                    "曾任职",
                    "--officer",
                    "李娜",
                ],
            ),
            count,
        )
        expected = persona in leads
        assert (persona, by_service, by_cli) == (persona, expected, expected)


def test_withdraw_conflict_by_persona(world):
    team, _ = world
    dept = team.department
    li = team.officers["li"]
    from qingdan.inspection.pool import declare_conflict, withdraw_conflict

    declare_conflict(actor_named("li"), dept, uscc(1), "同学任法定代表人")

    def count() -> int:
        return Conflict.objects.filter(officer=li).count()

    leads = {"unithead", "deputy", "head"}
    for persona in PERSONAS:
        by_service = allowed(
            lambda persona=persona: withdraw_conflict(who(persona), dept, uscc(1), officer=li), count
        )
        by_cli = allowed(
            lambda persona=persona: CliRunner().invoke(
                main, [*user_args(persona), "inspectors", "withdraw", dept.name, uscc(1), "--officer", "李娜"]
            ),
            count,
        )
        expected = persona in leads
        assert (persona, by_service, by_cli) == (persona, expected, expected)
    # li herself withdraws
    assert allowed(lambda persona=persona: withdraw_conflict(actor_named("li"), dept, uscc(1)), count)


def test_roster_and_list_seen_by_persona(world):
    team, tokens = world
    dept = team.department
    seeing = {"zhang", "wang", "unithead", "deputy", "head", "legal", "filler", "reviewer", "admin"}
    for persona in PERSONAS:
        for path in ("inspectees", "inspectors"):
            status = (
                Client()
                .get(f"/api/v1/departments/{dept.pk}/{path}", HTTP_AUTHORIZATION=f"Bearer {tokens[persona]}")
                .status_code
            )
            assert (persona, path, status) == (persona, path, 200 if persona in seeing else 403)
