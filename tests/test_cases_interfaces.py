"""The case steps from the command line and the API: the same services, the same refusals, in
Chinese, and the API's one error shape."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.utils import timezone

from qingdan.cases.models import PenaltyCase
from qingdan.cli import main
from tests.case_team import DEPARTMENT, make_team

pytestmark = pytest.mark.django_db

DAY = (timezone.localdate() - dt.timedelta(days=30)).isoformat()


@pytest.fixture
def team():
    return make_team()


def cli(*args: str, user: str = ""):
    prefix = ["--user", user] if user else []
    return CliRunner().invoke(main, [*prefix, *args])


def test_a_case_is_opened_and_filed_from_the_command_line(team):
    result = cli(
        "cases",
        "open",
        DEPARTMENT,
        "--title",
        "未按规定报送统计资料",
        "--source",
        "inspection",
        "--occurred-on",
        DAY,
        "--party",
        "某某化工有限公司",
        "--inspector",
        "张伟",
        "--inspector",
        "李娜",
        user="zhang",
    )
    assert result.exit_code == 0, result.output
    case = PenaltyCase.objects.get()
    ok = cli(
        "cases",
        "do",
        str(case.pk),
        "submit_filing",
        "-p",
        "facts=现场发现",
        "-p",
        "handlers=张伟,李娜",
        user="zhang",
    )
    assert ok.exit_code == 0 and "立案审批" in ok.output
    wrong = cli("cases", "do", str(case.pk), "approve_filing", "-p", "opinion=同意", user="zhang")
    assert (
        wrong.exit_code != 0
        and "只有" in wrong.output
        and "主要负责人" in wrong.output
        and "Traceback" not in wrong.output
    )
    admin = cli("cases", "do", str(case.pk), "review_filing", "-p", "opinion=同意")
    assert admin.exit_code != 0 and "执法科室负责人" in admin.output
    assert (
        cli("cases", "do", str(case.pk), "review_filing", "-p", "opinion=同意", user="unithead").exit_code
        == 0
    )
    unknown = cli("cases", "do", str(case.pk), "review_filing", "-p", "amount=1", user="deputy")
    assert unknown.exit_code != 0 and "没有参数「amount」" in unknown.output
    shown = cli("cases", "show", str(case.pk), "--json", user="deputy")
    data = json.loads(shown.output)
    assert data["stage"] == "filing" and [a["move"] for a in data["actions"]][-1] == "review_filing"
    assert data["next_steps"] == [["review_filing", "立案审核"], ["return_filing", "退回立案审批"]]
    assert data["deadlines"][0]["basis"].startswith("部门行政处罚办案制度")


def test_the_api_runs_steps_with_one_error_shape(team, client):
    from qingdan.core.accounts import create_token

    token = create_token(team.actor("zhang"), "zhang")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {
        "department_id": team.department.pk,
        "title": "违法排污",
        "source": "complaint",
        "occurred_on": DAY,
        "party_name": "某厂",
        "inspectors": ["张伟", "李娜"],
    }
    made = client.post("/api/v1/cases", json.dumps(body), content_type="application/json", **headers)
    assert made.status_code == 200, made.content
    case_id = made.json()["id"]
    step = client.post(
        f"/api/v1/cases/{case_id}/steps/submit_filing",
        json.dumps({"params": {"facts": "x", "handlers": ["张伟", "李娜"]}}),
        content_type="application/json",
        **headers,
    )
    assert step.status_code == 200 and step.json()["stage"] == "filing"
    refused = client.post(
        f"/api/v1/cases/{case_id}/steps/approve_filing",
        json.dumps({"params": {"opinion": "同意"}}),
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 403
    assert "主要负责人" in refused.json()["error"]["message"]
    listed = client.get(f"/api/v1/cases?department_id={team.department.pk}", **headers)
    assert listed.json()["count"] == 1
    assert client.get("/api/v1/cases/999999", **headers).json()["error"]["status"] == 404


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_cases_at_every_stage_and_deadlines_on_the_desk():
    from qingdan.cases.summary import desk_deadlines
    from qingdan.core.accounts import actor_named

    result = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "qs_head" in result.output
    stages = set(PenaltyCase.objects.values_list("stage", flat=True))
    assert stages == {"filing", "investigating", "notified", "closed"}
    desk = desk_deadlines(actor_named("qs_lin"))
    assert desk["count"] >= 2 and any(item["rule"] == "statement" for item in desk["deadlines"])
    assert PenaltyCase.objects.filter(number__startswith="青科罚〔").count() == 3
