"""The responsibility matrix in a real browser: a 填报员 imports the staff list and records a
leader on the staff page, which flags the certificate that expires soon; the public opens the
matrix, picks a task of seed 002 and sees 分管领导 → 科室 → 岗位 → 人员."""

from __future__ import annotations

import datetime as dt

from tests.conftest import BROWSER, actor
from tests.test_browser_review import login

pytestmark = BROWSER

TASK = "制定全县科技政策性文件"


def test_staff_page_flags_and_public_matrix(page, staff, tmp_path):
    from qingdan.enforcement.models import Officer, Post
    from qingdan.enforcement.staff import save_post

    department = staff["department"]
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "姓名,科室,岗位,执法证号,证件有效期至,法律职业资格,公开姓名\n"
        f"张明,办公室,综合执法岗,43062420001,{soon},是,是\n"
        "王芳,办公室,综合执法岗,43062420003,2030-12-31,否,否\n",
        encoding="utf-8",
    )

    login(page, "filler")
    page.get_by_role("link", name="执法人员与岗位").click()
    page.wait_for_selector("h1:has-text('执法人员与岗位')")
    page.get_by_label("名册文件").set_input_files(str(roster))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("text=新增执法人员 2 名")
    zhang = Officer.objects.get(name="张明")
    assert "10 天后到期" in page.inner_text(f"#officer-{zhang.pk}")
    assert page.inner_text("#expiring-count") == "1"

    # a leader in charge of 办公室, from the form
    form = page.locator("#leader-form")
    form.get_by_label("姓名").fill("刘洋")
    form.get_by_label("职务").fill("副局长")
    form.get_by_label("办公室", exact=True).check()
    form.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存局领导刘洋")
    assert "办公室" in page.inner_text("#leaders")
    save_post(actor("filler"), department, "办公室", "综合执法岗", [("task", TASK)], post=Post.objects.get())

    # the 工作台 counts the certificate
    page.goto(page.base_url + "/work/")
    assert "1 名执法人员的执法证 30 天内到期" in page.inner_text("#certificates")

    # the public matrix: pick the task, see the chain; only the public name
    page.goto(page.base_url + f"/d/{department.pk}/")
    page.get_by_role("link", name="责任矩阵").click()
    page.get_by_role("link", name="具体工作事项", exact=False).first.click()
    entry = page.locator("details.matrix-entry", has_text=TASK).first
    entry.locator("summary").click()
    chain = entry.locator("table.matrix-chain")
    chain.wait_for()
    text = chain.inner_text()
    assert "副局长刘洋" in text and "办公室" in text and "综合执法岗" in text
    assert "张明" in text and "王芳" not in text and "执法人员 2 名" in text
