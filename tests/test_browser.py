"""The portal in a real browser: Debian's chromium driven by Playwright.

Open the portal, search, open a hit, download the XLSX and import it again. Skips only when
chromium is not installed (CI installs it; see .ci/run)."""

from __future__ import annotations

import pytest

from qingdan.catalog.services import import_list
from qingdan.ingest import load_bytes, load_path
from qingdan.search import reindex
from tests.conftest import BROWSER, ROOT

pytestmark = BROWSER


@pytest.fixture
def registry(seed_bytes):
    import_list(load_bytes(*seed_bytes("002")).record)
    for path in sorted((ROOT / "examples" / "demo").glob("*.*")):
        if path.suffix != ".md":
            import_list(load_path(path).record)
    reindex()


def test_it_finds_who_is_responsible_and_downloads_the_list(page, registry, tmp_path):
    page.goto(page.base_url + "/")
    page.get_by_role("searchbox").first.fill("技术合同认定登记找谁")
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    first = page.locator(".hit").first
    assert "技术合同认定登记" in first.inner_text()
    assert first.locator("mark").count() >= 1
    first.locator(".what a").click()
    page.wait_for_selector("h1")
    assert "技术合同认定登记" in page.inner_text("main")
    page.get_by_role("link", name="查看整份清单").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX").first.click()
    saved = tmp_path / "清单.xlsx"
    info.value.save_as(saved)
    again = load_path(saved).record
    assert again.duties and again.department.startswith(("青山县", "湘阴县"))
    page.screenshot(path=str(tmp_path / "portal.png"))


def test_it_works_from_the_keyboard_alone(page, registry):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")
    page.keyboard.type("地震监测")
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    assert "地震" in page.locator(".hit").first.inner_text()


def test_it_fits_a_phone_screen(page, registry):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(page.base_url + "/search?q=专利")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
