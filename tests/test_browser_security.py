"""The Content-Security-Policy in a real browser: the portal's main pages, the work desk, the review
page, the admin and the API docs load without a single violation, and the one behaviour that used
to be an inline onclick (confirm before deleting an item) still works from the static script."""

from __future__ import annotations

import pytest

from qingdan.catalog.editing import Edit, edit_draft, start_draft
from qingdan.catalog.review import submit
from qingdan.catalog.services import import_list
from qingdan.ingest.records import ListRecord, PowerRecord
from tests.conftest import BROWSER, actor
from tests.test_browser_review import login

pytestmark = BROWSER

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it reports collected (events and console messages)."""
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_console = console  # type: ignore[attr-defined]
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.csp_console


def visit(page, path: str, expect: str) -> None:
    response = page.goto(page.base_url + path)
    assert response is not None and response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(expect)
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], path


def test_the_main_pages_pass_the_content_security_policy(watched, staff):
    page = watched
    powers = [
        PowerRecord(
            name="技术合同认定登记", type="行政确认", subject="青山市科学技术局", units=["政策法规科"]
        )
    ]
    import_list(ListRecord(department="青山市科学技术局", jurisdiction="青山市", powers=powers))
    department = staff["department"]
    from qingdan.core.models import Jurisdiction

    city = Jurisdiction.objects.get(name="青山市")
    draft = start_draft(actor("filler"), department)
    draft = edit_draft(actor("filler"), draft, draft.revision, Edit("add", "duties", {"text": "新增职责"}))
    submit(actor("filler"), draft, "other", "测试依据")
    visit(page, "/", "h1")
    visit(page, "/search?q=技术合同认定登记找谁", "main")
    visit(page, f"/d/{department.pk}/", "h1:has-text('湘阴县科技局')")
    visit(page, f"/j/{city.pk}/powers/", "h1:has-text('权力事项')")
    visit(page, "/login/", "h1:has-text('工作人员登录')")
    login(page, "legal")
    assert violations(page) == []
    visit(page, "/work/", "h1:has-text('工作台')")
    visit(page, f"/work/d/{department.pk}/", "text=审核意见")
    page.get_by_role("button", name="退出").click()
    login(page, "admin")
    visit(page, "/work/audit/", "h1:has-text('审计日志')")
    visit(page, "/work/locks/", "h1:has-text('登录锁定')")
    visit(page, "/admin/", "#content")
    visit(page, "/admin/auth/user/add/", "#content")
    visit(page, "/api/v1/docs", "#swagger-ui .info")


def test_deleting_an_item_asks_first(watched, staff):
    page = watched
    login(page, "filler")
    page.get_by_role("link", name="湘阴县科技局").click()
    page.get_by_role("button", name="新建草稿（复制最新版本）").click()
    page.wait_for_selector("text=状态：")
    first = page.locator("button.danger").first
    label = first.get_attribute("aria-label")
    count = page.locator("button.danger").count()
    page.once("dialog", lambda d: d.dismiss())
    first.click()
    page.wait_for_timeout(300)
    assert page.locator("button.danger").count() == count
    page.once("dialog", lambda d: d.accept())
    first.click()
    page.wait_for_load_state("load")
    page.wait_for_function(f"document.querySelectorAll('button.danger').length < {count}")
    assert page.locator(f"button[aria-label='{label}']").count() <= 1
    assert violations(page) == []
