"""Who may take each step of a 抽查计划 on its pages: the form is shown only to whom the service
allows it (a lead — 执法科室负责人, 主管局长, 主要负责人 — of the plan's department; for 联合抽查,
a lead of another department in the same jurisdiction), and a POST by anyone else is refused by
plans.py, in Chinese, with nothing written. Judged by the effect (the plan's state, its parts, the
audit log), not only by the response."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from qingdan.cases.roles import assign_role
from qingdan.core.accounts import actor_named, create_user
from qingdan.core.models import AuditEntry, Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.inspection import plans
from qingdan.inspection.models import InspectionItem, InspectionPlan, ItemCatalog
from tests.inspection_setup import make_inspection

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LEADS = ["unithead", "deputy", "head"]
NOT_LEADS = ["zhang", "wang", "legal", "filler", "admin", "head_other"]
SOURCE = "2026年12月6日公开抽取会现场宣布的六位数"


@pytest.fixture
def world():
    team, item = make_inspection(20)
    create_user(COMMAND_LINE, "filler", "filler", team.department, None, password="pw-filler-2026-x")
    create_user(COMMAND_LINE, "admin", "admin", None, None, password="pw-admin-2026-xx")
    other = Department.objects.create(
        jurisdiction=team.department.jurisdiction, name="石家庄市鹿泉区市场监督管理局"
    )
    create_user(COMMAND_LINE, "head_other", "filler", other, None, password="pw-head-other-2026")
    assign_role(COMMAND_LINE, other, get_user_model().objects.get(username="head_other"), "head")
    catalog = ItemCatalog.objects.create(department=other, number=1, state=ItemCatalog.PUBLISHED)
    other_item = InspectionItem.objects.create(
        catalog=catalog, position=1, name="产品质量监督抽查", ratio="0.1"
    )
    plan = plans.create_plan(
        team.actor("head"), team.department, item=item, period_start=TODAY, period_end=TODAY
    )
    return team, plan, other_item


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def forms_on(client: Client, plan: InspectionPlan) -> set[str]:
    page = client.get(f"/work/inspection/plans/{plan.pk}/")
    if page.status_code != 200:
        return set()
    text = page.content.decode()
    return {step for step in ("join", "commit", "run", "cancel") if f'id="step-{step}"' in text}


def test_only_a_lead_is_offered_commit_and_cancel_and_others_are_refused(world):
    _, plan, _ = world
    for username in LEADS:
        assert forms_on(client_of(username), plan) == {"commit", "cancel"}, username
    for username in NOT_LEADS:
        assert not forms_on(client_of(username), plan) & {"commit", "run", "cancel"}, username
        before = AuditEntry.objects.count()
        response = client_of(username).post(
            f"/work/inspection/plans/{plan.pk}/commit",
            {"seed_source": SOURCE, "draw_on": f"{TODAY:%Y-%m-%d}"},
        )
        assert response.status_code == 403, username
        text = response.content.decode()
        assert (
            "无权" in text
            or "只有石家庄市鹿泉区工业和信息化局的执法科室负责人、主管局长、主要负责人可以公布抽查计划"
            in text
        )
        plan.refresh_from_db()
        assert plan.state == "draft" and AuditEntry.objects.count() == before, username


def test_only_a_lead_is_offered_the_draw_and_others_are_refused(world):
    team, plan, _ = world
    plans.commit(team.actor("head"), plan, seed_source=SOURCE, draw_on=TODAY)
    for username in LEADS:
        assert forms_on(client_of(username), plan) == {"run", "cancel"}, username
    for username in NOT_LEADS:
        assert not forms_on(client_of(username), plan), username
        response = client_of(username).post(f"/work/inspection/plans/{plan.pk}/run", {"seed": "20261206"})
        assert response.status_code == 403, username
        plan.refresh_from_db()
        assert plan.state == "committed" and plan.seed == "" and not plan.tasks.exists(), username
    done = client_of("unithead").post(f"/work/inspection/plans/{plan.pk}/run", {"seed": "20261206"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "drawn" and plan.tasks.count() == 4  # 20 % of 20
    for username in LEADS + NOT_LEADS:
        assert not forms_on(client_of(username), plan), username


def test_cancel_by_a_non_lead_is_refused(world):
    _, plan, _ = world
    for username in NOT_LEADS:
        response = client_of(username).post(
            f"/work/inspection/plans/{plan.pk}/cancel", {"reason": "不再需要"}
        )
        assert response.status_code == 403, username
        plan.refresh_from_db()
        assert plan.state == "draft", username
    assert (
        client_of("deputy")
        .post(f"/work/inspection/plans/{plan.pk}/cancel", {"reason": "事项调整"})
        .status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.state == "cancelled" and plan.cancel_reason == "事项调整"


def test_only_a_lead_of_another_department_is_offered_join(world):
    _, plan, other_item = world
    assert forms_on(client_of("head_other"), plan) == {"join"}
    for username in LEADS:
        assert "join" not in forms_on(client_of(username), plan), username
    for username in ["zhang", "legal", "filler"]:
        response = client_of(username).post(
            f"/work/inspection/plans/{plan.pk}/join", {"item": str(other_item.pk)}
        )
        assert response.status_code == 403, username
        assert (
            "只有石家庄市鹿泉区市场监督管理局的执法科室负责人、主管局长、主要负责人可以加入联合抽查"
            in response.content.decode()
        )
        assert plan.parts.count() == 1, username
    joined = client_of("head_other").post(
        f"/work/inspection/plans/{plan.pk}/join", {"item": str(other_item.pk)}, follow=True
    )
    assert "石家庄市鹿泉区市场监督管理局已加入联合抽查：产品质量监督抽查。" in joined.content.decode()
    assert [p.department.name for p in plan.parts.order_by("position")] == [
        "石家庄市鹿泉区工业和信息化局",
        "石家庄市鹿泉区市场监督管理局",
    ]
    assert forms_on(client_of("head_other"), plan) == set()  # in it now: nothing more to join


def test_only_a_lead_is_offered_the_new_plan_form(world):
    team, plan, _ = world
    url = f"/work/inspection/d/{team.department.pk}/"
    for username in LEADS:
        assert 'id="form-new-plan"' in client_of(username).get(url).content.decode(), username
    for username in ["zhang", "wang", "legal", "filler", "admin"]:
        page = client_of(username).get(url)
        assert page.status_code == 200 and 'id="form-new-plan"' not in page.content.decode(), username
        refused = client_of(username).post(
            url,
            {
                "item": str(plan.item_id),
                "period_start": f"{TODAY:%Y-%m-%d}",
                "period_end": f"{TODAY:%Y-%m-%d}",
            },
        )
        assert refused.status_code == 403, username
        assert "可以制定抽查计划" in refused.content.decode()
    assert client_of("head_other").get(url).status_code == 403
    assert InspectionPlan.objects.count() == 1


def test_a_joined_plan_is_listed_for_the_joining_department(world):
    _, plan, other_item = world
    plans.join_plan(actor_named("head_other"), plan, item=other_item)
    page = (
        client_of("head_other")
        .get(f"/work/inspection/d/{other_item.catalog.department_id}/")
        .content.decode()
    )
    assert page.count('<tr id="plan-') == 1 and "联合抽查 · 石家庄市鹿泉区工业和信息化局牵头" in page
