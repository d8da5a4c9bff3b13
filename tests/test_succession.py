"""Reorganisations change what is current: after 鹿泉区工业和信息化局 (seed 001) went into
石家庄市鹿泉区科学技术和工业信息化局 (seed 000) in 2019, the old bureau leaves the home page, the
department lists, search and the overlap checks, while its history stays readable."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.test import Client

from qingdan.catalog.services import import_list
from qingdan.catalog.succession import record_succession, undo_succession
from qingdan.checks.services import crossing_findings
from qingdan.cli import main
from qingdan.core import outbox
from qingdan.core.accounts import create_token
from qingdan.core.lineage import lineage_of
from qingdan.core.models import AuditEntry, Department, Succession
from qingdan.core.permissions import COMMAND_LINE, PermissionDenied
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from qingdan.search import reindex, search
from tests.conftest import LUQUAN_KEGONG, actor

pytestmark = pytest.mark.django_db

OLD = "石家庄市鹿泉区工业和信息化局"
MERGED_ON = date(2019, 3, 1)
MERGED = f"已撤销（并入 {LUQUAN_KEGONG}，2019-03-01）"


@pytest.fixture
def reorganised(seed_bytes):
    import_list(load_bytes(*seed_bytes("001")).record)
    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    reindex()
    return Department.objects.get(name=OLD), Department.objects.get(name=LUQUAN_KEGONG)


@pytest.fixture
def merged(reorganised):
    old, new = reorganised
    record_succession(COMMAND_LINE, new, [old], "鹿泉区机构改革方案", MERGED_ON)
    return old, new


def text(response) -> str:
    """A page's visible text, tags removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_the_predecessor_is_no_longer_current(merged):
    old, new = merged
    assert list(Department.objects.abolished()) == [old]
    assert old not in Department.objects.current() and new in Department.objects.current()
    assert lineage_of(old).status == MERGED
    assert lineage_of(new).origin_texts() == [f"{OLD} 并入本部门（2019-03-01）"]


def test_home_page_lists_it_only_among_the_abolished(reorganised, client):
    old, new = reorganised
    assert f'href="/d/{old.pk}/">{OLD}</a>' in client.get("/").content.decode()
    record_succession(COMMAND_LINE, new, [old], "", MERGED_ON)
    page = client.get("/").content.decode()
    current, _, abolished = page.partition("已撤销的部门")
    assert f"/d/{new.pk}/" in current and f"/d/{old.pk}/" not in current
    assert f'href="/d/{old.pk}/">{OLD}</a>' in abolished and MERGED in abolished


def test_its_pages_say_where_it_went_and_its_history_still_works(merged, client):
    old, new = merged
    page = client.get(f"/d/{old.pk}/")
    assert page.status_code == 200 and MERGED in text(page)
    assert f'并入 <a href="/d/{new.pk}/">{LUQUAN_KEGONG}</a>' in page.content.decode()
    successor = client.get(f"/d/{new.pk}/")
    assert f'<a href="/d/{old.pk}/">{OLD}</a> 并入本部门（2019-03-01）' in successor.content.decode()
    for path in ("v1/", "changes/", "check/"):
        response = client.get(f"/d/{old.pk}/{path}")
        assert response.status_code == 200, path
    assert MERGED in text(client.get(f"/d/{old.pk}/changes/"))
    for fmt in ("json", "csv", "xlsx", "docx"):
        download = client.get(f"/d/{old.pk}/download.{fmt}")
        assert download.status_code == 200 and len(download.content) > 1000, fmt
    listed = json.loads(client.get(f"/d/{old.pk}/download.json").content)
    assert listed["department"] == OLD
    registry = json.loads(client.get("/-/download/registry.json").content)  # current lists only
    assert [r["department"] for r in registry["lists"]] == [LUQUAN_KEGONG]


def test_search_answers_from_current_lists_and_finds_history_when_asked(reorganised, client):
    old, new = reorganised
    assert search("散装水泥").hits[0].department == OLD  # only 001 names it
    record_succession(COMMAND_LINE, new, [old], "", MERGED_ON)
    assert all(h.department != OLD for h in search("散装水泥").hits)
    assert all(h.department != OLD for h in search("工业和信息化", limit=50).hits)
    history = search("散装水泥", history=True).hits
    assert history and all(h.abolished == MERGED for h in history if h.department == OLD)
    assert {h.department for h in history} >= {OLD}

    api = client.get("/api/v1/search", {"q": "散装水泥"}).json()
    assert all(h["department"] != OLD for h in api["hits"])
    api = client.get("/api/v1/search", {"q": "散装水泥", "history": "1"}).json()
    assert api["hits"] and api["hits"][0]["abolished"] == MERGED
    assert OLD not in text(client.get("/search", {"q": "散装水泥"}))
    page = text(client.get("/search", {"q": "散装水泥", "history": "1"}))
    assert OLD in page and MERGED in page
    cli = CliRunner().invoke(main, ["search", "散装水泥", "--history"])
    assert cli.exit_code == 0 and "已撤销" in cli.output and OLD in cli.output
    assert OLD not in CliRunner().invoke(main, ["search", "散装水泥"]).output


def test_the_overlap_report_no_longer_pairs_it_with_its_successor(reorganised, client):
    old, new = reorganised

    def naming_old() -> list[str]:
        return [
            f.check_id
            for f in crossing_findings(new.jurisdiction)
            if OLD in json.dumps(f.as_json(), ensure_ascii=False)
        ]

    assert naming_old()  # the two bureaus' lists share duties
    record_succession(COMMAND_LINE, new, [old], "", MERGED_ON)
    assert naming_old() == []
    outbox.settle()  # the succession owes the jurisdiction's cross-department check again
    page = client.get(f"/j/{new.jurisdiction.pk}/check/")
    assert page.status_code == 200 and OLD not in text(page) and "交叉与空白正在后台计算" not in text(page)
    overlaps = CliRunner().invoke(main, ["overlaps", new.jurisdiction.name, "--json"])
    assert OLD not in overlaps.output


def test_the_api_lists_current_departments_unless_asked(merged, client):
    old, new = merged
    names = [d["name"] for d in client.get("/api/v1/departments").json()["items"]]
    assert OLD not in names and LUQUAN_KEGONG in names
    for flag in ("include_abolished", "history"):
        items = client.get("/api/v1/departments", {flag: "1"}).json()["items"]
        assert {d["name"]: d["abolished"] for d in items}[OLD] == MERGED
    places = {j["name"]: j["departments"] for j in client.get("/api/v1/jurisdictions").json()}
    assert places[new.jurisdiction.name] == 1
    detail = client.get(f"/api/v1/departments/{old.pk}").json()
    assert detail["abolished"] == MERGED
    assert detail["lineage"]["abolished"]["successors"] == [{"id": new.pk, "name": LUQUAN_KEGONG}]
    origins = client.get(f"/api/v1/departments/{new.pk}").json()["lineage"]["origins"]
    assert [(o["how"], o["on"], o["predecessors"][0]["name"]) for o in origins] == [
        ("merge", "2019-03-01", OLD)
    ]


def _department(place_of: Department, name: str) -> Department:
    return Department.objects.create(jurisdiction=place_of.jurisdiction, name=name)


def test_a_merge_a_split_and_a_rename(reorganised):
    old, new = reorganised
    science = _department(new, "鹿泉区科学技术局")
    record_succession(COMMAND_LINE, new, [old, science], "", MERGED_ON)
    assert lineage_of(new).origin_texts() == [f"由 {OLD}、鹿泉区科学技术局 合并组建（2019-03-01）"]
    assert lineage_of(science).status == f"已撤销（并入 {LUQUAN_KEGONG}，2019-03-01）"

    a, b = _department(new, "鹿泉区甲局"), _department(new, "鹿泉区乙局")
    split = _department(new, "鹿泉区甲乙局")
    for part in (a, b):
        record_succession(COMMAND_LINE, part, [split], "", date(2020, 1, 1))
    assert lineage_of(split).status == "已撤销（职责划入 鹿泉区乙局、鹿泉区甲局，2020-01-01）"
    assert lineage_of(a).origin_texts() == ["由 鹿泉区甲乙局 分设（2020-01-01）"]

    renamed = _department(new, "鹿泉区新名局")
    record_succession(COMMAND_LINE, renamed, [a], "", date(2021, 5, 6), rename=True)
    assert lineage_of(a).status == "已更名为 鹿泉区新名局（2021-05-06）"
    assert lineage_of(renamed).origin_texts() == ["由 鹿泉区甲局 更名（2021-05-06）"]
    assert set(Department.objects.current()) == {new, b, renamed}


def test_it_refuses_what_cannot_have_happened(reorganised):
    old, new = reorganised
    third = _department(new, "鹿泉区第三局")
    with pytest.raises(QingdanError, match="不能是自己的前身部门"):
        record_succession(COMMAND_LINE, new, [new], "")
    record_succession(COMMAND_LINE, new, [old], "", MERGED_ON)
    with pytest.raises(QingdanError, match="会成环"):
        record_succession(COMMAND_LINE, old, [new], "", date(2018, 1, 1))
    record_succession(COMMAND_LINE, third, [new], "", date(2022, 1, 1))
    with pytest.raises(QingdanError, match=f"沿革已是 {OLD} → {LUQUAN_KEGONG} → 鹿泉区第三局"):
        record_succession(COMMAND_LINE, old, [third], "", date(2018, 1, 1))
    with pytest.raises(QingdanError, match="晚于今天"):
        record_succession(COMMAND_LINE, third, [_department(new, "甲")], "", date.today() + timedelta(days=2))
    with pytest.raises(QingdanError, match=f"{LUQUAN_KEGONG}已于 2022-01-01 撤销"):
        record_succession(COMMAND_LINE, new, [_department(new, "乙")], "", date(2023, 1, 1))
    record_succession(COMMAND_LINE, new, [_department(new, "丙")], "", date(2020, 1, 1))  # before it ended
    with pytest.raises(QingdanError, match="更名只能是一个部门"):
        record_succession(
            COMMAND_LINE, third, [_department(new, "丁"), _department(new, "戊")], "", rename=True
        )
    assert Succession.objects.count() == 3


def test_non_admins_are_refused_everywhere(staff, client):
    department, other = staff["department"], staff["other"]
    for role in ("filler", "legal", "approver"):
        with pytest.raises(PermissionDenied, match="无权记录机构沿革"):
            record_succession(actor(role), department, [other], "")
    client.force_login(staff_user("filler"))
    assert client.get("/work/succession/").status_code == 403
    refused = client.post("/work/succession/", {"successor": department.pk, "predecessors": [other.pk]})
    assert refused.status_code == 403 and "无权记录机构沿革" in refused.content.decode()
    token = create_token(COMMAND_LINE, "approver")
    body = json.dumps({"successor": department.pk, "predecessors": [other.pk]})
    response = client.post(
        "/api/v1/successions", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 403 and "无权记录机构沿革" in response.json()["error"]["message"]
    assert Client().post("/api/v1/successions", body, content_type="application/json").status_code == 401
    cli = CliRunner().invoke(main, ["--user", "legal", "succession", department.name, other.name])
    assert cli.exit_code == 1 and "无权记录机构沿革" in cli.output
    assert not Succession.objects.exists()


def staff_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_an_administrator_records_and_undoes_in_the_browser(merged, staff, client):
    old, new = merged
    client.force_login(staff_user("admin"))
    page = client.get("/work/succession/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert f"{OLD}" in text(page) and "撤销记录" in text(page)
    xiangyin = staff["department"]
    wrong = client.post("/work/succession/", {"successor": old.pk, "predecessors": [new.pk]})
    assert wrong.status_code == 400 and "会成环" in text(wrong)
    assert f'value="{new.pk}" selected' in wrong.content.decode()  # the form comes back as typed
    done = client.post(
        "/work/succession/",
        {"successor": new.pk, "predecessors": [xiangyin.pk], "effective_on": "2019-03-01", "basis": "测试"},
    )
    assert done.status_code == 302
    assert lineage_of(xiangyin).status == MERGED
    assert AuditEntry.objects.filter(action="succession", object_id=str(new.pk)).count() == 2
    undone = client.post(
        "/work/succession/", {"action": "undo", "successor": new.pk, "predecessor": xiangyin.pk}
    )
    assert undone.status_code == 302 and not lineage_of(xiangyin).abolished
    assert AuditEntry.objects.filter(action="succession_undo").exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_user("admin"))
    assert (
        strict.post("/work/succession/", {"successor": new.pk, "predecessors": [xiangyin.pk]}).status_code
        == 403
    )


def test_the_api_records_for_administrators(reorganised, staff, client):
    old, new = reorganised
    token = create_token(COMMAND_LINE, "admin")
    body = {"successor": new.pk, "predecessors": [old.pk], "effective_on": "2019-03-01", "basis": "改革方案"}
    response = client.post(
        "/api/v1/successions",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["predecessors"] == [{"id": old.pk, "name": OLD, "abolished": MERGED}]
    again = client.post(
        "/api/v1/successions",
        json.dumps({"successor": old.pk, "predecessors": [new.pk]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.status_code == 400 and "会成环" in again.json()["error"]["message"]
    undo = client.post(
        "/api/v1/successions/undo",
        json.dumps({"successor": new.pk, "predecessors": [old.pk]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert undo.status_code == 200 and undo.json()["predecessors"][0]["abolished"] == ""


@pytest.mark.usefixtures("reorganised")
def test_the_cli_records_with_a_date_and_undoes():
    result = CliRunner().invoke(
        main, ["succession", LUQUAN_KEGONG, OLD, "--basis", "方案", "--date", "2019-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert f"{OLD}：{MERGED}" in result.output
    assert f"{LUQUAN_KEGONG}：{OLD} 并入本部门（2019-03-01）" in result.output
    listed = json.loads(CliRunner().invoke(main, ["list", "--json"]).output)["departments"]
    assert {d["department"]: d["abolished"] for d in listed}[OLD] == MERGED
    assert MERGED in CliRunner().invoke(main, ["show", OLD]).output
    bad = CliRunner().invoke(main, ["succession", LUQUAN_KEGONG, OLD, "--date", "2019/3/1"])
    assert bad.exit_code == 1 and "不是日期" in bad.output
    undone = CliRunner().invoke(main, ["succession", LUQUAN_KEGONG, OLD, "--undo"])
    assert undone.exit_code == 0 and "已撤销沿革记录" in undone.output
    assert not Succession.objects.exists()
    again = CliRunner().invoke(main, ["succession", LUQUAN_KEGONG, OLD, "--undo"])
    assert again.exit_code == 1 and "无需撤销" in again.output


def test_undo_is_for_administrators_only(merged):
    old, new = merged
    with pytest.raises(PermissionDenied):
        undo_succession(actor_of_nobody(), new, [old])


def actor_of_nobody():
    from qingdan.core.permissions import PUBLIC

    return PUBLIC
