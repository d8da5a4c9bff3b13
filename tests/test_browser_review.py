"""The review flow end to end in a real browser: a 填报员 edits a draft and submits it, the
法制审核员 returns it, the 填报员 fixes it, 法制审核 and 编办审核 approve, and the public sees the
new version with its reason in the change log. Also: two people saving the same item."""

from __future__ import annotations

import re

from tests.conftest import BROWSER, password_of

pytestmark = BROWSER


def login(page, username: str) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password_of(username))
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("h1:has-text('工作台')")


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_selector("text=工作人员登录")


def approve(page, username: str, comment: str) -> None:
    login(page, username)
    page.get_by_role("link", name="湘阴县科技局").first.click()
    page.get_by_label("审核意见").fill(comment)
    page.get_by_role("button", name="审核通过").click()


def test_edit_submit_return_fix_approve_publish(page, staff):
    login(page, "filler")
    page.get_by_role("link", name="湘阴县科技局").click()
    page.get_by_role("button", name="新建草稿（复制最新版本）").click()
    page.wait_for_selector("text=状态：")
    assert "草稿" in page.inner_text(".status")

    # move the first task of duty 1 to duty 2, reworded
    page.locator("#duties-0-tasks-0 >> text=编辑").click()
    text = page.get_by_label("具体工作事项（必填）")
    text.fill(text.input_value() + "（含网上受理）")
    page.get_by_label("所属主要职责").select_option(index=1)
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    assert "（含网上受理）" in page.inner_text("#duties-1")

    # add a duty
    page.get_by_role("link", name="＋ 新增主要职责").click()
    page.get_by_label("主要职责（必填）").fill("负责科技特派员选派和管理工作")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    assert "负责科技特派员选派和管理工作" in page.inner_text("#duties")
    diff = page.inner_text("ul.diff")
    assert "新增职责" in diff or "科技特派员" in diff

    page.get_by_label("调整原因").select_option(label="上级目录调整")
    page.get_by_label("调整依据").fill("湖南省科技厅关于调整科技特派员工作职责的通知")
    page.get_by_role("button", name="提交法制审核").click()
    page.wait_for_selector("text=待法制审核")
    logout(page)

    # the legal reviewer of another county does not see it; the right one returns it
    login(page, "legal_other")
    assert "湘阴县科技局" not in page.inner_text("main")
    logout(page)
    login(page, "legal")
    assert "待我审核" in page.inner_text("main")
    page.get_by_role("link", name="湘阴县科技局").first.click()
    assert "科技特派员" in page.inner_text("ul.diff")
    page.get_by_label("审核意见").fill("依据请写明文号")
    page.get_by_role("button", name="退回修改").click()
    page.wait_for_selector("text=草稿")
    logout(page)

    # the filler sees why, and resubmits
    login(page, "filler")
    page.get_by_role("link", name="湘阴县科技局").click()
    assert "依据请写明文号" in page.inner_text(".steps")
    page.get_by_label("调整原因").select_option(label="上级目录调整")
    page.get_by_label("调整依据").fill("湘科发〔2026〕12号")
    page.get_by_role("button", name="提交法制审核").click()
    page.wait_for_selector("text=待法制审核")
    logout(page)

    approve(page, "legal", "合法")
    page.wait_for_selector("text=待编办审核")
    logout(page)
    approve(page, "approver", "同意发布")
    page.wait_for_selector("h1:has-text('变更记录')")
    logout(page)

    # the public sees version 2, why it changed and what changed
    page.goto(page.base_url + f"/d/{staff['department'].pk}/changes/")
    entry = page.inner_text("#v2")
    assert "上级目录调整" in entry and "湘科发〔2026〕12号" in entry and "科技特派员" in entry
    page.goto(page.base_url + f"/d/{staff['department'].pk}/")
    assert "负责科技特派员选派和管理工作" in page.inner_text("main")


def test_two_people_saving_the_same_item(page, staff):
    login(page, "filler")
    page.get_by_role("link", name="湘阴县科技局").click()
    page.get_by_role("button", name="新建草稿（复制最新版本）").click()
    page.locator("#duties-0 >> text=编辑").first.click()
    form_url = page.url

    other_context = page.context.browser.new_context(locale="zh-CN")
    other = other_context.new_page()
    other.base_url = page.base_url
    login(other, "admin")
    other.goto(form_url)
    other.get_by_label("主要职责（必填）").fill("管理员先保存的职责")
    other.get_by_role("button", name="保存").click()
    other.wait_for_selector("text=已保存")
    other_context.close()

    page.get_by_label("主要职责（必填）").fill("填报员后保存的职责")
    page.get_by_role("button", name="保存").click()
    alert = page.get_by_role("alert")
    assert re.search("保存失败.*没有保存", alert.inner_text())
    assert page.get_by_label("主要职责（必填）").input_value() == "填报员后保存的职责"  # nothing lost
