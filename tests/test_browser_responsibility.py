"""The 执法责任制 in a real browser: a 填报员 uploads her department's 实施办法 (.docx) from the 工作台,
then anyone reads it beside the department's 责任清单."""

from __future__ import annotations

from tests.conftest import BROWSER, seed
from tests.test_browser_review import login, logout
from tests.test_responsibility import as_docx

pytestmark = BROWSER


def test_a_filler_imports_the_document_and_the_public_reads_it_beside_the_list(page, staff, tmp_path):
    upload = tmp_path / "实施办法.docx"
    upload.write_bytes(as_docx(seed("003").read_text(encoding="utf-8")))
    login(page, "filler")
    page.get_by_role("link", name="湘阴县科技局").click()
    page.get_by_role("link", name="导入行政执法责任制实施办法").click()
    page.get_by_label("实施办法文件").set_input_files(str(upload))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("text=已导入 实施办法.docx：11 项职责、6 项执法依据。")
    logout(page)

    page.goto(page.base_url + f"/d/{staff['department'].pk}/")
    page.get_by_role("link", name="行政执法责任制").click()
    page.wait_for_selector("h1:has-text('行政执法责任制实施办法')")
    row = page.locator("#duty-7").inner_text()
    assert "技术合同认定登记" in row and "成果科" in row
    assert "相似度" in page.inner_text("#duties")  # beside 湘阴县科技局's 主要职责 (seed 002)
    assert "第四十一条" in page.inner_text("main")
    assert "缺少「基本称职」" in page.inner_text("main")
    assert page.get_by_role("link", name="重新导入").count() == 0
