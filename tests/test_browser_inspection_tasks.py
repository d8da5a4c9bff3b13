"""One 检查任务 in a real browser: the drawn inspector finds it on the 工作台, records 责令整改 on the
task page (a wrong date is refused in Chinese with what was typed kept), then refers it to a case
and follows the link to the case; the 主要负责人 publishes the plan's results from the tasks page,
and the portal shows the result without the findings text."""

from __future__ import annotations

import datetime as dt

from tests.conftest import BROWSER
from tests.inspection_tasks_setup import TODAY, drawn_plan, split

pytestmark = BROWSER

PASSWORD = "pw-case-team-2026"


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("h1:has-text('工作台')")


def test_an_inspector_records_refers_and_a_lead_publishes(page):
    team, plan = drawn_plan()
    task = plan.tasks.order_by("order").first()
    inspector = split(team, task)[0][0]
    sign_in(page, inspector)
    page.locator("#inspection-desk a", has_text="我的检查任务").click()
    page.locator(f"#task-{task.pk} a", has_text=task.member.name).click()
    page.wait_for_selector("#task-header")
    form = page.locator("#form-result form")
    form.get_by_role("radio", name="责令整改").check()
    form.locator("[name=findings]").fill("未建立技术合同登记台账")
    form.locator("[name=rectify_due]").fill((TODAY - dt.timedelta(days=6)).isoformat())
    form.locator("[name=inspected_on]").fill((TODAY - dt.timedelta(days=5)).isoformat())
    form.get_by_role("button", name="登记").click()
    page.wait_for_selector("#form-result .error:has-text('须晚于检查日期')")
    form = page.locator("#form-result form")
    assert form.locator("[name=findings]").input_value() == "未建立技术合同登记台账"
    form.locator("[name=rectify_due]").fill((TODAY - dt.timedelta(days=3)).isoformat())
    form.get_by_role("button", name="登记").click()
    page.wait_for_selector("#task-state:has-text('整改中')")
    assert "整改逾期" in page.locator("#task-state").inner_text()
    refer = page.locator("#form-refer form")
    refer.locator("[name=title]").fill("逾期未建立技术合同登记台账")
    refer.get_by_role("button", name="移交立案").click()
    page.locator("#task-case a").click()
    page.wait_for_selector("#case-header")
    assert "双随机抽查" in page.locator("#case-header").inner_text()
    sign_in(page, "head")
    page.goto(page.base_url + "/work/inspection/tasks/")
    page.locator(f"#waiting-{plan.pk}").get_by_role("button", name="公示检查结果").click()
    page.wait_for_selector(".messages:has-text('已公示 1 项检查结果')")
    page.goto(f"{page.base_url}/d/{team.department.pk}/inspection/results/")
    row = page.locator(f"#result-{task.pk}").inner_text()
    assert task.member.uscc in row and "责令整改" in row and "已移交立案" in row
    assert "未建立技术合同登记台账" not in page.locator("#inspection-results").inner_text()
