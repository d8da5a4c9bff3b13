"""The public draw from the outside: docs/draw.md's reference script reproduces a draw from the
portal's draw.json alone and catches a changed selection, population or seed; the `qingdan draw`
commands, the API and the portal pages, and a joint inspection with a second department."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import timezone

from qingdan.cli import main
from qingdan.inspection import plans, states
from qingdan.inspection.models import InspectionPlan, InspectionTask
from tests.case_team import DEPARTMENT, Team
from tests.inspection_setup import make_inspection, publish_item, uscc

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TODAY = timezone.localdate()
SOURCE = "2026年12月6日公开抽取会现场宣布的六位数"
LEAD_CERTIFICATES = ["13018520001", "13018520002", "13018520003", "13018520007"]  # 张伟 李娜 王强 周法制


def cli(*args: str, user: str = "head"):
    return CliRunner().invoke(main, [*(["--user", user] if user else []), "draw", *args])


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def reference_script() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "draw.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    return blocks[0]


def run_script(tmp_path: Path, document: dict) -> subprocess.CompletedProcess:
    script = tmp_path / "verify_draw.py"
    script.write_text(reference_script(), encoding="utf-8")
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=60, check=False
    )


def drawn_plan(size: int = 40, seed: str = "382915") -> tuple[Team, InspectionPlan]:
    team, item = make_inspection(size)
    head = team.actor("head")
    plan = plans.create_plan(head, team.department, item=item, period_start=TODAY, period_end=TODAY)
    plans.commit(head, plan, seed_source=SOURCE, draw_on=TODAY)
    return team, plans.run(head, plan, seed=seed)


def portal(client, plan: InspectionPlan, tail: str = "") -> str:
    return f"/d/{plan.department_id}/inspection/{f'plans/{plan.pk}/' if plan else ''}{tail}"


def test_the_reference_script_is_short_standard_python_and_the_one_the_portal_shows():
    script = reference_script()
    assert len(script.strip().splitlines()) <= 30
    imported = set(re.findall(r"^(?:import|from) ([\w., ]+?)(?: import|$)", script, re.M))
    assert imported == {"hashlib, json, math, sys", "fractions"}
    from qingdan.inspection.views_public import reference_script as shown

    assert shown() == script


def test_the_script_reproduces_the_portal_draw_and_catches_every_change(client, tmp_path):
    _, plan = drawn_plan()
    response = client.get(portal(client, plan, "draw.json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="draw-{plan.pk}.json"'
    document = json.loads(response.content.decode("utf-8"))
    assert document == plans.published(plan)
    # the selection, by hand: the 8 smallest tickets of 40 at 20 %
    ids = [uscc(n) for n in range(1, 41)]
    expected = [i for _, i in sorted((sha(f"382915\nall\n{i}"), i) for i in ids)[:8]]
    assert document["strata"][0]["selected"] == expected
    assert document["population_sha256"] == sha("\n".join(sorted(f"all\t{i}" for i in ids)))
    first = document["assignments"][0]
    ranked = sorted((sha(f"382915\n{first['inspectee']}\n{c}"), c) for c in LEAD_CERTIFICATES)
    assert first == {"inspectee": expected[0], "inspectors": [c for _, c in ranked[:2]]}

    held = run_script(tmp_path, document)
    assert held.returncode == 0 and held.stdout.startswith("成立"), held.stdout + held.stderr

    changed = copy.deepcopy(document)
    outside = next(i for i in ids if i not in expected)
    changed["strata"][0]["selected"][3] = outside
    assert run_script(tmp_path, changed).returncode == 1

    changed = copy.deepcopy(document)
    changed["strata"][0]["population"][0] = uscc(999)
    failed = run_script(tmp_path, changed)
    assert failed.returncode == 1 and failed.stdout.startswith("不成立")

    changed = copy.deepcopy(document)
    changed["seed"] = "382916"
    assert run_script(tmp_path, changed).returncode == 1

    # qingdan's own check of the downloaded file says the same, in Chinese
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    result = cli("verify", "--file", str(path), user="")
    assert (
        result.exit_code == 1 and "核验不通过" in result.output and "第「all」层抽中的对象" in result.output
    )


def test_a_population_changed_after_the_commit_fails_the_script(client, tmp_path):
    from qingdan.inspection.models import PlanMember

    _, plan = drawn_plan()
    member = PlanMember.objects.filter(plan=plan, task__isnull=True).order_by("uscc").first()
    member.uscc = uscc(999)
    member.save()
    document = json.loads(client.get(portal(client, plan, "draw.json")).content)
    assert document["population_sha256"] == plan.population_sha256  # the one announced at the commit
    assert run_script(tmp_path, document).returncode == 1
    result = cli("verify", plan.number, user="")
    assert result.exit_code == 1 and "检查对象名单与公布的摘要不符" in result.output


def test_the_command_line_plans_draws_shows_and_verifies(client, tmp_path):
    make_inspection(40)
    made = cli(
        "plan",
        DEPARTMENT,
        "--item",
        "技术转移",
        "--ratio",
        "A=0.05,B=0.1,C=0.2,D=1",
        "--seed-source",
        SOURCE,
    )
    assert made.exit_code == 0, made.output
    plan = InspectionPlan.objects.get()
    year = TODAY.year
    assert plan.number == f"鹿工信随抽〔{year}〕1号" and plan.state == states.COMMITTED
    assert (plan.period_start, plan.period_end) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert f"{plan.number}（编号 {plan.pk}）" in made.output
    for line in (
        "A：10 个，抽查比例 0.05",
        "D：10 个，抽查比例 1",
        f"检查对象摘要（SHA-256）：{plan.population_sha256}",
    ):
        assert line in made.output
    assert f"随机数来源：{SOURCE}" in made.output

    shown = cli("show", plan.number, "--json")
    assert json.loads(shown.output) == plans.published(plan) and json.loads(shown.output)["seed"] == ""

    drawn = cli("run", plan.number, "--seed", "517")
    assert drawn.exit_code == 0, drawn.output
    assert InspectionTask.objects.filter(plan=plan).count() == 1 + 1 + 2 + 10  # ceil(0.5) ceil(1) ceil(2) 10
    task = InspectionTask.objects.filter(plan=plan).order_by("order").first()
    assert f"{task.member.name}（{task.member.uscc}，{task.member.stratum}）" in drawn.output

    again = cli("run", str(plan.pk), "--seed", "518")
    assert (
        again.exit_code == 1
        and "不能用其他随机数重新抽取" in again.output
        and "Traceback" not in again.output
    )

    verified = cli("verify", plan.number, user="")
    assert verified.exit_code == 0 and "核验通过" in verified.output
    document = json.loads(cli("show", str(plan.pk), "--json", user="").output)
    assert document["seed"] == "517" and len(document["assignments"]) == 14
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert cli("verify", plan.number, "--file", str(path), user="").exit_code == 0

    page = client.get(portal(client, plan)).content.decode()
    assert "<td>A 5%，B 10%，C 20%，D 100%</td>" in page
    assert "<td>共 40 个：A 10 个，B 10 个，C 10 个，D 10 个</td>" in page
    listed = json.loads(cli("plans", DEPARTMENT, "--json").output)
    assert [(p["number"], p["state"]) for p in listed["plans"]] == [(plan.number, "drawn")]


def test_the_command_line_refuses_a_draw_before_the_commit_and_bad_input():
    make_inspection(12)
    draft = cli("plan", DEPARTMENT, "--item", "1", "--draft")
    assert draft.exit_code == 0, draft.output
    plan = InspectionPlan.objects.get()
    assert plan.state == states.DRAFT and plan.ratios == {"all": "0.2"}
    early = cli("run", plan.number, "--seed", "1")
    assert early.exit_code == 1 and "尚未公布检查对象名单及其摘要，不能抽取" in early.output
    assert cli("show", plan.number, "--json").exit_code == 1
    missing = cli("plan", DEPARTMENT, "--item", "1")
    assert missing.exit_code == 1 and "--seed-source" in missing.output
    unknown = cli("plan", DEPARTMENT, "--item", "不存在的事项", "--seed-source", SOURCE)
    assert unknown.exit_code == 1 and "没有「不存在的事项」" in unknown.output
    assert InspectionPlan.objects.count() == 1  # nothing half-written
    officer = cli("commit", plan.number, "--seed-source", SOURCE, user="zhang")
    assert officer.exit_code == 1 and "只有" in officer.output
    assert cli("commit", plan.number, "--seed-source", SOURCE).exit_code == 0
    long = cli("run", plan.number, "--seed", "7" * 201)
    assert long.exit_code == 1 and "随机数过长：201 个字符，最多 200 个" in long.output
    cancelled = cli("cancel", plan.number, "--reason", "名录库需要更新")
    assert cancelled.exit_code == 0 and "已撤销" in cancelled.output
    assert cli("verify").exit_code == 1


def second_department(team: Team) -> tuple[Team, list[str]]:
    from django.contrib.auth import get_user_model

    from qingdan.cases.roles import assign_role
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Department
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.enforcement.models import Officer

    other = Team(
        Department.objects.create(
            jurisdiction=team.department.jurisdiction, name="石家庄市鹿泉区市场监督管理局"
        )
    )
    certificates = ["13018530001", "13018530002"]
    for number, name in zip(certificates, ["吴敏", "郑涛"], strict=True):
        Officer.objects.create(
            department=other.department,
            name=name,
            certificate_number=number,
            valid_from=dt.date(2020, 1, 1),
            valid_until=dt.date(2030, 12, 31),
        )
    create_user(COMMAND_LINE, "market_head", "filler", other.department, None, password="pw-market-2026-x")
    assign_role(COMMAND_LINE, other.department, get_user_model().objects.get(username="market_head"), "head")
    publish_item(other, name="食品生产经营监督检查")
    return other, certificates


def test_a_joint_inspection_sends_two_inspectors_from_each_department(client, tmp_path):
    team, _ = make_inspection(20)
    other, certificates = second_department(team)
    assert cli("plan", DEPARTMENT, "--item", "1", "--draft").exit_code == 0
    plan = InspectionPlan.objects.get()
    refused = cli("join", plan.number, "--department", other.department.name, "--item", "食品")
    assert refused.exit_code == 1 and "市场监督管理局" in refused.output  # head of the lead, not of the other
    joined = cli(
        "join", plan.number, "--department", other.department.name, "--item", "食品", user="market_head"
    )
    assert joined.exit_code == 0, joined.output
    assert cli("commit", plan.number, "--seed-source", SOURCE).exit_code == 0
    assert cli("run", plan.number, "--seed", "20261206").exit_code == 0
    document = plans.published(plan)
    assert [p["department"] for p in document["inspectors"]] == [DEPARTMENT, other.department.name]
    assert len(document["assignments"]) == 4
    for assignment in document["assignments"]:
        assert len(assignment["inspectors"]) == 4
        assert set(assignment["inspectors"][:2]) <= set(LEAD_CERTIFICATES)
        assert set(assignment["inspectors"][2:]) == set(certificates)
    assert run_script(tmp_path, client.get(portal(client, plan, "draw.json")).json()).returncode == 0
    page = client.get(portal(client, plan)).content.decode()
    assert "食品生产经营监督检查" in page and "13018530001" in page


def test_the_api_takes_every_step_and_publishes_the_document(client):
    from qingdan.core.accounts import create_token

    team, _ = make_inspection(40)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(team.actor('head'), 'head')}"}

    def post(path: str, body: dict):
        return client.post(f"/api/v1/inspection/plans{path}", json.dumps(body), "application/json", **headers)

    body = {
        "department_id": team.department.pk,
        "item": 1,
        "period_start": f"{TODAY}",
        "period_end": f"{TODAY}",
        "ratios": "重点=0.5,一般=0.1",
    }
    made = post("", body)
    assert made.status_code == 200, made.content
    plan_id = made.json()["id"]
    assert made.json()["state"] == "draft" and made.json()["ratios"] == {"重点": "0.5", "一般": "0.1"}
    draft = client.get(f"/api/v1/inspection/plans/{plan_id}/draw")
    assert draft.status_code == 404 and "尚未公布" in draft.json()["error"]["message"]
    public = client.get(f"/api/v1/inspection/plans?department_id={team.department.pk}")
    assert public.status_code == 401
    too_many = post("", {**body, "inspectors": 100_000})
    assert too_many.status_code == 400 and "过多" in too_many.json()["error"]["message"]
    early = post(f"/{plan_id}/run", {"seed": "1"})
    assert early.status_code == 400 and "尚未公布" in early.json()["error"]["message"]
    committed = post(f"/{plan_id}/commit", {"seed_source": SOURCE, "draw_on": f"{TODAY}"})
    assert committed.status_code == 200 and committed.json()["population"] == {"一般": 32, "重点": 8}
    drawn = post(f"/{plan_id}/run", {"seed": "7"})
    assert drawn.status_code == 200 and len(drawn.json()["tasks"]) == 4 + 4  # ceil(3.2) + ceil(4)
    assert post(f"/{plan_id}/run", {"seed": "8"}).status_code == 400
    assert post(f"/{plan_id}/cancel", {"reason": "x"}).status_code == 400
    document = client.get(f"/api/v1/inspection/plans/{plan_id}/draw")
    assert document.status_code == 200 and document.json() == plans.published(InspectionPlan.objects.get())
    listed = client.get(f"/api/v1/inspection/plans?department_id={team.department.pk}", **headers).json()
    assert listed["count"] == 1 and listed["plans"][0]["seed"] == "7"
    assert client.get("/api/v1/inspection/plans/999999/draw").status_code == 404


def test_the_portal_shows_published_plans_only_and_never_writes(client):
    from qingdan.core.models import AuditEntry

    team, plan = drawn_plan()
    head = team.actor("head")
    draft = plans.create_plan(head, team.department, item=plan.item, period_start=TODAY, period_end=TODAY)
    cancelled = plans.create_plan(head, team.department, item=plan.item, period_start=TODAY, period_end=TODAY)
    plans.commit(head, cancelled, seed_source=SOURCE, draw_on=TODAY)
    plans.cancel(head, cancelled, reason="名录库中的风险等级需要重新评定")
    team.officers["zhang"].public = True
    team.officers["zhang"].save()
    before = (AuditEntry.objects.count(), InspectionTask.objects.count())

    listing = client.get(f"/d/{team.department.pk}/inspection/").content.decode()
    assert plan.number in listing and cancelled.number in listing and draft.number not in listing
    page = client.get(portal(client, plan)).content.decode()
    assert "<td>20%</td>" in page and "<td>共 40 个</td>" in page
    for text in (
        plan.population_sha256,
        plan.inspectors_sha256,
        SOURCE,
        "382915",
        "20%",
        "draw.json",
        "如何核验",
    ):
        assert text in page
    assert "import hashlib, json, math, sys" in page
    tasks = InspectionTask.objects.filter(plan=plan).prefetch_related("inspectors__officer")
    for task in tasks:
        assert task.member.uscc in page and task.member.name in page
        for link in task.inspectors.all():
            assert link.officer.certificate_number in page
            assert (link.officer.name in page) == link.officer.public
    gone = client.get(portal(client, cancelled)).content.decode()
    assert "名录库中的风险等级需要重新评定" in gone and cancelled.population_sha256 in gone
    assert client.get(portal(client, draft)).status_code == 404
    assert client.get(portal(client, draft, "draw.json")).status_code == 404
    assert client.get(f"/d/{team.department.pk + 1}/inspection/plans/{plan.pk}/").status_code == 404
    assert (AuditEntry.objects.count(), InspectionTask.objects.count()) == before


def test_declared_conflicts_are_published_and_kept_out_of_the_assignment(client, tmp_path):
    from qingdan.inspection.models import Conflict

    team, item = make_inspection(6)
    head = team.actor("head")
    for n in (1, 2, 3):  # 张伟 declared three: the draw's own inspectee 1 and 2, and someone outside
        Conflict.objects.create(
            officer=team.officers["zhang"],
            uscc=uscc(n if n < 3 else 999),
            reason="亲属任职",
            declared_on=TODAY,
        )
    Conflict.objects.create(officer=team.officers["li"], uscc=uscc(1), reason="曾任顾问", declared_on=TODAY)
    plan = plans.create_plan(
        head, team.department, item=item, period_start=TODAY, period_end=TODAY, ratios="1"
    )
    plans.commit(head, plan, seed_source=SOURCE, draw_on=TODAY)
    plans.run(head, plan, seed="5")
    document = client.get(portal(client, plan, "draw.json")).json()
    assert document["inspectors"][0]["conflicts"] == [
        ["13018520001", uscc(1)],
        ["13018520001", uscc(2)],
        ["13018520002", uscc(1)],
    ]
    by_inspectee = {a["inspectee"]: a["inspectors"] for a in document["assignments"]}
    assert len(by_inspectee) == 6
    assert set(by_inspectee[uscc(1)]) == {"13018520003", "13018520007"}  # only 王强 and 周法制 are left
    assert "13018520001" not in by_inspectee[uscc(2)]
    assert run_script(tmp_path, document).returncode == 0
