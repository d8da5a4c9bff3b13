"""One 行政处罚案件 from 发现 to 结案 (and 归档) in a real browser, each step done on the case page
by the person whose step it is: two officers (张伟, 李娜) inspect, propose and handle it; the
执法科室负责人 and the 主管局长 review the 立案审批表 and the 主要负责人 approves it; evidence is
uploaded; the party is notified and asks for a hearing, which the 法制审核人员 notifies and records;
the penalty goes through 承办科室审核, 法制审核 and 集体讨论 before the 主要负责人 decides; then
送达, 缴款, 结案 — where every document the case allows is made and downloaded — and 归档.
People without the step's role do not see its form, and posting it anyway is
refused in Chinese. The dates are back-dated (as the service tests do) so every statutory period
has run by the step that waits for it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile

from django.utils import timezone

from tests.case_team import make_team
from tests.conftest import BROWSER

pytestmark = BROWSER

PASSWORD = "pw-case-team-2026"
BASE = timezone.localdate() - dt.timedelta(days=150)


def d(offset: int) -> str:
    return (BASE + dt.timedelta(days=offset)).isoformat()


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("h1:has-text('工作台')")


def open_case_page(page, case_id: int) -> None:
    page.goto(f"{page.base_url}/work/cases/{case_id}/")
    page.wait_for_selector("#case-header")


def step(page, move: str, label: str, **values) -> None:
    """Open the move's form on the case page, fill it, submit, and wait for the confirmation."""
    box = page.locator(f"#move-{move}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = box.locator("form")
    for name, value in values.items():
        field = form.locator(f"[name={name}]")
        if isinstance(value, list):  # check boxes: officers or codes, by their visible label
            for text in value:
                boxes = form.locator(f"fieldset:has([name={name}]) label")
                boxes.filter(has_text=re.compile(rf"^\s*{text}(（|\s*$)")).locator("input").check()
        elif isinstance(value, bool):
            field.check() if value else field.uncheck()
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        elif field.first.get_attribute("type") == "file":
            field.set_input_files(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.locator(f"ul.messages li:has-text('已办理：{label}'), p.error").first.wait_for()
    assert not page.locator("p.error").count(), page.inner_text("p.error")


def forms_shown(page) -> set[str]:
    return {
        m.removeprefix("move-")
        for m in page.locator("details.move").evaluate_all("els => els.map(e => e.id)")
    }


def download_every_document(page, case) -> list[str]:
    """From the case page to its 执法文书 page: every kind the case's stage allows is made and
    downloaded, a real .docx with the case's 案号; the case page then links each one."""
    case.refresh_from_db()
    open_case_page(page, case.pk)
    page.locator("#documents-link").click()
    kinds = page.locator("select[name=kind] option").evaluate_all(
        "os => os.map(o => [o.value, o.textContent])"
    )
    for value, label in kinds:
        page.locator("select[name=kind]").select_option(value)
        with page.expect_download() as info:
            page.get_by_role("button", name="生成并下载").click()
        assert info.value.suggested_filename.endswith(".docx"), label
        with zipfile.ZipFile(info.value.path()) as docx:
            text = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
        assert case.number in text, label
    open_case_page(page, case.pk)
    links = page.locator("#documents li a")
    assert sorted(links.nth(i).inner_text() for i in range(links.count())) == sorted(
        label for _, label in kinds
    )
    return [label for _, label in kinds]


def test_one_case_from_discovery_to_closure(page, tmp_path):
    from qingdan.cases.models import PenaltyCase
    from qingdan.deadlines import calendars

    make_team(PASSWORD)

    # 发现: 张伟 registers the case with 李娜 as the second inspector
    sign_in(page, "zhang")
    page.get_by_role("link", name=re.compile("行政处罚案件")).first.click()
    page.get_by_role("link", name="登记新案件（发现）").click()
    page.get_by_label("案由").fill("未按规定报送统计资料")
    page.get_by_label("案件来源").select_option(label="检查发现")
    page.get_by_label("案发日期").fill(d(0))
    page.get_by_label("承办科室").fill("执法科")
    page.get_by_label("当事人类型").select_option(label="法人或其他组织")
    page.get_by_label("当事人", exact=True).fill("鹿泉区某某化工有限公司")
    page.get_by_label("张伟", exact=False).check()
    page.get_by_label("李娜", exact=False).check()
    page.get_by_role("button", name="登记").click()
    page.wait_for_selector("text=已登记案件线索")
    case = PenaltyCase.objects.get()
    assert "发现" in page.inner_text("#case-stage")

    # the form fits a phone
    page.set_viewport_size({"width": 375, "height": 740})
    page.locator("#move-record_inspection summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    step(page, "record_inspection", "现场检查笔录", record="企业未按期报送2026年统计报表", on=d(0))
    step(
        page,
        "submit_filing",
        "提请立案",
        facts="现场检查发现企业未按期报送统计资料",
        handlers=["张伟", "李娜"],
        on=d(1),
    )
    assert "立案审批" in page.inner_text("#case-stage")

    sign_in(page, "li")
    open_case_page(page, case.pk)
    assert "submit_filing" not in forms_shown(page)  # already submitted; no approval form for an officer
    assert not forms_shown(page) & {"review_filing", "approve_filing"}

    # 立案审批: 执法科室负责人 → 主管局长 → 主要负责人
    sign_in(page, "unithead")
    open_case_page(page, case.pk)
    assert forms_shown(page) == {"review_filing", "return_filing"}
    step(page, "review_filing", "立案审核", opinion="事实清楚，同意立案", on=d(1))
    sign_in(page, "deputy")
    open_case_page(page, case.pk)
    step(page, "review_filing", "立案审核", opinion="同意", on=d(2))
    sign_in(page, "head")
    open_case_page(page, case.pk)
    step(page, "approve_filing", "批准立案", opinion="批准立案", on=d(2))
    number = f"鹿工信罚〔{(BASE + dt.timedelta(days=2)).year}〕1号"
    assert page.inner_text("#case-number") == number
    assert "调查取证" in page.inner_text("#case-stage")

    # 调查取证: evidence uploaded, kept with its SHA-256
    sign_in(page, "zhang")
    open_case_page(page, case.pk)
    report = tmp_path / "统计报表.pdf"
    report.write_bytes(b"%PDF-1.4 statistics report")
    step(
        page,
        "add_evidence",
        "登记证据",
        kind="书证",
        title="2026年统计报表（未报送）",
        collected_on=d(3),
        file=str(report),
    )
    assert hashlib.sha256(report.read_bytes()).hexdigest() in page.inner_text("#evidence")

    # 告知 with a fine large enough for a hearing; the party asks for one
    sign_in(page, "li")
    open_case_page(page, case.pk)
    step(
        page,
        "notify",
        "事先告知",
        facts="未按规定报送统计资料",
        basis="《中华人民共和国统计法》第四十一条",
        kinds=["罚款"],
        amount="150000",
        on=d(10),
    )
    step(page, "request_hearing", "申请听证", on=d(11))
    assert "听证" in page.inner_text("#case-stage")

    # 听证: the 法制审核人员 notifies it seven working days ahead, presides and records it
    held = calendars.due(BASE + dt.timedelta(days=12), 7, "working").date
    after = held + dt.timedelta(days=1)
    sign_in(page, "legal")
    open_case_page(page, case.pk)
    step(
        page,
        "schedule_hearing",
        "听证通知",
        held_on=held.isoformat(),
        place="局三楼会议室",
        presider="周法制",
        on=d(12),
    )
    step(
        page,
        "record_hearing",
        "听证笔录",
        attendees="周法制\n张伟\n当事人代理人",
        record="当事人称系财务人员疏忽，已补报",
        on=held.isoformat(),
    )
    assert "当事人称系财务人员疏忽" in page.inner_text("#hearing")

    # 处罚决定审批: proposal, unit review, 法制审核, 集体讨论, decision
    sign_in(page, "zhang")
    open_case_page(page, case.pk)
    step(
        page,
        "submit_decision",
        "提请处罚决定",
        report="经查，当事人未按规定报送统计资料，事实清楚",
        kinds=["罚款"],
        amount="150000",
        major=True,
        on=after.isoformat(),
    )
    sign_in(page, "unithead")
    open_case_page(page, case.pk)
    step(page, "review_decision", "承办科室审核", opinion="同意", on=after.isoformat())

    sign_in(page, "zhang")  # not the 法制审核人员: no form, and posting it is refused
    open_case_page(page, case.pk)
    assert "legal_review" not in forms_shown(page)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    refused = page.request.post(
        f"{page.base_url}/work/cases/{case.pk}/legal_review",
        form={"csrfmiddlewaretoken": token, "agree": "1", "opinion": "同意"},
        headers={"Referer": f"{page.base_url}/work/cases/{case.pk}/"},
    )
    assert refused.status == 403 and "法制审核人员" in refused.text() and "张伟" in refused.text()

    sign_in(page, "legal")
    open_case_page(page, case.pk)
    step(
        page,
        "legal_review",
        "法制审核",
        agree="同意",
        opinion="事实清楚，依据正确，程序合法",
        on=after.isoformat(),
    )
    sign_in(page, "head")
    open_case_page(page, case.pk)
    step(
        page,
        "record_discussion",
        "集体讨论",
        held_on=after.isoformat(),
        attendees="孙局长：局长：同意处罚\n钱副局长：副局长：同意\n赵科长：执法科科长：同意",
        conclusion="同意给予罚款十五万元的行政处罚",
    )
    assert "钱副局长（副局长）：同意" in page.inner_text("#discussion")
    step(
        page,
        "decide",
        "作出决定",
        decision="给予行政处罚",
        kinds=["罚款"],
        amount="150000",
        text="罚款人民币十五万元",
        opinion="同意",
        on=after.isoformat(),
    )
    assert "已决定" in page.inner_text("#case-stage")

    # 送达, 缴款, 结案, 归档
    sign_in(page, "zhang")
    open_case_page(page, case.pk)
    step(page, "serve", "送达", method="直接送达", on=(after + dt.timedelta(days=1)).isoformat())
    sign_in(page, "li")
    open_case_page(page, case.pk)
    step(
        page,
        "record_payment",
        "缴纳罚款",
        paid_on=(after + dt.timedelta(days=5)).isoformat(),
        amount="150000",
    )
    step(
        page,
        "close",
        "结案",
        report="当事人已缴清罚款，案件办结",
        on=(after + dt.timedelta(days=6)).isoformat(),
    )
    assert "结案" in page.inner_text("#case-stage")
    made = download_every_document(page, case)
    assert made == [  # the twelve documents of a general case, each made and downloaded once
        "现场检查笔录",
        "责令改正违法行为通知书",
        "立案审批表",
        "行政处罚事先告知书",
        "听证告知书",
        "听证笔录",
        "案件调查终结报告",
        "行政处罚决定审批表",
        "案件集体讨论笔录",
        "行政处罚决定书",
        "送达回证",
        "结案报告",
    ]
    sign_in(page, "unithead")
    open_case_page(page, case.pk)
    step(page, "archive", "归档", on=(after + dt.timedelta(days=7)).isoformat())

    case.refresh_from_db()
    assert case.stage == "archived" and case.number == number
    timeline = page.inner_text("#timeline")
    for text in (
        "事实清楚，同意立案",
        "批准立案",
        "听证笔录",
        "法制审核",
        "集体讨论",
        "作出决定",
        "结案",
        "归档",
    ):
        assert text in timeline
    assert "赵科长" in timeline and "周法制" in timeline and "孙局长" in timeline

    # on a phone, the full case page, the list and the desk do not scroll sideways
    page.set_viewport_size({"width": 375, "height": 740})
    for path in (f"/work/cases/{case.pk}/", f"/work/cases/d/{case.department_id}/", "/work/"):
        page.goto(page.base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
