"""检查对象名录库 and 执法检查人员名录库: the import from CSV (UTF-8, with or without BOM, GB18030)
and XLSX — every bad row named, nothing stored until the file is clean, duplicates merged,
re-imports update, --replace moves out — and 回避 by the officer, by a lead, refused for others;
the roster on a day; the command line, the API and the pages over the same services."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client

from qingdan.cli import main
from qingdan.core.accounts import create_token, create_user
from qingdan.core.models import AuditEntry, Department
from qingdan.core.permissions import COMMAND_LINE, PermissionDenied
from qingdan.errors import QingdanError
from qingdan.ingest.problems import IngestError
from qingdan.inspection import pool
from qingdan.inspection.models import Conflict, Inspectee
from tests.case_team import make_team
from tests.inspection_setup import uscc

pytestmark = pytest.mark.django_db

HEADER = "名称,统一社会信用代码,地址,行业,风险等级,监管类别"
CLEAN = [
    f"鹿泉第1科技有限公司,{uscc(1)},鹿泉区获鹿镇1号,科技服务业,A,一般",
    f"鹿泉第2科技有限公司,{uscc(2)},鹿泉区获鹿镇2号,科技服务业,B级,重点",
    f"鹿泉第3科技有限公司,{uscc(3)},,制造业,较高,",
    f"鹿泉第4科技有限公司,{uscc(4)},鹿泉区获鹿镇4号,制造业,高风险,重点",
]


def write_csv(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join([HEADER, *lines]).encode(encoding))
    return path


def write_xlsx(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "名录库"
    sheet.append(["企业名称", "信用代码", "住所", "行业", "风险等级", "类别"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def bad_check_digit(n: int) -> str:
    good = uscc(n)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


@pytest.fixture
def team():
    return make_team()


def stored(team) -> dict[str, tuple[str, str, str, bool]]:
    return {
        i.uscc: (i.name, i.risk, i.category, i.active)
        for i in Inspectee.objects.filter(department=team.department)
    }


# --- the 统一社会信用代码 -------------------------------------------------------------------------


def test_uscc_messages_say_what_is_wrong():
    assert pool.check_uscc(" " + uscc(7).lower()[:9] + " " + uscc(7)[9:]) == uscc(7)
    with pytest.raises(QingdanError) as length:
        pool.check_uscc(uscc(7)[:17])
    assert length.value.message == f"统一社会信用代码「{uscc(7)[:17]}」长度为 17 位，应为 18 位"
    with pytest.raises(QingdanError) as checksum:
        pool.check_uscc(bad_check_digit(7))
    assert f"校验位错误：末位应为「{uscc(7)[-1]}」" in checksum.value.message
    with pytest.raises(QingdanError) as character:
        pool.check_uscc(uscc(7)[:10] + "I" + uscc(7)[11:])
    assert "含有不允许的字符" in character.value.message
    assert len({length.value.message[:12], checksum.value.message, character.value.message}) == 3


def test_risk_and_category_words():
    assert [pool.parse_risk(t) for t in ("A", "a", "A级", "低", "低风险", "一般", "较高风险", "高", "D（高风险）")] == [
        "A", "A", "A", "A", "A", "B", "C", "D", "D",
    ]  # fmt: skip
    assert (
        pool.parse_category("重点") == Inspectee.KEY
        and pool.parse_category("一般监管对象") == Inspectee.GENERAL
    )
    with pytest.raises(QingdanError, match="风险等级「E」无效"):
        pool.parse_risk("E")


# --- the import ---------------------------------------------------------------------------------


def test_clean_csv_import(team, tmp_path):
    path = write_csv(tmp_path, "名录库.csv", CLEAN)
    result = pool.import_inspectees(team.actor("zhang"), team.department, path)
    assert (result.created, result.updated, result.unchanged, result.removed) == (4, 0, 0, 0)
    assert result.summary() == "已导入 名录库.csv：检查对象 4 个，新增 4 个，更新 0 个，未变 0 个。"
    assert stored(team) == {
        uscc(1): ("鹿泉第1科技有限公司", "A", "general", True),
        uscc(2): ("鹿泉第2科技有限公司", "B", "key", True),
        uscc(3): ("鹿泉第3科技有限公司", "C", "general", True),
        uscc(4): ("鹿泉第4科技有限公司", "D", "key", True),
    }
    entry = AuditEntry.objects.get(action="inspection_pool_import")
    import hashlib

    assert entry.after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry.after["source"], entry.after["created"], entry.after["replace"]) == ("名录库.csv", 4, False)


def test_gb18030_and_xlsx(team, tmp_path):
    path = write_csv(tmp_path, "gbk.csv", CLEAN[:2], encoding="gb18030")
    assert pool.import_inspectees(team.actor("zhang"), team.department, path).created == 2
    rows = [
        ["鹿泉第5科技有限公司", uscc(5), "获鹿镇5号", "制造业", "C", "重点"],
        ["鹿泉第1科技有限公司", uscc(1), "鹿泉区获鹿镇1号", "科技服务业", "A", ""],
    ]
    result = pool.import_inspectees(
        team.actor("zhang"), team.department, write_xlsx(tmp_path, "名录库.xlsx", rows)
    )
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    assert stored(team)[uscc(5)] == ("鹿泉第5科技有限公司", "C", "key", True)


def test_every_bad_row_is_named_and_nothing_is_stored(team, tmp_path):
    pool.import_inspectees(team.actor("zhang"), team.department, write_csv(tmp_path, "first.csv", CLEAN))
    before = stored(team)
    lines = [
        f"鹿泉第1科技有限公司,{uscc(1)},,,A,",  # row 2: fine (an update were the file clean)
        f"坏校验位公司,{bad_check_digit(8)},,,B,",  # row 3
        f",{uscc(9)},,,B,",  # row 4: no name
        f"鹿泉第10科技有限公司,{uscc(10)},,,E,",  # row 5: risk E
        f"鹿泉第一科技公司,{uscc(1)},,,A,",  # row 6: contradicts row 2's name
    ]
    with pytest.raises(IngestError) as caught:
        pool.import_inspectees(team.actor("zhang"), team.department, write_csv(tmp_path, "bad.csv", lines))
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        f"「bad.csv」, 第 3 行, 第 2 列「统一社会信用代码」: 统一社会信用代码「{bad_check_digit(8)}」"
        f"校验位错误：末位应为「{uscc(8)[-1]}」而不是「{bad_check_digit(8)[-1]}」（GB 32100）",
        "「bad.csv」, 第 4 行, 第 1 列「名称」: 「名称」不能为空",
        "「bad.csv」, 第 5 行, 第 5 列「风险等级」: 风险等级「E」无效：应为 A、B、C、D（或 A级，或 低、一般、较高、高）",
        f"「bad.csv」, 第 6 行, 第 1 列「名称」: 统一社会信用代码「{uscc(1)}」在第 2 行和第 6 行的「名称」不一致："
        "「鹿泉第1科技有限公司」与「鹿泉第一科技公司」",
    ]
    assert stored(team) == before
    assert AuditEntry.objects.filter(action="inspection_pool_import").count() == 1


def test_duplicates_that_agree_or_complete_merge(team, tmp_path):
    lines = [
        f"鹿泉第1科技有限公司,{uscc(1)},,科技服务业,A,",
        f"鹿泉第1科技有限公司,{uscc(1)},鹿泉区获鹿镇1号,,A级,重点",
        f"鹿泉第2科技有限公司(获鹿分公司),{uscc(2)},,,B,",
        f"鹿泉第2科技有限公司（获鹿分公司）,{uscc(2)},,,一般,",
    ]
    result = pool.import_inspectees(
        team.actor("zhang"), team.department, write_csv(tmp_path, "dup.csv", lines)
    )
    assert (result.created, result.merged) == (2, 2)
    assert "2 行与前面的行统一社会信用代码相同，已合并" in result.summary()
    one = Inspectee.objects.get(uscc=uscc(1))
    assert (one.address, one.industry, one.category) == ("鹿泉区获鹿镇1号", "科技服务业", Inspectee.KEY)
    assert Inspectee.objects.get(uscc=uscc(2)).name == "鹿泉第2科技有限公司（获鹿分公司）"
    with pytest.raises(IngestError) as caught:
        pool.import_inspectees(
            team.actor("zhang"),
            team.department,
            write_csv(tmp_path, "clash.csv", [f"甲公司,{uscc(3)},,,A,", f"甲公司,{uscc(3)},,,D,"]),
        )
    assert [p.message for p in caught.value.problems] == [
        f"统一社会信用代码「{uscc(3)}」在第 2 行和第 3 行的「风险等级」不一致：「A」与「D」"
    ]
    # a row wrong in one column is still compared in the others
    with pytest.raises(IngestError) as caught:
        pool.import_inspectees(
            team.actor("zhang"),
            team.department,
            write_csv(tmp_path, "both.csv", [f"甲公司,{uscc(3)},,,A,", f"乙公司,{uscc(3)},,,E,"]),
        )
    assert [(p.pos.row, p.field) for p in caught.value.problems] == [(3, "名称"), (3, "风险等级")]


def test_reimport_updates_and_replace_moves_out(team, tmp_path):
    actor = team.actor("zhang")
    pool.import_inspectees(actor, team.department, write_csv(tmp_path, "a.csv", CLEAN))
    changed = [CLEAN[0], CLEAN[1].replace(",B级,", ",C,"), f"鹿泉第6科技有限公司,{uscc(6)},,,A,"]
    result = pool.import_inspectees(actor, team.department, write_csv(tmp_path, "b.csv", changed))
    assert (result.created, result.updated, result.unchanged, result.removed) == (1, 1, 1, 0)
    assert stored(team)[uscc(2)][1] == "C" and stored(team)[uscc(3)][3] is True
    result = pool.import_inspectees(
        actor, team.department, write_csv(tmp_path, "c.csv", changed), replace=True
    )
    assert (result.created, result.updated, result.unchanged, result.removed) == (0, 0, 3, 2)
    assert {code for code, row in stored(team).items() if not row[3]} == {uscc(3), uscc(4)}
    # a file naming a moved-out inspectee brings it back
    result = pool.import_inspectees(actor, team.department, write_csv(tmp_path, "d.csv", [CLEAN[2]]))
    assert (result.updated, stored(team)[uscc(3)][3]) == (1, True)
    data = pool.inspectee_list(actor, team.department)
    assert (data["count"], data["inactive"], data["pages"]) == (4, 1, 1)
    assert [r["uscc"] for r in pool.inspectee_list(actor, team.department, risk="C")["inspectees"]] == [
        uscc(2), uscc(3),
    ]  # fmt: skip


def test_import_refused_for_who_may_not_edit(team, tmp_path):
    other = Department.objects.create(jurisdiction=team.department.jurisdiction, name="鹿泉区市场监督管理局")
    create_user(COMMAND_LINE, "outsider", "filler", other, None, password="pw-outsider-2026")
    from qingdan.core.accounts import actor_named

    with pytest.raises(
        PermissionDenied, match="只有石家庄市鹿泉区工业和信息化局的填报员或系统管理员可以导入检查对象名录库"
    ):
        pool.import_inspectees(actor_named("outsider"), team.department, write_csv(tmp_path, "a.csv", CLEAN))
    assert not Inspectee.objects.exists()


def test_paging_by_fifty(team):
    Inspectee.objects.bulk_create(
        Inspectee(department=team.department, uscc=uscc(n), name=f"公司{n}", risk="A") for n in range(1, 52)
    )
    second = pool.inspectee_list(team.actor("zhang"), team.department, page=2)
    assert (second["count"], second["pages"], second["page"], len(second["inspectees"])) == (51, 2, 2, 1)
    assert second["inspectees"][0]["uscc"] == uscc(51)


# --- 回避 and the roster --------------------------------------------------------------------------


def test_conflicts_by_the_officer_by_a_lead_refused_for_others(team):
    zhang, li = team.officers["zhang"], team.officers["li"]
    found = pool.declare_conflict(team.actor("zhang"), team.department, uscc(1).lower(), "配偶任该公司监事")
    assert (found.officer, found.uscc, found.declared_by_name) == (zhang, uscc(1), "张伟")
    with pytest.raises(QingdanError, match="张伟已申报回避"):
        pool.declare_conflict(team.actor("zhang"), team.department, uscc(1), "再次申报")
    # a lead on behalf of a named officer
    pool.declare_conflict(team.actor("unithead"), team.department, uscc(2), "曾在该公司任职", officer=li)
    assert Conflict.objects.get(officer=li).declared_by_name == "赵科长"
    # an officer may not declare for another; a lead may not declare without naming an officer
    with pytest.raises(
        PermissionDenied,
        match="只有石家庄市鹿泉区工业和信息化局的执法科室负责人、主管局长、主要负责人可以代李娜申报回避",
    ):
        pool.declare_conflict(team.actor("zhang"), team.department, uscc(3), "x", officer=li)
    with pytest.raises(PermissionDenied, match="执法人员本人"):
        pool.declare_conflict(team.actor("head"), team.department, uscc(3), "x")
    with pytest.raises(QingdanError, match="校验位错误"):
        pool.declare_conflict(team.actor("zhang"), team.department, bad_check_digit(3), "x")
    with pytest.raises(QingdanError, match="请写明回避事由"):
        pool.declare_conflict(team.actor("zhang"), team.department, uscc(3), "  ")
    # an officer whose certificate is not valid that day does not act
    with pytest.raises(QingdanError, match="张伟不能从事执法活动"):
        pool.declare_conflict(team.actor("zhang"), team.department, uscc(3), "x", on=dt.date(2031, 1, 1))
    assert Conflict.objects.count() == 2
    labels = list(
        AuditEntry.objects.filter(action="inspection_conflict_declare").values_list("after", flat=True)
    )
    assert [a["officer"] for a in labels] == ["张伟", "李娜"]
    # withdrawal: by the officer, by a lead, not by another officer
    with pytest.raises(PermissionDenied):
        pool.withdraw_conflict(team.actor("zhang"), team.department, uscc(2), officer=li)
    pool.withdraw_conflict(team.actor("zhang"), team.department, uscc(1))
    pool.withdraw_conflict(team.actor("head"), team.department, uscc(2), officer=li)
    assert not Conflict.objects.exists()
    with pytest.raises(QingdanError, match="张伟没有申报回避"):
        pool.withdraw_conflict(team.actor("zhang"), team.department, uscc(1))
    assert AuditEntry.objects.filter(action="inspection_conflict_withdraw").count() == 2


def test_roster_on_a_day(team):
    Inspectee.objects.create(department=team.department, uscc=uscc(1), name="鹿泉第1科技有限公司", risk="A")
    pool.declare_conflict(team.actor("wang"), team.department, uscc(1), "亲属持股")
    data = pool.roster(team.department, dt.date(2026, 6, 1))
    assert [(o["name"], o["certified"]) for o in data["officers"]] == [
        ("张伟", True), ("李娜", True), ("王强", True), ("周法制", True),
    ]  # fmt: skip
    wang = data["officers"][2]
    assert [(c["uscc"], c["name"], c["reason"]) for c in wang["conflicts"]] == [
        (uscc(1), "鹿泉第1科技有限公司", "亲属持股")
    ]
    assert pool.roster(team.department, dt.date(2031, 1, 1))["certified"] == 0
    assert pool.roster(team.department, dt.date(2019, 12, 31))["certified"] == 0


# --- command line -------------------------------------------------------------------------------


def test_cli_import_list_and_conflicts(team, tmp_path):
    runner = CliRunner()
    dept = team.department.name
    good = write_csv(tmp_path, "good.csv", CLEAN)
    result = runner.invoke(main, ["--user", "zhang", "inspectees", "import", str(good), "--department", dept])
    assert result.exit_code == 0, result.output
    assert result.output == "已导入 good.csv：检查对象 4 个，新增 4 个，更新 0 个，未变 0 个。\n"
    bad = write_csv(tmp_path, "bad.csv", [f"坏公司,{bad_check_digit(8)},,,B,", f"某公司,{uscc(9)},,,E,"])
    result = runner.invoke(main, ["--user", "zhang", "inspectees", "import", str(bad), "--department", dept])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("错误：「bad.csv」, 第 2 行, 第 2 列「统一社会信用代码」: 统一社会信用代码")
    assert (
        lines[1]
        == "「bad.csv」, 第 3 行, 第 5 列「风险等级」: 风险等级「E」无效：应为 A、B、C、D（或 A级，或 低、一般、较高、高）"
    )
    result = runner.invoke(
        main, ["--user", "zhang", "inspectees", "import", str(tmp_path / "none.csv"), "--department", dept]
    )
    assert result.exit_code == 1 and result.output.startswith("错误：") and "Traceback" not in result.output
    result = runner.invoke(main, ["inspectees", "list", dept, "--risk", "D", "--json"])
    assert result.exit_code == 0
    assert [r["uscc"] for r in json.loads(result.output)["inspectees"]] == [uscc(4)]
    result = runner.invoke(main, ["inspectees", "list", dept])
    assert result.output.splitlines()[0] == f"{dept}检查对象名录库：共 4 个（第 1/1 页）"
    result = runner.invoke(
        main, ["--user", "li", "inspectors", "conflict", dept, uscc(2), "--reason", "同学任法定代表人"]
    )
    assert (
        result.exit_code == 0
        and result.output == f"已登记：李娜回避统一社会信用代码为 {uscc(2)} 的检查对象。\n"
    )
    result = runner.invoke(
        main, ["--user", "li", "inspectors", "conflict", dept, uscc(3), "--reason", "x", "--officer", "张伟"]
    )
    assert result.exit_code == 1 and "可以代张伟申报回避" in result.output
    result = runner.invoke(
        main,
        [
            "--user",
            "deputy",
            "inspectors",
            "conflict",
            dept,
            uscc(3),
            "--reason",
            "曾任顾问",
            "--officer",
            "张伟",
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["inspectors", "list", dept, "--on", "2026-06-01", "--json"])
    data = json.loads(result.output)
    assert data["on"] == "2026-06-01" and data["certified"] == 4
    assert {o["name"]: [c["uscc"] for c in o["conflicts"]] for o in data["officers"]}["李娜"] == [uscc(2)]
    result = runner.invoke(main, ["inspectors", "list", dept, "--on", "六月"])
    assert result.exit_code == 1 and "不是日期" in result.output
    result = runner.invoke(main, ["--user", "li", "inspectors", "withdraw", dept, uscc(2)])
    assert (
        result.exit_code == 0
        and result.output == f"已撤回对统一社会信用代码为 {uscc(2)} 的检查对象的回避申报。\n"
    )
    assert list(Conflict.objects.values_list("officer__name", "uscc")) == [("张伟", uscc(3))]


# --- API ----------------------------------------------------------------------------------------


def test_api_list_import_and_roster(team, tmp_path):
    token = create_token(COMMAND_LINE, "zhang")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    base = f"/api/v1/departments/{team.department.pk}"
    data = write_csv(tmp_path, "a.csv", CLEAN).read_bytes()
    body = {"file_name": "a.csv", "file_base64": base64.b64encode(data).decode()}
    response = client.post(f"{base}/inspectees/import", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["sha256"]) == (
        4,
        __import__("hashlib").sha256(data).hexdigest(),
    )
    bad = "\n".join([HEADER, f",{uscc(9)},,,E,"]).encode()
    response = client.post(
        f"{base}/inspectees/import",
        {"file_name": "b.csv", "file_base64": base64.b64encode(bad).decode()},
        content_type="application/json",
    )
    assert response.status_code == 400
    message = (
        response.json()["detail"]
        if "detail" in response.json()
        else json.dumps(response.json(), ensure_ascii=False)
    )
    assert "第 2 行, 第 1 列「名称」" in message and "风险等级「E」无效" in message
    response = client.post(
        f"{base}/inspectees/import",
        {"file_name": "c.csv", "file_base64": "%%%"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "Base64" in response.content.decode()
    listed = client.get(f"{base}/inspectees?risk=B").json()
    assert [r["uscc"] for r in listed["inspectees"]] == [uscc(2)] and listed["count"] == 1
    roster = client.get(f"{base}/inspectors?on=2031-01-01").json()
    assert (roster["on"], roster["certified"], len(roster["officers"])) == ("2031-01-01", 0, 4)
    assert client.get(f"{base}/inspectors?on=x").status_code == 400
    assert Client().get(f"{base}/inspectees").status_code == 401


# --- pages --------------------------------------------------------------------------------------


def test_pages_list_import_and_conflict_form(team, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(team.users["zhang"])
    url = f"/work/inspection/d/{team.department.pk}/pool/"
    page = client.get(url)
    assert page.status_code == 200 and "导入名录库" in page.content.decode()
    bad = "\n".join([HEADER, f"坏公司,{bad_check_digit(8)},,,B,", f",{uscc(9)},,,E,"]).encode()
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", bad)})
    text = response.content.decode()
    assert response.status_code == 400 and "「bad.csv」有 3 处问题，未导入" in text
    assert "第 3 行, 第 1 列「名称」" in text and "第 3 行, 第 5 列「风险等级」" in text
    assert not Inspectee.objects.exists()
    good = write_csv(tmp_path, "good.csv", CLEAN).read_bytes()
    response = client.post(url, {"file": SimpleUploadedFile("good.csv", good)}, follow=True)
    assert "已导入 good.csv：检查对象 4 个" in response.content.decode() and Inspectee.objects.count() == 4
    listed = client.get(url + "?risk=D").content.decode()
    assert "鹿泉第4科技有限公司" in listed and "鹿泉第1科技有限公司" not in listed
    # the roster: the signed-in officer declares and withdraws
    roster_url = f"/work/inspection/d/{team.department.pk}/inspectors/"
    page = client.get(roster_url).content.decode()
    assert "申报回避" in page and "张伟" in page
    client.post(roster_url, {"action": "declare", "uscc": uscc(1), "reason": "亲属任职"})
    assert Conflict.objects.get().officer == team.officers["zhang"]
    assert "亲属任职" in client.get(roster_url).content.decode()
    client.post(roster_url, {"action": "withdraw", "uscc": uscc(1)})
    assert not Conflict.objects.exists()
    # an officer naming another is refused; a lead declares and withdraws on an officer's behalf
    li = team.officers["li"]
    response = client.post(
        roster_url, {"action": "declare", "uscc": uscc(2), "reason": "x", "officer": li.pk}, follow=True
    )
    assert "可以代李娜申报回避" in response.content.decode() and not Conflict.objects.exists()
    lead = Client()
    lead.force_login(team.users["unithead"])
    page = lead.get(roster_url).content.decode()
    assert f'<option value="{li.pk}">李娜（13018520002）</option>' in page
    lead.post(
        roster_url, {"action": "declare", "uscc": uscc(2), "reason": "曾任该公司顾问", "officer": li.pk}
    )
    assert Conflict.objects.get().officer == li
    assert f'name="officer" value="{li.pk}"' in lead.get(roster_url).content.decode()
    lead.post(roster_url, {"action": "withdraw", "uscc": uscc(2), "officer": li.pk})
    assert not Conflict.objects.exists()
    # who may not edit sees the list without the form, and cannot import
    other = Department.objects.create(jurisdiction=team.department.jurisdiction, name="鹿泉区市场监督管理局")
    create_user(COMMAND_LINE, "outsider", "filler", other, None, password="pw-outsider-2026")
    from django.contrib.auth import get_user_model

    outsider = Client()
    outsider.force_login(get_user_model().objects.get(username="outsider"))
    assert outsider.get(url).status_code == 403
    assert outsider.post(url, {"file": SimpleUploadedFile("good.csv", good)}).status_code == 403


def test_files_that_are_not_a_pool(team, tmp_path):
    actor = team.actor("zhang")
    no_risk = tmp_path / "缺列.csv"
    no_risk.write_text(f"名称,统一社会信用代码\n甲公司,{uscc(1)}\n", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        pool.import_inspectees(actor, team.department, no_risk)
    assert (
        str(caught.value)
        == "「缺列.csv」, 第 1 行: 表头缺少列：风险等级。需要的列：名称、统一社会信用代码、风险等级"
    )
    other = tmp_path / "别的表.csv"
    other.write_text("姓名,执法证号\n张伟,13018520001\n", encoding="utf-8")
    with pytest.raises(IngestError, match="找不到检查对象名录的表头"):
        pool.import_inspectees(actor, team.department, other)
    long = write_csv(tmp_path, "长.csv", [f"{'名' * 301},{uscc(1)},,,A,"])
    with pytest.raises(IngestError) as caught:
        pool.import_inspectees(actor, team.department, long)
    assert (
        str(caught.value) == "「长.csv」, 第 2 行, 第 1 列「名称」: 「名称」有 301 个字，超过 300 个字的上限"
    )
    empty = write_csv(tmp_path, "空.csv", [])
    with pytest.raises(IngestError, match="表格中没有检查对象"):
        pool.import_inspectees(actor, team.department, empty)
    assert not Inspectee.objects.exists()


def test_xlsx_number_cells_get_a_hint(team, tmp_path):
    # Excel keeps 15 digits of a number: a code typed into a number cell is stored as 9.11301850000012E17
    path = write_xlsx(tmp_path, "数字.xlsx", [["甲公司", 9.11301850000012e17, "", "", "A", ""]])
    with pytest.raises(IngestError) as caught:
        pool.import_inspectees(team.actor("zhang"), team.department, path)
    (problem,) = caught.value.problems
    assert (problem.pos.sheet, problem.pos.row, problem.field) == ("名录库", 2, "统一社会信用代码")
    assert "校验位错误" in problem.message and "请把该列设为文本" in problem.hint
