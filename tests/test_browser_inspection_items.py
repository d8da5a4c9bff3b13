"""The 随机抽查事项清单 in a real browser: 鹿泉区科工局's 填报员 derives the draft from seed 000 and
corrects one item (a wrong ratio refused in Chinese first), its 主要负责人 publishes it, and anyone
reads it on the portal with the sentences the values came from."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from qingdan.cases.roles import assign_role
from qingdan.core.accounts import create_user
from qingdan.core.permissions import COMMAND_LINE
from tests.conftest import BROWSER, password_of
from tests.test_browser_review import login, logout

pytestmark = BROWSER

SENTENCE = (
    "2、监督检查可以采取自查、互查、抽查（每年一次，抽查面为20%）等方式进行，或者以上几种方式结合进行。"
)


def test_a_filler_derives_and_corrects_a_lead_publishes_and_the_public_reads(page, staff):
    kegong = staff["other"]
    create_user(COMMAND_LINE, "kg_head", "legal", kegong, None, password=password_of("kg_head"))
    assign_role(COMMAND_LINE, kegong, get_user_model().objects.get(username="kg_head"), "head")
    work = f"{page.base_url}/work/inspection/d/{kegong.pk}/items/"

    login(page, "filler_other")
    page.goto(work)
    assert page.get_by_role("button", name="发布第").count() == 0
    page.get_by_role("button", name="从现行责任清单生成草稿").click()
    page.wait_for_selector("text=已从清单第 1 版生成")
    row = page.locator("#item-5").inner_text()
    assert "石家庄市鹿泉区技术转移机构监管" in row and "20%" in row and "每年一次" in row and SENTENCE in row

    box = page.locator("#edit-2")
    box.locator("summary").click()
    box.get_by_label("抽查比例").fill("150%")
    box.get_by_role("button", name="保存第 2 项").click()
    page.wait_for_selector("#edit-2 .error")
    assert (
        page.locator("#edit-2 .error").inner_text()
        == "「抽查比例」：150% 不在 0 到 1 之间（大于 0，至多 1，即 100%）。"
    )
    assert page.locator("#edit-2").get_by_label("抽查比例").input_value() == "150%"
    page.locator("#edit-2").get_by_label("抽查比例").fill("10%")
    page.locator("#edit-2").get_by_role("button", name="保存第 2 项").click()
    page.wait_for_selector("text=已保存第 2 项「对监控化学品企业的监督管理」。")
    assert "10%" in page.locator("#item-2").inner_text()
    logout(page)

    login(page, "kg_head")
    page.goto(work)
    assert page.get_by_text("修改第 1 项").count() == 0  # a lead publishes; editing is the 填报员's
    page.get_by_role("button", name="发布第 1 版").click()
    page.wait_for_selector("text=已发布石家庄市鹿泉区科学技术和工业信息化局随机抽查事项清单 第1版。")
    logout(page)

    page.goto(f"{page.base_url}/d/{kegong.pk}/")
    page.get_by_role("link", name="随机抽查事项清单").click()
    page.wait_for_selector("h1:has-text('随机抽查事项清单')")
    item = page.locator("#item-5").inner_text()
    assert "20%" in item and SENTENCE in item and "事中事后监管制度 第5项" in item
    assert "10%" in page.locator("#item-2").inner_text()
