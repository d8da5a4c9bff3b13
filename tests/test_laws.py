"""The law registry (执法依据): the shipped laws resolve the seeds' citations, imports are
validated by row and all-or-nothing, and an amendment or repeal raises 依据变更提醒 on the
published lists that cite the law."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from qingdan.catalog.models import LegalCitation, ListVersion
from qingdan.catalog.services import import_list
from qingdan.checks.models import Finding
from qingdan.cli import main
from qingdan.core import outbox
from qingdan.core.models import AuditEntry, Department, PendingWork
from qingdan.core.permissions import COMMAND_LINE, PermissionDenied
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from qingdan.laws.models import Law, LawChangeReminder
from qingdan.laws.reminders import close_reminder, start_revision, visible_reminders
from qingdan.laws.services import (
    LawImportError,
    add_amendment,
    add_article,
    find_law,
    import_laws,
    link_title,
    repeal_law,
    resolve_titles,
    unresolved_titles,
)
from tests.conftest import LUQUAN_KEGONG, XIANGYIN_KEJI, actor

pytestmark = pytest.mark.django_db

LUQUAN_GONGXIN = "石家庄市鹿泉区工业和信息化局"
FUNDS = "专项资金管理工作（包括上级政府和本级政府安排的具有专项用途资金）"
# the boundary shares of seeds 000 and 001 whose 相关依据 cites 《预算法》 (000 lists the matter twice)
ITEMS_KEGONG = [
    ("boundary", f"{FUNDS}（区财政局）", ""),
    ("boundary", f"{FUNDS}（科工等区直专项资金业务主管部门）", ""),
    ("boundary", f"{FUNDS}（区审计局）", ""),
    ("boundary", f"{FUNDS}（区财政局）", ""),
]
ITEMS_GONGXIN = [
    ("boundary", f"{FUNDS}（财政局）", ""),
    ("boundary", f"{FUNDS}（发改、工信、科技、文体旅游局等区直专项资金业务主管部门）", ""),
]
UNRESOLVED = {
    "中共石家庄市委 石家庄市人民政府关于实行安全生产党政同责一岗双责的意见",
    "中共石家庄市鹿泉区委办公室 关于印发<中共石家庄市鹿泉区委网络安全和信息化委员会办公室职能配置、内设机构和人员编制规定>的通知",
    "中共石家庄市鹿泉区委办公室 石家庄市鹿泉区人民政府办公室关于印发<石家庄市鹿泉区人民政府职能配置、内设机构和人员编制规定>的通知",
    "中共石家庄市鹿泉区委办公室 石家庄市鹿泉区人民政府办公室关于印发<石家庄市鹿泉区发展和改革局职能配置、内设机构和人员编制规定>的通知",
    "中共石家庄市鹿泉区委办公室 石家庄市鹿泉区人民政府办公室关于印发<石家庄市鹿泉区科学技术和工业信息化局职能配置、内设机构和人员编制规定>的通知",
    "交通运输部 公安部关于治理车辆超限超载联合执法常态化制度化工作的实施意见（实行）",
    "交通运输部 工业和信息化部 公安部 工商总局 质监总局关于进一步做好货车非法改装和超限运输超载治理工作意见",
    "做好河北省2014年普通高等学校招生工作的通知",
    "关于做好我市2014年普通高等学校招生考试工作的通知",
    "关于进一步明确民用爆炸物品安全监管部门职责分工的通知",
    "安全保护条例",
    "河北省治理货运车辆超限超载规定",
    "河北省治理车辆超限超载联合执法常态化制度化工作实施方案",
    "河北省盐业管理实施办法",
    "河北省财政专项资金管理暂行办法",
    "石家庄市鹿泉区突发重大动物疫情应急预案",
}
LONG_AGO = datetime(2024, 6, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def seeds(seed_bytes):
    """Seeds 000, 001 and 002 published (as if in 2020), their 清单体检 done."""
    versions = {}
    for prefix in ("000", "001", "002"):
        name, data = seed_bytes(prefix)
        record = load_bytes(name, data, department=LUQUAN_KEGONG if prefix == "000" else "").record
        version = import_list(record).version
        versions[version.department.name] = version.pk
    ListVersion.objects.filter(pk__in=versions.values()).update(created_at=LONG_AGO, published_at=LONG_AGO)
    outbox.settle()
    return versions


def reminders():
    return {
        (r.department.name, r.law.title, r.change, str(r.changed_on)): r
        for r in LawChangeReminder.objects.select_related("law", "department")
    }


def items(reminder):
    return [(i["kind"], i["label"], i["article"]) for i in reminder.items]


# --- the shipped registry ------------------------------------------------------------------


def test_the_shipped_registry_resolves_the_laws_the_seeds_cite(seeds):
    linked = {
        c.title: c.law.title for c in LegalCitation.objects.filter(law__isnull=False).select_related("law")
    }
    assert linked["预算法"] == "中华人民共和国预算法"
    assert linked["传染病防治法"] == "中华人民共和国传染病防治法"
    assert linked["食盐加碘消除碘缺乏病危害管理条例"] == "食盐加碘消除碘缺乏危害管理条例"
    assert (
        linked["河北省实施中华人民 共和国道路交通安全法办法"]
        == "河北省实施《中华人民共和国道路交通安全法》办法"
    )
    assert linked["生产安全事故报告和调查处理条例"] == "生产安全事故报告和调查处理条例"
    assert linked["中华人民共和国植物新品种保护条例"] == "中华人民共和国植物新品种保护条例"
    # what stays unresolved are local policy documents, notices, forms and a truncated name
    left = {title for title, _ in unresolved_titles()}
    assert left == UNRESOLVED


def test_the_shipped_registry_knows_the_laws_of_the_benxi_responsibility_system():
    cited = [
        "中华人民共和国科学技术进步法",
        "中华人民共和国促进科技成果转化法",
        "中华人民共和国合同法",
        "中华人民共和国科学普及法",
        "中华人民共和国出境入境管理法",
        "辽宁省省技术市场管理条例",
    ]
    laws = resolve_titles(cited)
    assert [laws[t].title for t in cited] == [
        "中华人民共和国科学技术进步法",
        "中华人民共和国促进科技成果转化法",
        "中华人民共和国合同法",
        "中华人民共和国科学技术普及法",
        "中华人民共和国出境入境管理法",
        "辽宁省技术市场管理条例",
    ]
    contract = laws["中华人民共和国合同法"]
    assert (contract.repealed_on, contract.successor.title) == (dt.date(2021, 1, 1), "中华人民共和国民法典")
    assert (
        laws["中华人民共和国出境入境管理法"].articles.get(number=41).text.startswith("外国人在中国境内工作")
    )
    assert find_law("科普法").title == "中华人民共和国科学技术普及法"


def test_every_shipped_law_says_where_its_facts_come_from():
    from qingdan.laws.shipped import shipped

    for entry in shipped():
        assert entry["source"] and entry["level"] in dict(Law.LEVELS), entry["title"]
        for key in ("promulgated", "effective", "repealed"):
            assert key not in entry or dt.date.fromisoformat(entry[key])


# --- import --------------------------------------------------------------------------------


def test_a_bad_file_names_each_row_and_field_and_writes_nothing(tmp_path):
    path = tmp_path / "新法.csv"
    path.write_text(
        "名称,简称,效力级别,制定机关,公布日期,施行日期,资料来源\n"
        "中华人民共和国测试法,测试法,法律,全国人大常委会,2025-01-01,2025-03-01,某处\n"
        "某某条例,,行政法规,国务院,2025-13-40,,某处\n"
        "某某办法,,红头文件,,2025-01-01,,某处\n"
        "中华人民共和国测试法,,法律,,,,重复\n",
        encoding="utf-8",
    )
    laws, audit = Law.objects.count(), AuditEntry.objects.count()
    with pytest.raises(LawImportError) as caught:
        import_laws(COMMAND_LINE, path)
    assert caught.value.problems == [
        "新法.csv 第 3 行「公布日期」：「2025-13-40」不是日期（应写作 2021-01-01）",
        "新法.csv 第 4 行「效力级别」：「红头文件」不在 法律、行政法规、地方性法规、部门规章、地方政府规章、规范性文件 之中",
        "新法.csv 第 5 行「名称」：《中华人民共和国测试法》在文件中出现了两次",
    ]
    assert (Law.objects.count(), AuditEntry.objects.count()) == (laws, audit)


def test_an_import_adds_and_updates_laws_from_csv_and_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["名称", "简称", "效力级别", "制定机关", "文号", "施行日期", "废止日期", "取代它的法律", "资料来源"]
    )
    sheet.append(
        [
            "某省技术市场条例",
            "技术市场条例",
            "地方性法规",
            "某省人大常委会",
            "",
            dt.date(2010, 1, 1),
            "",
            "",
            "公报",
        ]
    )
    sheet.append(
        [
            "中华人民共和国预算法",
            "",
            "法律",
            "全国人民代表大会",
            "主席令第21号",
            "1995-01-01",
            "",
            "",
            "国家法律法规数据库",
        ]
    )
    path = tmp_path / "laws.xlsx"
    book.save(path)
    result = import_laws(COMMAND_LINE, path)
    assert (result.added, result.updated) == (1, 1)
    assert find_law("技术市场条例").effective_on == dt.date(2010, 1, 1)
    assert AuditEntry.objects.filter(action="law_import").exists()
    with pytest.raises(PermissionDenied):
        import_laws(actor_of_role("legal"), path)


def test_the_shipped_file_is_an_import_format(tmp_path):
    from qingdan.laws.shipped import DATA

    result = import_laws(COMMAND_LINE, DATA)
    assert result.added == 0 and len(result.titles) == len(
        json.loads(DATA.read_text(encoding="utf-8"))["laws"]
    )


def actor_of_role(role: str):
    from qingdan.core.permissions import Actor

    return Actor(name=role, role=role, jurisdiction_id=1)


# --- reminders -----------------------------------------------------------------------------


def test_repealing_a_law_raises_reminders_on_the_items_that_cite_it(seeds):
    budget = find_law("预算法")
    repeal_law(COMMAND_LINE, budget, dt.date(2025, 6, 1))
    assert PendingWork.objects.filter(kind=PendingWork.LAW, key=budget.pk).exists()
    outbox.settle()
    found = reminders()
    assert sorted(k[0] for k in found) == [LUQUAN_GONGXIN, LUQUAN_KEGONG]
    kegong = found[(LUQUAN_KEGONG, "中华人民共和国预算法", "repealed", "2025-06-01")]
    assert kegong.version_id == seeds[LUQUAN_KEGONG] and kegong.status == "open"
    assert items(kegong) == ITEMS_KEGONG
    gongxin = found[(LUQUAN_GONGXIN, "中华人民共和国预算法", "repealed", "2025-06-01")]
    assert items(gongxin) == ITEMS_GONGXIN
    outbox.owe(PendingWork.LAW, [budget.pk])  # settling again adds nothing
    outbox.settle()
    assert LawChangeReminder.objects.count() == 2
    # the stored 清单体检 follows the registry: 预算法 is now cited after its repeal
    repealed = Finding.objects.filter(version_id=seeds[LUQUAN_KEGONG], check_id="law.repealed")
    assert {f.evidence for f in repealed} == {"《预算法》"}


def test_a_change_after_nothing_was_published_before_it_raises_nothing(seeds):
    ListVersion.objects.update(published_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    repeal_law(COMMAND_LINE, find_law("预算法"), dt.date(2025, 6, 1))
    outbox.settle()
    assert not LawChangeReminder.objects.exists()


def test_an_amendment_raises_reminders_too(seeds):
    patent = find_law("专利法")
    add_amendment(COMMAND_LINE, patent, dt.date(2025, 3, 1), dt.date(2025, 9, 1), "第五次修正")
    outbox.settle()
    (reminder,) = LawChangeReminder.objects.all()
    assert (reminder.department.name, reminder.change) == (XIANGYIN_KEJI, "amended")
    assert [i["kind"] for i in reminder.items] == ["boundary"] * len(reminder.items) and reminder.items
    amended = Finding.objects.filter(version_id=seeds[XIANGYIN_KEJI], check_id="law.amended")
    assert any("2025-03-01 第五次修正" in f.message for f in amended)
    with pytest.raises(QingdanError, match="已经登记"):
        add_amendment(COMMAND_LINE, patent, dt.date(2025, 3, 1))


def test_start_revision_opens_a_draft_for_the_law_change(staff):
    ListVersion.objects.update(created_at=LONG_AGO, published_at=LONG_AGO)
    repeal_law(COMMAND_LINE, find_law("专利法"), dt.date(2025, 6, 1), successor=find_law("民法典"))
    outbox.settle()
    reminder = LawChangeReminder.objects.get(department=staff["department"])
    assert list(visible_reminders(actor("legal"))) == [reminder]
    assert list(visible_reminders(actor("filler_other"))) == []
    for name in ("filler_other", "legal", "approver"):
        with pytest.raises(PermissionDenied):
            start_revision(actor(name), reminder)
    draft = start_revision(actor("filler"), reminder)
    assert (draft.status, draft.change_reason, draft.get_change_reason_display()) == (
        "draft",
        "law",
        "法律立改废",
    )
    assert draft.change_basis == "《中华人民共和国专利法》于 2025-06-01 废止，由《中华人民共和国民法典》取代"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.draft, reminder.handled_by_name) == (
        "drafted",
        draft,
        "filler（部门填报员）",
    )
    assert AuditEntry.objects.filter(action="law_reminder_draft").exists()
    close_reminder(actor("filler"), reminder, "已修订")
    assert LawChangeReminder.objects.get(pk=reminder.pk).status == "closed"
    with pytest.raises(QingdanError):
        start_revision(actor("filler"), reminder)


# --- other writes --------------------------------------------------------------------------


def test_linking_a_cited_title_resolves_every_citation_with_it(seeds):
    road = find_law("公路安全保护条例")
    assert (
        link_title(COMMAND_LINE, "安全保护条例", road)
        == LegalCitation.objects.filter(title="安全保护条例").count()
        > 0
    )
    assert find_law("安全保护条例") == road
    with pytest.raises(QingdanError, match="已关联"):
        link_title(COMMAND_LINE, "安全保护条例", find_law("预算法"))
    with pytest.raises(PermissionDenied):
        link_title(actor_of_role("approver"), "条例", road)


def test_articles_are_numbered_from_chinese_or_digits():
    law = find_law("预算法")
    assert add_article(COMMAND_LINE, law, "第四十一条", "正文").number == 41
    assert add_article(COMMAND_LINE, law, 41, "新正文").text == "新正文"
    with pytest.raises(QingdanError):
        add_article(COMMAND_LINE, law, "某条")


def test_the_cli_lists_shows_repeals_and_reports_reminders(seeds):
    runner = CliRunner()
    shown = runner.invoke(main, ["laws", "show", "预算法", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["title"] == "中华人民共和国预算法"
    done = runner.invoke(main, ["laws", "repeal", "预算法", "--date", "2025-06-01"])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(main, ["reminders", LUQUAN_KEGONG])
    assert listed.exit_code == 0 and "《中华人民共和国预算法》" in listed.output, listed.output
    missing = runner.invoke(main, ["laws", "show", "没有这部法"])
    assert missing.exit_code == 1 and "法律法规库中没有" in missing.output
    assert Department.objects.count() == 3


# --- pages ---------------------------------------------------------------------------------


def test_the_desk_shows_a_reminder_and_its_button_opens_the_draft(staff, client):
    ListVersion.objects.update(created_at=LONG_AGO, published_at=LONG_AGO)
    repeal_law(COMMAND_LINE, find_law("专利法"), dt.date(2025, 6, 1))
    outbox.settle()
    reminder = LawChangeReminder.objects.get()
    client.login(username="legal", password=staff["password"]("legal"))
    page = client.get("/work/").content.decode()
    assert (
        "依据变更提醒" in page and "《中华人民共和国专利法》" in page and "开始修订（法律立改废）" not in page
    )
    assert client.post(f"/work/reminders/{reminder.pk}/").status_code == 403
    client.login(username="filler_other", password=staff["password"]("filler_other"))
    assert "依据变更提醒" not in client.get("/work/").content.decode()
    client.login(username="filler", password=staff["password"]("filler"))
    assert "开始修订（法律立改废）" in client.get("/work/").content.decode()
    response = client.post(f"/work/reminders/{reminder.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/work/d/{staff['department'].pk}/"
    assert staff["department"].versions.get(status="draft").change_reason == "law"


def test_the_law_pages(staff, client):
    budget = find_law("预算法")
    public = client.get(f"/law/{find_law('合同法').pk}/").content.decode()
    assert "已废止（2021-01-01）" in public and "《中华人民共和国民法典》" in public
    client.login(username="approver", password=staff["password"]("approver"))
    assert client.get("/work/laws/").status_code == 403
    assert (
        client.post(f"/work/laws/{budget.pk}/", {"action": "repeal", "repealed": "2025-01-01"}).status_code
        == 403
    )
    client.login(username="admin", password=staff["password"]("admin"))
    assert "中华人民共和国预算法" in client.get("/work/laws/?q=预算").content.decode()
    done = client.post(f"/work/laws/{budget.pk}/", {"action": "repeal", "repealed": "2025-01-01"})
    assert done.status_code == 302 and Law.objects.get(pk=budget.pk).repealed_on == dt.date(2025, 1, 1)
    bad = client.post(f"/work/laws/{budget.pk}/", {"action": "amend", "adopted": "2025-02-30"})
    assert bad.status_code == 400 and "不是日期" in bad.content.decode()
    unresolved = client.get("/work/laws/unresolved/").content.decode()
    assert "《安全保护条例》" in unresolved
    linked = client.post("/work/laws/unresolved/", {"title": "安全保护条例", "law": "公路安全保护条例"})
    assert linked.status_code == 302 and find_law("安全保护条例").title == "公路安全保护条例"


def test_the_api_reads_laws_and_a_users_reminders(staff, client):
    from qingdan.core.accounts import create_token

    public = client.get("/api/v1/laws?q=合同法").json()
    contract = next(i for i in public["items"] if i["title"] == "中华人民共和国合同法")
    detail = client.get(f"/api/v1/laws/{contract['id']}").json()
    assert (detail["repealed"], detail["successor"]) == ("2021-01-01", "中华人民共和国民法典")
    assert client.get("/api/v1/laws/999999").json()["error"]["status"] == 404
    ListVersion.objects.update(published_at=LONG_AGO)
    repeal_law(COMMAND_LINE, find_law("专利法"), dt.date(2025, 6, 1))
    outbox.settle()
    assert client.get("/api/v1/reminders").status_code == 401
    token = create_token(COMMAND_LINE, "filler", "测试")
    mine = client.get("/api/v1/reminders", headers={"Authorization": f"Bearer {token}"}).json()
    assert [(r["department"], r["law"], r["change"]) for r in mine] == [
        (XIANGYIN_KEJI, "中华人民共和国专利法", "废止")
    ]
    other = create_token(COMMAND_LINE, "filler_other", "测试")
    assert client.get("/api/v1/reminders", headers={"Authorization": f"Bearer {other}"}).json() == []
