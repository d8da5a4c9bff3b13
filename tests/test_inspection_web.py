"""The 工作台 pages of 双随机抽查: the index, a department's plans with the form to draft one, a
plan's page with the step forms by state, its tasks after the draw, and the 工作台 block. A GET
never writes; each POST goes to plans.py and a refusal comes back in Chinese on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from qingdan.core.models import AuditEntry
from qingdan.inspection import plans
from qingdan.inspection.models import InspectionPlan, InspectionTask
from tests.inspection_setup import make_inspection

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def client_of(team, username: str) -> Client:
    client = Client()
    client.force_login(team.users[username])
    return client


def new_plan(client: Client, team, item, **values) -> object:
    data = {
        "item": str(item.pk),
        "period_start": f"{TODAY:%Y-%m-%d}",
        "period_end": f"{TODAY + dt.timedelta(days=90):%Y-%m-%d}",
        "ratios": "",
        "inspectors": "",
        "industry": "",
        **values,
    }
    return client.post(f"/work/inspection/d/{team.department.pk}/", data)


def test_draft_commit_run_from_the_pages():
    team, item = make_inspection(40)
    head = client_of(team, "head")
    index = head.get("/work/inspection/")
    assert index.status_code == 200
    assert "石家庄市鹿泉区工业和信息化局" in index.content.decode()
    page = head.get(f"/work/inspection/d/{team.department.pk}/").content.decode()
    assert "新建抽查计划" in page and "A=0.05,B=0.1,C=0.2,D=1 或 0.2" in page

    response = new_plan(head, team, item, ratios="A=0.1,B=0.2,C=0.5,D=1")
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work/inspection/plans/{plan.pk}/"
    assert plan.ratios == {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"} and plan.strata_by == "risk"
    page = head.get(f"/work/inspection/plans/{plan.pk}/").content.decode()
    assert 'id="step-commit"' in page and 'id="step-cancel"' in page and 'id="step-run"' not in page

    committed = head.post(
        f"/work/inspection/plans/{plan.pk}/commit",
        {"seed_source": "2026年12月6日公开抽取会现场宣布的六位数", "draw_on": f"{TODAY:%Y-%m-%d}"},
    )
    assert committed.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "committed"
    page = head.get(f"/work/inspection/plans/{plan.pk}/").content.decode()
    assert plan.population_sha256 in page and "40 户" in page
    assert "公布的随机数来源：2026年12月6日公开抽取会现场宣布的六位数" in page
    assert 'id="step-run"' in page and 'id="step-commit"' not in page

    desk = head.get("/work/").content.decode()
    assert 'id="desk-awaiting-draw"' in desk and plan.number in desk

    ran = head.post(f"/work/inspection/plans/{plan.pk}/run", {"seed": "517"}, follow=True)
    assert "已用随机数「517」抽取，抽中 18 户。" in ran.content.decode()  # 1 + 2 + 5 + 10
    assert InspectionTask.objects.filter(plan=plan).count() == 18
    page = ran.content.decode()
    assert page.count('<tr id="task-') == 18 and "<td>517</td>" not in page and 'id="plan-seed">517<' in page
    names = {o.name for o in team.officers.values()}
    assert any(name in page for name in names)
    again = head.post(f"/work/inspection/plans/{plan.pk}/run", {"seed": "999"})
    assert again.status_code == 400 and "不能用其他随机数重新抽取" in again.content.decode()

    zhang = client_of(team, "zhang")
    desk = zhang.get("/work/").content.decode()
    mine = InspectionTask.objects.filter(inspectors__officer=team.officers["zhang"]).count()
    assert f"我的检查任务：{mine} 项未办结" in desk


def test_refusals_come_back_in_chinese_and_nothing_is_written():
    team, item = make_inspection(10)
    head = client_of(team, "head")
    bad = new_plan(head, team, item, ratios="A=0.1,重点=0.2")
    assert bad.status_code == 400 and "无法识别" in bad.content.decode()
    bad = new_plan(head, team, item, period_start="2026-13-01")
    assert bad.status_code == 400 and "请填写抽查期间开始日期（格式如 2026-12-06）。" in bad.content.decode()
    assert InspectionPlan.objects.count() == 0
    new_plan(head, team, item)
    plan = InspectionPlan.objects.get()
    no_source = head.post(
        f"/work/inspection/plans/{plan.pk}/commit", {"seed_source": " ", "draw_on": f"{TODAY:%Y-%m-%d}"}
    )
    assert no_source.status_code == 400 and "请写明随机数来源" in no_source.content.decode()
    assert 'id="step-commit" open' in no_source.content.decode()
    plan.refresh_from_db()
    assert plan.state == "draft"
    early = head.post(f"/work/inspection/plans/{plan.pk}/run", {"seed": "1"})
    assert early.status_code == 400 and "尚未公布检查对象名单及其摘要" in early.content.decode()


def test_a_get_never_writes():
    team, item = make_inspection(10)
    head = client_of(team, "head")
    new_plan(head, team, item)
    plan = InspectionPlan.objects.get()
    before = AuditEntry.objects.count()
    for url in (
        "/work/inspection/",
        f"/work/inspection/d/{team.department.pk}/",
        f"/work/inspection/plans/{plan.pk}/",
        f"/work/inspection/plans/{plan.pk}/commit",
        "/work/",
    ):
        assert head.get(url).status_code in (200, 302)
    plan.refresh_from_db()
    assert plan.state == "draft" and AuditEntry.objects.count() == before


def test_plans_are_paged_fifty():
    team, item = make_inspection(5)
    head = team.actor("head")
    for _ in range(51):
        plans.create_plan(head, team.department, item=item, period_start=TODAY, period_end=TODAY)
    client = client_of(team, "head")
    first = client.get(f"/work/inspection/d/{team.department.pk}/").content.decode()
    assert first.count('<tr id="plan-') == 50 and "第 1 / 2 页" in first
    second = client.get(f"/work/inspection/d/{team.department.pk}/?page=2").content.decode()
    assert second.count('<tr id="plan-') == 1


def test_an_outsider_sees_nothing():
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.core.permissions import COMMAND_LINE

    team, item = make_inspection(5)
    plan = plans.create_plan(
        team.actor("head"), team.department, item=item, period_start=TODAY, period_end=TODAY
    )
    elsewhere = Department.objects.create(
        jurisdiction=Jurisdiction.objects.create(name="正定县"), name="正定县科技局"
    )
    create_user(COMMAND_LINE, "outsider", "filler", elsewhere, None, password="pw-outsider-2026")
    client = Client()
    client.login(username="outsider", password="pw-outsider-2026")
    assert client.get(f"/work/inspection/d/{team.department.pk}/").status_code == 403
    refused = client.get(f"/work/inspection/plans/{plan.pk}/")
    assert refused.status_code == 403 and "无权查看" in refused.content.decode()
    assert client.post(f"/work/inspection/plans/{plan.pk}/cancel", {"reason": "x"}).status_code == 403
    plan.refresh_from_db()
    assert plan.state == "draft"
    missing = client_of(team, "head").get("/work/inspection/plans/999999/")
    assert missing.status_code == 404 and "没有找到这个页面" in missing.content.decode()


def test_the_tasks_of_a_plan_are_paged_fifty():
    team, item = make_inspection(55)
    head = team.actor("head")
    plan = plans.create_plan(
        head, team.department, item=item, period_start=TODAY, period_end=TODAY, ratios="1"
    )
    plans.commit(head, plan, seed_source="现场宣布", draw_on=TODAY)
    plans.run(head, plan, seed="7")
    client = client_of(team, "head")
    first = client.get(f"/work/inspection/plans/{plan.pk}/").content.decode()
    assert "检查任务（55 项）" in first and first.count('<tr id="task-') == 50 and "第 1 / 2 页" in first
    second = client.get(f"/work/inspection/plans/{plan.pk}/?page=2").content.decode()
    assert second.count('<tr id="task-') == 5 and "<td>51</td>" in second
