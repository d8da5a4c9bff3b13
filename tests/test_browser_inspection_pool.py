"""The 名录库 pages in a real browser: a 填报员 uploads a pool file with bad rows and sees every
one of them, then a clean file; filters by risk; an officer declares and withdraws a 回避 on the
roster page."""

from __future__ import annotations

from tests.case_team import make_team
from tests.conftest import BROWSER
from tests.inspection_setup import uscc
from tests.test_browser_cases import PASSWORD, sign_in

pytestmark = BROWSER


def test_pool_import_and_conflict(page, tmp_path):
    from qingdan.inspection.models import Conflict, Inspectee

    team = make_team(PASSWORD)
    header = "名称,统一社会信用代码,风险等级,监管类别\n"
    bad = tmp_path / "名录库.csv"
    wrong = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    bad.write_text(header + f"甲公司,{uscc(1)},A,\n乙公司,{wrong},B,\n,{uscc(3)},E,\n", encoding="utf-8")
    good = tmp_path / "名录库2.csv"
    good.write_text(header + f"甲公司,{uscc(1)},A,\n乙公司,{uscc(2)},D,重点\n", encoding="utf-8")

    sign_in(page, "zhang")
    page.goto(f"{page.base_url}/work/inspection/d/{team.department.pk}/pool/")
    page.get_by_label("名录库文件").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("text=「名录库.csv」有 3 处问题，未导入")
    items = page.locator("#problems li").all_inner_texts()
    assert [i.split(": ")[0] for i in items] == [
        "「名录库.csv」, 第 3 行, 第 2 列「统一社会信用代码」",
        "「名录库.csv」, 第 4 行, 第 1 列「名称」",
        "「名录库.csv」, 第 4 行, 第 3 列「风险等级」",
    ]
    assert not Inspectee.objects.exists()
    page.get_by_label("名录库文件").set_input_files(str(good))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("text=新增 2 个")
    page.get_by_label("风险等级").select_option("D")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**risk=D**")
    assert "乙公司" in page.inner_text("#inspectees") and "甲公司" not in page.inner_text("#inspectees")

    page.get_by_role("link", name="执法检查人员名录库").click()
    page.get_by_label("统一社会信用代码").fill(uscc(2))
    page.get_by_label("回避事由").fill("配偶任该公司监事")
    page.get_by_role("button", name="申报").click()
    page.wait_for_selector("text=已登记：张伟回避")
    assert "配偶任该公司监事" in page.inner_text(f"#officer-{team.officers['zhang'].pk}")
    assert Conflict.objects.get().officer == team.officers["zhang"]
    page.get_by_role("button", name="撤回").click()
    page.wait_for_selector("text=已撤回")
    assert not Conflict.objects.exists()
