"""A 双随机抽查 plan in a real browser: the 主要负责人 drafts it from the department's page with a
ratio per risk class, publishes its population (the hash shows on the plan page and on the portal)
with the named source of the seed, and draws with the seed that source announced. The tasks appear
with the inspectees the published algorithm selects — recomputed here from the spec (SHA-256 of
``seed\\nstratum\\nid``, the ceil(ratio × size) smallest per stratum), not by the code under test —
and each with two of the department's officers."""

from __future__ import annotations

import hashlib
import math
from fractions import Fraction

from django.urls import NoReverseMatch, reverse

from tests.conftest import BROWSER
from tests.inspection_setup import RISKS, make_inspection, uscc

pytestmark = BROWSER

PASSWORD = "pw-case-team-2026"
SEED = "20261206"
SOURCE = "2026年12月6日公开抽取会现场宣布的八位数"
RATIOS = {"A": Fraction("0.1"), "B": Fraction("0.2"), "C": Fraction("0.5"), "D": Fraction(1)}


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("h1:has-text('工作台')")


def expected_selection(size: int) -> list[str]:
    """The 统一社会信用代码 drawn, by the spec of qingdan-draw/1 (fill_pool puts n in RISKS[n % 4])."""
    chosen = []
    for stratum, ratio in RATIOS.items():
        ids = [uscc(n) for n in range(1, size + 1) if RISKS[n % 4] == stratum]
        tickets = sorted((hashlib.sha256(f"{SEED}\n{stratum}\n{i}".encode()).hexdigest(), i) for i in ids)
        chosen += [i for _, i in tickets[: math.ceil(ratio * len(ids))]]
    return sorted(chosen)


def population_sha256(size: int) -> str:
    lines = sorted(f"{RISKS[n % 4]}\t{uscc(n)}" for n in range(1, size + 1))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_plan_commit_draw_in_the_browser(page):
    from qingdan.inspection.models import InspectionPlan

    team, _ = make_inspection(40)
    sign_in(page, "head")
    page.locator("#desk-inspection").get_by_role("link", name="抽查计划").click()
    page.get_by_role("link", name="石家庄市鹿泉区工业和信息化局").first.click()
    page.wait_for_selector("h1:has-text('抽查计划')")
    assert "A=0.05,B=0.1,C=0.2,D=1 或 0.2" in page.inner_text("#new-plan")

    form = page.locator("#form-new-plan")
    form.get_by_label("抽查事项").select_option(label="技术转移机构监管（每年一次，抽查比例 0.2）")
    form.locator("[name=title]").fill("2026年度技术转移机构随机抽查")
    form.locator("[name=ratios]").fill("A=0.1,B=0.2,C=0.5,D=1")
    form.get_by_role("button", name="新建抽查计划").click()
    page.wait_for_selector("text=已草拟抽查计划")
    plan = InspectionPlan.objects.get()
    assert page.inner_text("#plan-state") == "草拟"
    assert page.inner_text("#plan-ratios") == "A：0.1；B：0.2；C：0.5；D：1（按风险等级）"
    assert page.locator("#step-run").count() == 0

    page.locator("#step-commit summary").click()
    page.get_by_label("随机数来源").fill(SOURCE)
    page.locator("#step-commit").get_by_role("button", name="公布检查对象并锁定").click()
    page.wait_for_selector("text=已公布检查对象名单及其摘要，等待抽取。")
    assert page.inner_text("#plan-state") == "已公布待抽取"
    assert page.inner_text("#plan-population-sha256") == population_sha256(40)
    assert page.inner_text("#plan-size") == "40 户（A 10，B 10，C 10，D 10）"
    assert page.locator("#step-commit").count() == 0

    page.locator("#step-run summary").click()
    assert page.inner_text("#run-source").startswith(f"公布的随机数来源：{SOURCE}")
    page.get_by_label("随机数").fill(SEED)
    page.locator("#step-run").get_by_role("button", name="抽取").click()
    page.wait_for_selector(f"text=已用随机数「{SEED}」抽取，抽中 18 户。")
    assert page.inner_text("#plan-state") == "已抽取"
    assert page.inner_text("#plan-seed") == SEED
    rows = page.locator("#plan-tasks tbody tr")
    assert rows.count() == 18
    shown = sorted(rows.nth(i).locator("td").nth(2).inner_text() for i in range(18))
    assert shown == expected_selection(40)
    officers = {f"{o.name}（{o.certificate_number}）" for o in team.officers.values()}
    for i in range(18):
        names = rows.nth(i).locator("td").nth(4).inner_text().split("、")
        assert len(names) == 2 and len(set(names)) == 2 and set(names) <= officers
        assert rows.nth(i).locator("td").nth(5).inner_text() == "待检查"
    assert page.locator("#steps details").count() == 0  # no second draw offered
    page.set_viewport_size({"width": 375, "height": 740})  # the plan page fits a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})
    plan.refresh_from_db()
    assert plan.seed == SEED and plan.tasks.count() == 18

    if built("public-inspection-plan", team.department.pk, plan.pk):
        # the public page of the plan shows the hash, the seed source and the seed
        page.locator("#public-link").click()
        body = page.inner_text("body")
        assert population_sha256(40) in body and SEED in body and SOURCE in body
    if built("inspection-task", plan.tasks.first().pk):
        record_a_result(page, team, plan)


def built(name: str, *args: int) -> bool:
    """Whether the page of another part of 双随机抽查 is on this branch yet."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def record_a_result(page, team, plan) -> None:
    """An officer drawn for the first task opens it from the plan page and records 未发现问题."""
    from qingdan.inspection.models import InspectionTask

    task = InspectionTask.objects.get(plan=plan, order=1)
    drawn = {link.officer_id for link in task.inspectors.all()}
    username = next(u for u in ("zhang", "li", "wang") if team.officers[u].pk in drawn)
    sign_in(page, username)
    page.goto(f"{page.base_url}/work/inspection/plans/{plan.pk}/")
    page.locator(f"#task-{task.pk} a").click()
    form = page.locator("#form-result form")
    form.get_by_role("radio", name="未发现问题").check()
    form.locator("[name=findings]").fill("现场核查技术转移机构台账，未发现问题。")
    form.get_by_role("button", name="登记").click()
    page.wait_for_selector("#task-result")
    assert page.inner_text("#task-state") == "已办结"
    page.goto(f"{page.base_url}/work/inspection/plans/{plan.pk}/")
    assert page.inner_text(f"#task-{task.pk} td.state") == "已办结（未发现问题）"
