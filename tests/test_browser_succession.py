"""An administrator records a reorganisation in the 工作台 with a real browser, and the public
home page and the predecessor's page show it at once."""

from __future__ import annotations

from tests.conftest import BROWSER, LUQUAN_KEGONG, XIANGYIN_KEJI
from tests.test_browser_review import login

pytestmark = BROWSER


def test_an_administrator_records_a_merge_in_the_browser(page, staff):
    login(page, "admin")
    page.get_by_role("link", name="机构沿革").click()
    page.get_by_label("承接职责的部门（后继部门）").select_option(label=f"石家庄市鹿泉区 · {LUQUAN_KEGONG}")
    page.get_by_label("被撤并（或更名）的部门（前身部门，可多选）").select_option(
        label=f"湘阴县 · {XIANGYIN_KEJI}"
    )
    page.get_by_label("撤并日期").fill("2019-03-01")
    page.get_by_label("依据（机构改革方案的名称和文号）").fill("浏览器测试方案")
    page.get_by_role("button", name="记录").click()
    page.wait_for_selector("text=已记录")
    merged = f"已撤销（并入 {LUQUAN_KEGONG}，2019-03-01）"
    assert merged in page.inner_text(".messages")
    assert XIANGYIN_KEJI in page.inner_text("table.register")

    page.goto(page.base_url + "/")
    current = page.inner_text("ul.departments >> nth=0") + page.inner_text("ul.departments >> nth=1")
    assert XIANGYIN_KEJI not in current
    page.get_by_text("已撤销的部门").click()
    page.get_by_role("link", name=XIANGYIN_KEJI).click()
    assert merged in page.inner_text(".lineage")
    page.get_by_role("link", name=LUQUAN_KEGONG).first.click()
    assert f"{XIANGYIN_KEJI} 并入本部门（2019-03-01）" in page.inner_text(".lineage")

    page.goto(page.base_url + "/work/succession/")
    page.get_by_role("button", name=f"撤销 {XIANGYIN_KEJI} → {LUQUAN_KEGONG}").click()
    page.wait_for_selector("text=已撤销沿革记录")
