"""A 依据变更提醒 in a real browser: the 填报员 sees it on the 工作台 with the items citing the law,
and 开始修订（法律立改废） opens the department's draft with its reason and basis filled in."""

from __future__ import annotations

import datetime as dt

from qingdan.catalog.models import ListVersion
from qingdan.core import outbox
from qingdan.core.permissions import COMMAND_LINE
from qingdan.laws.services import find_law, repeal_law
from tests.conftest import BROWSER
from tests.test_browser_review import login

pytestmark = BROWSER


def test_a_reminder_on_the_desk_opens_the_draft(page, staff):
    ListVersion.objects.update(published_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    repeal_law(COMMAND_LINE, find_law("专利法"), dt.date(2025, 6, 1), find_law("民法典"))
    outbox.settle()
    login(page, "filler")
    reminders = page.inner_text("#reminders")
    assert "《中华人民共和国专利法》于 2025-06-01 废止" in reminders and "职责边界：" in reminders
    page.get_by_role("button", name="开始修订（法律立改废）").click()
    page.wait_for_selector("text=已开始修订")
    assert "草稿" in page.inner_text(".status")
    assert page.get_by_label("调整原因").input_value() == "law"
    assert "《中华人民共和国专利法》于 2025-06-01 废止" in page.get_by_label("调整依据").input_value()
