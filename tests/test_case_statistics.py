"""Case statistics per department, unit and officer, from cases, actions and deadlines built
directly through the models (the move services are the lead's; these only read what they write)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from qingdan.cases.models import CaseAction, CaseDeadline, CaseOfficer, CaseRole, PenaltyCase
from qingdan.cases.statistics import can_see_statistics, case_statistics, visible_departments
from qingdan.cli import main
from qingdan.core.accounts import create_token, create_user
from qingdan.core.models import Department, Jurisdiction
from qingdan.core.permissions import COMMAND_LINE
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError
from tests.conftest import actor, password_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(f"2026-{text}")


def make_case(
    department, unit: str, stage: str, moves: list[tuple[str, str, str, str]], officers=()
) -> PenaltyCase:
    """A case whose actions are ``moves``: (move, stage before, stage after, MM-DD)."""
    case = PenaltyCase.objects.create(
        department=department,
        unit=unit,
        stage=stage,
        title=f"{unit}案件",
        source="inspection",
        occurred_on=day("09-30"),
        party_kind="organisation",
        party_name="某某有限公司",
    )
    for move, before, after, on in moves:
        CaseAction.objects.create(
            case=case, move=move, stage_before=before, stage_after=after, actor_name="测试", on=day(on)
        )
    for officer, role in officers:
        CaseOfficer.objects.create(case=case, officer=officer, role=role)
    return case


def deadline(department, case, status: str, due: str, unit_name: str = "") -> None:
    CaseDeadline.objects.create(
        department=department,
        case=case,
        rule="test",
        label="期限",
        basis="行政处罚法",
        start=day("10-01"),
        days=7,
        unit="working",
        due=day(due),
        status=status,
        unit_name=unit_name,
    )


@pytest.fixture
def cases():
    place = Jurisdiction.objects.create(name="鹿泉区")
    a = Department.objects.create(jurisdiction=place, name="鹿泉区工业和信息化局")
    b = Department.objects.create(jurisdiction=place, name="鹿泉区科学技术局")
    zhang, li, wang = (
        Officer.objects.create(department=a, name=n, unit="节能监察科", certificate_number=f"1300{i}")
        for i, n in enumerate(["张明", "李华", "王芳"])
    )
    inspector, handler = CaseOfficer.INSPECTOR, CaseOfficer.HANDLER
    one = make_case(
        a,
        "节能监察科",
        "notified",
        [
            ("submit_filing", "discovered", "filing", "11-02"),
            ("review_filing", "filing", "filing", "11-03"),
            ("approve_filing", "filing", "investigating", "11-05"),
            ("notify", "investigating", "notified", "11-20"),
        ],
        [(zhang, inspector), (zhang, handler), (li, handler)],
    )
    two = make_case(
        a,
        "节能监察科",
        "investigating",
        [
            ("submit_filing", "discovered", "filing", "11-01"),
            ("approve_filing", "filing", "investigating", "11-08"),
        ],
        [(li, handler), (wang, handler)],
    )
    three = make_case(
        a,
        "无线电管理科",
        "closed",
        [
            ("submit_filing", "discovered", "filing", "10-01"),
            ("approve_filing", "filing", "investigating", "10-02"),
            ("notify", "investigating", "notified", "10-12"),
            ("submit_decision", "notified", "deciding", "10-20"),
            ("legal_review", "deciding", "deciding", "10-22"),
            ("decide", "deciding", "decided", "10-25"),
            ("serve", "decided", "served", "10-26"),
            ("close", "served", "closed", "11-10"),
        ],
        [(wang, handler)],
    )
    four = make_case(b, "", "discovered", [])
    deadline(a, one, CaseDeadline.OPEN, "11-10")  # overdue
    deadline(a, one, CaseDeadline.OPEN, "12-05")  # still running
    deadline(a, two, CaseDeadline.MISSED, "11-15")  # met late
    deadline(a, three, CaseDeadline.MET, "10-30")
    deadline(a, None, CaseDeadline.OPEN, "07-31", unit_name="法规科")  # the half-year 备案 report
    deadline(b, four, CaseDeadline.CANCELLED, "10-01")
    return {"a": a, "b": b}


def days_of(group) -> dict[str, tuple[float, int]]:
    return {d.stage: (d.average, d.count) for d in group.stage_days}


def test_by_department_counts_stages_overdue_and_days_per_stage(cases):
    stats = case_statistics(None, "department", TODAY)
    a, b = stats.groups
    assert (a.name, a.total, a.open, a.overdue) == ("鹿泉区工业和信息化局", 3, 2, 3)
    assert a.by_stage == {"notified": 1, "investigating": 1, "closed": 1}
    assert a.stage_rows() == [("调查取证", 1), ("告知", 1), ("结案", 1)]
    assert days_of(a) == {
        "filing": (3.7, 3),  # 3, 7 and 1 days; the 审核 that stayed in 立案审批 does not split it
        "investigating": (12.5, 2),  # 15 and 10; case two is still investigating
        "notified": (8.0, 1),
        "deciding": (5.0, 1),
        "decided": (1.0, 1),
        "served": (15.0, 1),
    }
    assert [d.stage for d in a.stage_days][:2] == ["filing", "investigating"]  # the procedure's order
    assert (b.total, b.open, b.overdue, b.stage_days) == (1, 1, 0, [])


def test_by_unit_and_the_deadline_without_a_case(cases):
    groups = {g.name: g for g in case_statistics([cases["a"], cases["b"]], "unit", TODAY).groups}
    energy = groups["节能监察科"]
    assert (energy.total, energy.overdue) == (2, 2)
    assert days_of(energy) == {"filing": (5.0, 2), "investigating": (15.0, 1)}
    assert groups["无线电管理科"].by_stage == {"closed": 1}
    assert (groups["法规科"].total, groups["法规科"].overdue) == (0, 1)
    assert groups["（未填承办科室）"].department == "鹿泉区科学技术局"


def test_by_officer_counts_a_case_once_whatever_the_roles(cases):
    groups = {g.name: g for g in case_statistics([cases["a"]], "officer", TODAY).groups}
    assert set(groups) == {"张明", "李华", "王芳"}
    assert (groups["张明"].total, groups["张明"].overdue) == (1, 1)
    assert days_of(groups["张明"]) == {"filing": (3.0, 1), "investigating": (15.0, 1)}
    assert (groups["李华"].total, groups["李华"].overdue) == (2, 2)
    assert days_of(groups["李华"])["filing"] == (5.0, 2)
    assert (groups["王芳"].total, groups["王芳"].overdue, groups["王芳"].open) == (2, 1, 1)
    assert days_of(groups["王芳"])["filing"] == (4.0, 2)


def test_overdue_is_judged_on_the_day_asked(cases):
    early = case_statistics([cases["a"]], "department", day("07-01")).groups[0]
    assert early.overdue == 1  # only the deadline met late


def test_the_queries_do_not_grow_with_the_cases(cases, django_assert_max_num_queries):
    for by in ("department", "unit", "officer"):
        with django_assert_max_num_queries(5):
            case_statistics(None, by, TODAY)
    for _ in range(20):
        make_case(cases["a"], "节能监察科", "filing", [("submit_filing", "discovered", "filing", "11-30")])
    with django_assert_max_num_queries(5):
        assert case_statistics(None, "unit", TODAY).groups


def test_a_wrong_grouping_is_refused_in_chinese(cases):
    with pytest.raises(QingdanError, match="统计口径「post」无效"):
        case_statistics(None, "post")


def test_who_may_see_the_statistics(cases):
    a = cases["a"]
    create_user(COMMAND_LINE, "gx_filler", "filler", a, password=password_of("gx_filler"))
    create_user(COMMAND_LINE, "kj_filler", "filler", cases["b"], password=password_of("kj_filler"))
    create_user(COMMAND_LINE, "gx_head", "filler", cases["b"], password=password_of("gx_head"))
    assert can_see_statistics(actor("gx_filler"), a) and not can_see_statistics(actor("kj_filler"), a)
    assert not can_see_statistics(actor("gx_head"), a)
    head = actor("gx_head")
    CaseRole.objects.create(department=a, user=head.user, role=CaseRole.HEAD)
    assert can_see_statistics(actor("gx_head"), a)  # a 主要负责人 with a case role there
    assert [d.name for d in visible_departments(actor("kj_filler"))] == ["鹿泉区科学技术局"]
    assert len(visible_departments(COMMAND_LINE)) == 2


def test_the_cli_api_and_page(cases, client):
    from django.contrib.auth import get_user_model

    a = cases["a"]
    result = CliRunner().invoke(main, ["cases", "stats", a.name, "--by", "officer", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["by"] == "officer" and {g["name"] for g in data["groups"]} == {"张明", "李华", "王芳"}
    result = CliRunner().invoke(main, ["cases", "stats"])
    assert (
        "鹿泉区工业和信息化局：案件 3 件，办理中 2 件" in result.output
        and "立案审批 3.7 天（3 次）" in result.output
    )
    create_user(COMMAND_LINE, "kj_filler", "filler", cases["b"], password=password_of("kj_filler"))
    result = CliRunner().invoke(main, ["--user", "kj_filler", "cases", "stats", a.name])
    assert result.exit_code == 1 and "无权查看鹿泉区工业和信息化局的案件统计" in result.output
    token = create_token(COMMAND_LINE, "kj_filler")
    response = client.get("/api/v1/statistics/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [g["name"] for g in response.json()["groups"]] == ["鹿泉区科学技术局"]
    refused = client.get(f"/api/v1/statistics/cases?department={a.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403
    assert client.get("/api/v1/statistics/cases").status_code == 401
    client.force_login(get_user_model().objects.get(username="kj_filler"))
    assert client.get(f"/work/cases/statistics/?department={a.pk}").status_code == 403
    html = client.get("/work/cases/statistics/?by=unit").content.decode()
    assert "鹿泉区科学技术局" in html and "（未填承办科室）" in html and "节能监察科" not in html
