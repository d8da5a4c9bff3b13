"""The power list in a real browser at 1280 px: filter by type, open a power, follow its law."""

from __future__ import annotations

import os

import pytest

from qingdan.catalog.services import import_list
from qingdan.ingest.records import ListRecord, PowerRecord
from tests.conftest import BROWSER

pytestmark = BROWSER

DEPARTMENTS = ["青山市科学技术局", "青山市市场监督管理局", "青山市生态环境局"]
TYPES = ["行政许可", "行政处罚", "行政检查"]


@pytest.fixture
def city():
    for d, name in enumerate(DEPARTMENTS):
        powers = [
            PowerRecord(
                name=f"{name[3:]}权力事项{i:02d}",
                code=f"QS{d}{i:03d}",
                type=TYPES[i % 3],
                basis="《中华人民共和国行政许可法》第十二条",
                subject=name,
                entrusted_to="青山市综合行政执法支队" if i == 1 else "",
                units=["政策法规科"],
                duties="1.受理责任：公示条件。2.审查责任：审查材料。3.决定责任：作出决定。",
                accountability="1.不予受理的；2.未说明理由的。",
                phones=["0730-5201234"],
            )
            for i in range(40)
        ]
        import_list(ListRecord(department=name, jurisdiction="青山市", powers=powers))


def test_it_filters_the_power_list_and_opens_a_power(page, city, tmp_path):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="权力事项").click()
    page.wait_for_selector("h1:has-text('青山市权力事项')")
    assert "共 120 项" in page.inner_text("main") and "第 1 / 3 页" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(tmp_path / "powers.png"), full_page=True)
    if os.environ.get("QINGDAN_SCREENSHOTS"):
        page.screenshot(path=os.environ["QINGDAN_SCREENSHOTS"] + "/powers.png")
    page.get_by_role("link", name="行政处罚").first.click()
    page.wait_for_selector("h2:has-text('事项 · 行政处罚')")
    types = page.locator("table.powers tbody tr td:nth-child(3)").all_inner_texts()
    assert len(types) == 39 and set(types) == {"行政处罚"}
    page.get_by_role("link", name="科学技术局权力事项01").click()
    page.wait_for_selector("table.elements")
    assert "委托 青山市综合行政执法支队 行使" in page.inner_text("table.elements")
    page.get_by_role("link", name="《中华人民共和国行政许可法》").click()
    page.wait_for_selector("h1:has-text('行政许可法')")
    assert "共 120 处" in page.inner_text("main")
    if os.environ.get("QINGDAN_SCREENSHOTS"):
        page.go_back()
        page.screenshot(path=os.environ["QINGDAN_SCREENSHOTS"] + "/power.png", full_page=True)
