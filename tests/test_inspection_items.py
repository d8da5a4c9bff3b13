"""随机抽查事项清单 from seed 000 (鹿泉区科学技术和工业信息化局): derived from its 事中事后监管制度
with the ratio, frequency and inspectors read from the text, edited as a draft, published by a
lead, superseded by the next publication; the CLI, the public API and both pages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.test import Client

from qingdan.cases.roles import assign_role
from qingdan.catalog.currency import current_version
from qingdan.catalog.models import PowerItem
from qingdan.cli import main
from qingdan.core.accounts import create_user
from qingdan.core.models import AuditEntry, Department
from qingdan.core.permissions import COMMAND_LINE, PermissionDenied
from qingdan.errors import QingdanError
from qingdan.inspection import catalog, reading
from qingdan.inspection.models import InspectionItem, ItemCatalog
from qingdan.inspection.plans import create_plan
from tests.conftest import LUQUAN_KEGONG, actor, password_of

pytestmark = pytest.mark.django_db

NAMES = [
    "对行政许可和非行政许可审批的监督管理",
    "对监控化学品企业的监督管理",
    "技术合同认定登记机构监督",
    "石家庄市鹿泉区科技领军人物和科技创新团队监管",
    "石家庄市鹿泉区技术转移机构监管",
    "区级科技计划课题监管",
]
TRANSFER_SENTENCE = (
    "2、监督检查可以采取自查、互查、抽查（每年一次，抽查面为20%）等方式进行，或者以上几种方式结合进行。"
)
CONTRACT_SENTENCE = (
    "1、对技术合同认定登记的工作事项进行调查和检查时，应当指派2名以上工作人员进行，每年不少于1次。"
)


@pytest.fixture
def kegong(staff):
    """Seed 000's department with its 填报员 (``filler_other``) and a 主要负责人 ``kg_head`` who
    is not an editor (a 法制审核员 account holding the case role)."""
    department = staff["other"]
    create_user(COMMAND_LINE, "kg_head", "legal", department, None, password=password_of("kg_head"))
    assign_role(COMMAND_LINE, department, get_user_model().objects.get(username="kg_head"), "head")
    return department


def derived(department: Department) -> ItemCatalog:
    return catalog.derive_catalog(actor("filler_other"), department)


def by_name(made: ItemCatalog, name: str) -> InspectionItem:
    return made.items.get(name=name)


# --- reading the text ------------------------------------------------------------------------


def test_every_example_of_the_reading_table_reads_as_it_says():
    for kind in ("ratio", "frequency", "inspectors"):
        for entry in reading.table()[kind]:
            for text, expected in entry["examples"].items():
                found = reading.read(f"监督检查：{text}。")
                value = {
                    "ratio": found.ratio,
                    "frequency": found.per_year,
                    "inspectors": found.min_inspectors,
                }[kind]
                wanted = Decimal(expected) if kind == "ratio" else expected
                assert value == wanted, (kind, text)


def test_a_sentence_about_something_other_than_inspection_states_nothing():
    found = reading.read("每年一次召开座谈会，参会比例为20%。")
    assert (found.ratio, found.per_year, found.source_text) == (None, None, "")


# --- derive ----------------------------------------------------------------------------------


def test_derive_makes_one_item_per_regime_of_seed_000(kegong):
    made = derived(kegong)
    assert (made.number, made.state, made.derived_from) == (1, ItemCatalog.DRAFT, current_version(kegong))
    assert list(made.items.values_list("position", "name")) == list(enumerate(NAMES, 1))
    assert set(made.items.values_list("source", "subject")) == {(InspectionItem.REGIME, LUQUAN_KEGONG)}
    entry = AuditEntry.objects.get(action="inspection_catalog_derive")
    assert (entry.actor_name, entry.after["事项数"]) == (str(actor("filler_other")), 6)


def test_the_ratio_and_frequency_000_states_are_read_with_their_sentence(kegong):
    transfer = by_name(derived(kegong), "石家庄市鹿泉区技术转移机构监管")
    assert transfer.ratio == Decimal("0.2")
    assert (transfer.frequency, transfer.per_year, transfer.min_inspectors) == ("每年一次", 1, 2)
    assert transfer.source_text == TRANSFER_SENTENCE
    assert transfer.source_ref == "事中事后监管制度 第5项"
    assert transfer.targets == "经河北省科技厅审核通过的技术转移机构。"


def test_inspectors_and_a_minimum_frequency_are_read(kegong):
    contract = by_name(derived(kegong), "技术合同认定登记机构监督")
    assert (contract.min_inspectors, contract.frequency, contract.per_year) == (2, "每年不少于1次", 1)
    assert contract.ratio is None
    assert contract.source_text == CONTRACT_SENTENCE


def test_an_item_whose_text_states_no_ratio_has_none(kegong):
    chemicals = by_name(derived(kegong), "对监控化学品企业的监督管理")
    assert (chemicals.ratio, chemicals.frequency, chemicals.per_year, chemicals.source_text) == (
        None,
        "",
        None,
        "",
    )


def test_the_basis_is_the_laws_named_not_forms_nor_a_bare_title(kegong):
    made = derived(kegong)
    assert by_name(made, "区级科技计划课题监管").basis == (
        "《石家庄市科学技术研究与发展计划项目管理办法》、《石家庄市科技计划专项资金管理办法》"
    )
    # 《行政执法证》 (a certificate), 《条例》 (a short name) and 《行政执法监督通知书》 are not laws
    assert [by_name(made, n).basis for n in NAMES[:3]] == ["", "", ""]


def test_seed_002_gives_its_one_regime_with_the_law_it_names_and_no_ratio(staff):
    made = catalog.derive_catalog(actor("filler"), staff["department"])  # 湘阴县科技局
    item = made.items.get()
    assert (item.name, item.basis, item.subject) == (
        "对属地管理的行政执法职权的监督检查",
        "《中华人民共和国科技进步法》",
        "湘阴县科技局",
    )
    assert (item.ratio, item.per_year, item.source_text) == (None, None, "")


def test_inspection_powers_become_items_and_other_powers_do_not(kegong):
    version = current_version(kegong)
    PowerItem.objects.create(
        version=version,
        position=0,
        code="CHECK-01",
        name="对技术市场的监督检查",
        type="行政检查",
        basis="《技术市场管理条例》第十条",
        duties="检查责任：按照百分之十的比例随机抽查，每半年一次。",
    )
    PowerItem.objects.create(version=version, position=1, name="技术合同登记", type="行政确认")
    made = derived(kegong)
    power = made.items.get(source=InspectionItem.POWER)
    assert (made.items.count(), power.position, power.name, power.code) == (
        7,
        7,
        "对技术市场的监督检查",
        "CHECK-01",
    )
    assert (power.ratio, power.per_year, power.frequency) == (Decimal("0.1"), 2, "每半年一次")
    assert (power.basis, power.source_ref) == ("《技术市场管理条例》第十条", "行政检查事项 事项编码 CHECK-01")
    assert power.source_text == "检查责任：按照百分之十的比例随机抽查，每半年一次。"


def test_derive_is_refused_without_a_published_list_or_with_a_draft(kegong):
    with pytest.raises(QingdanError, match="已有随机抽查事项清单草稿"):
        derived(derived(kegong).department)
    bare = Department.objects.create(jurisdiction=kegong.jurisdiction, name="石家庄市鹿泉区无清单局")
    with pytest.raises(QingdanError, match="还没有已发布的责任清单"):
        catalog.derive_catalog(COMMAND_LINE, bare)
    with pytest.raises(PermissionDenied, match="填报员或系统管理员"):
        catalog.derive_catalog(actor("kg_head"), kegong)
    assert ItemCatalog.objects.filter(department=bare).count() == 0


# --- editing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ratio": "1.5"}, "「抽查比例」：1.5 不在 0 到 1 之间"),
        ({"ratio": "0"}, "「抽查比例」：0 不在 0 到 1 之间"),
        ({"ratio": "两成"}, "「抽查比例」：「两成」不是数"),
        ({"ratio": "NaN"}, "「抽查比例」：「NaN」不是数"),
        ({"ratio": "0.00005"}, "「抽查比例」：0.00005 的精度超过万分之一"),
        ({"min_inspectors": "1"}, "「每组检查人员」：「1」应为 2 到 20 之间的整数"),
        ({"per_year": "0"}, "「每年次数」：「0」应为 1 到 366 之间的整数"),
        ({"name": "  "}, "「抽查事项」不能为空"),
        ({"colour": "red"}, "没有字段「colour」"),
    ],
    ids=[
        "ratio>1",
        "ratio=0",
        "ratio-words",
        "ratio-nan",
        "ratio-too-fine",
        "one-inspector",
        "per-year-0",
        "no-name",
        "unknown-field",
    ],
)
def test_a_bad_value_is_refused_by_name_and_nothing_changes(kegong, values, message):
    item = by_name(derived(kegong), "石家庄市鹿泉区技术转移机构监管")
    with pytest.raises(QingdanError, match=message):
        catalog.edit_item(actor("filler_other"), item, **{"frequency": "每年两次", **values})
    item.refresh_from_db()
    assert (item.ratio, item.min_inspectors, item.per_year, item.frequency) == (
        Decimal("0.2"),
        2,
        1,
        "每年一次",
    )


def test_edit_sets_the_named_fields_and_is_logged(kegong):
    item = by_name(derived(kegong), "对监控化学品企业的监督管理")
    catalog.edit_item(
        actor("filler_other"), item, ratio="5%", per_year="2", frequency="每半年一次", min_inspectors="3"
    )
    item.refresh_from_db()
    assert (item.ratio, item.per_year, item.frequency, item.min_inspectors) == (
        Decimal("0.05"),
        2,
        "每半年一次",
        3,
    )
    catalog.edit_item(actor("filler_other"), by_name(item.catalog, NAMES[4]), ratio="25%")
    first, second = AuditEntry.objects.filter(action="inspection_catalog_edit").order_by("id")
    assert (second.before, second.after) == ({"序号": 5, "抽查比例": "0.2"}, {"序号": 5, "抽查比例": "0.25"})
    entry = first
    assert entry.before == {"序号": 2, "抽查比例": "", "抽查频次": "", "每年次数": "", "每组检查人员": "2"}
    assert entry.after == {
        "序号": 2,
        "抽查比例": "0.05",
        "抽查频次": "每半年一次",
        "每年次数": "2",
        "每组检查人员": "3",
    }


def test_add_appends_and_remove_moves_the_later_items_up(kegong):
    made = derived(kegong)
    added = catalog.add_item(actor("filler_other"), kegong, name="对科技型中小企业的抽查", ratio="0.1")
    assert (added.position, added.source, added.subject) == (7, InspectionItem.MANUAL, LUQUAN_KEGONG)
    catalog.remove_item(actor("filler_other"), by_name(made, NAMES[1]))
    assert list(made.items.values_list("position", "name")) == [
        (1, NAMES[0]),
        *[(n, name) for n, name in enumerate(NAMES[2:], 2)],
        (6, "对科技型中小企业的抽查"),
    ]


# --- publishing and versions -----------------------------------------------------------------


def test_publish_then_a_new_draft_supersedes_and_plans_keep_their_items(kegong):
    head = actor("kg_head")
    derived(kegong)
    first = catalog.publish_catalog(head, kegong)
    first.refresh_from_db()
    assert (first.state, first.published_by_name) == (ItemCatalog.PUBLISHED, str(head))
    old_item = by_name(first, "石家庄市鹿泉区技术转移机构监管")
    with pytest.raises(QingdanError, match="已发布，不能修改：请新建草稿"):
        catalog.edit_item(actor("filler_other"), old_item, ratio="0.3")
    plan = create_plan(
        head, kegong, item=old_item, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    assert plan.ratios == {"all": "0.2"}  # the ratio 000 states, read — not typed

    second = catalog.new_draft(actor("filler_other"), kegong)
    assert (second.number, second.items.count()) == (2, 6)
    copy = by_name(second, "石家庄市鹿泉区技术转移机构监管")
    assert (copy.pk != old_item.pk, copy.source_text, copy.regime_id) == (
        True,
        TRANSFER_SENTENCE,
        old_item.regime_id,
    )
    catalog.edit_item(actor("filler_other"), copy, ratio="0.3")
    copy.refresh_from_db()
    assert catalog.item_json(copy)["changed_from_text"] == ["抽查比例：原文为 20%"]
    assert catalog.item_json(old_item)["changed_from_text"] == []
    catalog.publish_catalog(head, kegong)

    states = dict(ItemCatalog.objects.filter(department=kegong).values_list("number", "state"))
    assert states == {1: ItemCatalog.SUPERSEDED, 2: ItemCatalog.PUBLISHED}
    plan.refresh_from_db()
    assert (plan.item_id, plan.item.ratio) == (old_item.pk, Decimal("0.2"))
    with pytest.raises(QingdanError, match="已被替代，不能修改"):
        catalog.remove_item(actor("filler_other"), old_item)
    with pytest.raises(ProtectedError):
        old_item.delete()


def test_publish_needs_a_lead_and_a_draft_and_new_draft_a_publication(kegong):
    with pytest.raises(QingdanError, match="没有随机抽查事项清单草稿"):
        catalog.publish_catalog(actor("kg_head"), kegong)
    with pytest.raises(QingdanError, match="还没有发布随机抽查事项清单"):
        catalog.new_draft(actor("filler_other"), kegong)
    derived(kegong)
    with pytest.raises(PermissionDenied, match="执法科室负责人、主管局长、主要负责人"):
        catalog.publish_catalog(actor("filler_other"), kegong)
    with pytest.raises(QingdanError, match="已有随机抽查事项清单草稿"):
        catalog.new_draft(actor("filler_other"), kegong)


# --- command line ----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_command_line_derives_edits_lists_and_publishes(kegong):
    code, out = run("--user", "filler_other", "draw", "derive", LUQUAN_KEGONG)
    assert code == 0, out
    assert (
        "  5. 石家庄市鹿泉区技术转移机构监管  比例 20%  频次 每年一次  每组 2 人  来源 事中事后监管制度 第5项"
        in out
    )
    code, out = run("--user", "filler_other", "draw", "edit-item", LUQUAN_KEGONG, "2", "--ratio", "百分之十")
    assert (code, "「抽查比例」：「百分之十」不是数" in out) == (1, True)
    code, out = run("--user", "filler_other", "draw", "edit-item", LUQUAN_KEGONG, "2", "--ratio", "10%")
    assert (code, out.strip()) == (0, "已修改第 2 项「对监控化学品企业的监督管理」。")
    run("--user", "filler_other", "draw", "edit-item", LUQUAN_KEGONG, "5", "--ratio", "25%")
    code, out = run("--user", "filler_other", "draw", "items", LUQUAN_KEGONG, "--draft")
    assert (
        "比例 25%  频次 每年一次  每组 2 人  来源 事中事后监管制度 第5项  （部门改定：抽查比例：原文为 20%）"
        in out
    )
    code, out = run("draw", "items", LUQUAN_KEGONG)
    assert (code, "还没有发布随机抽查事项清单" in out) == (1, True)
    code, out = run(
        "draw", "publish-items", LUQUAN_KEGONG
    )  # the administrator draws nothing, publishes nothing
    assert (code, "命令行（系统管理员）不是" in out) == (1, True)
    code, out = run("--user", "kg_head", "draw", "publish-items", LUQUAN_KEGONG)
    assert (code, out.strip()) == (0, f"已发布{LUQUAN_KEGONG}随机抽查事项清单 第1版（6 项）。")
    code, out = run("draw", "items", LUQUAN_KEGONG, "--json")
    data = json.loads(out)
    assert data == Client().get(f"/api/v1/departments/{kegong.pk}/inspection-items").json()
    assert (data["number"], data["state"], [i["ratio"] for i in data["items"]]) == (
        1,
        "published",
        [None, "0.1", None, None, "0.25", None],
    )


# --- API -------------------------------------------------------------------------------------


def test_the_public_api_gives_the_published_catalogue_and_older_versions(kegong):
    url = f"/api/v1/departments/{kegong.pk}/inspection-items"
    response = Client().get(url)
    assert (response.status_code, response.json()) == (
        404,
        {"error": {"status": 404, "message": f"{LUQUAN_KEGONG}还没有发布随机抽查事项清单。"}},
    )
    derived(kegong)
    catalog.publish_catalog(actor("kg_head"), kegong)
    catalog.new_draft(actor("filler_other"), kegong)
    assert Client().get(url).json()["number"] == 1  # a draft is not public
    catalog.publish_catalog(actor("kg_head"), kegong)
    data = Client().get(url).json()
    assert (data["number"], data["state"], data["published_at"][:4]) == (
        2,
        "published",
        str(dt.date.today().year),
    )
    assert [(v["number"], v["state"], v["items"]) for v in data["versions"]] == [
        (2, "published", 6),
        (1, "superseded", 6),
    ]
    transfer = data["items"][4]
    assert (transfer["ratio"], transfer["ratio_percent"], transfer["source_text"]) == (
        "0.2",
        "20%",
        TRANSFER_SENTENCE,
    )
    assert Client().get(url + "?version=1").json()["state"] == "superseded"
    assert Client().get(url + "?version=9").status_code == 404
    assert Client().get("/api/v1/departments/999999/inspection-items").status_code == 404


# --- pages -----------------------------------------------------------------------------------


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_work_page_shows_each_person_only_the_buttons_they_may_use(kegong):
    url = f"/work/inspection/d/{kegong.pk}/items/"
    filler, head = signed_in("filler_other"), signed_in("kg_head")
    page = filler.get(url).content.decode()
    assert ("从现行责任清单生成草稿" in page, "发布第" in page) == (True, False)
    assert ItemCatalog.objects.count() == 0  # a GET never writes
    assert "从现行责任清单生成草稿" not in head.get(url).content.decode()
    assert filler.post(url, {"action": "derive"}).status_code == 302
    page = head.get(url).content.decode()
    assert ("发布第 1 版" in page, "修改第 1 项" in page) == (True, False)
    assert head.post(url, {"action": "publish"}).status_code == 302
    page = head.get(url).content.decode()
    assert ("现行：第 1 版" in page, 'id="published-5"' in page, "发布第" in page) == (True, True, False)
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page
    assert signed_in("filler").get(url).status_code == 403  # 湘阴县's filler


def test_a_bad_edit_on_the_page_is_refused_in_chinese_with_what_was_typed(kegong):
    made = derived(kegong)
    item = by_name(made, "石家庄市鹿泉区技术转移机构监管")
    url = f"/work/inspection/d/{kegong.pk}/items/"
    fields = {
        "name": item.name,
        "ratio": "150%",
        "frequency": "每年一次",
        "per_year": "1",
        "min_inspectors": "2",
    }
    response = signed_in("filler_other").post(url, {"action": "edit", "item": item.pk, **fields})
    page = response.content.decode()
    assert "「抽查比例」：150% 不在 0 到 1 之间" in page
    assert 'value="150%"' in page
    item.refresh_from_db()
    assert item.ratio == Decimal("0.2")
    response = signed_in("filler_other").post(
        url, {"action": "edit", "item": item.pk, **fields, "ratio": "30%"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.ratio == Decimal("0.3")
    page = signed_in("kg_head").post(url, {"action": "edit", "item": item.pk, **fields}).content.decode()
    assert "只有石家庄市鹿泉区科学技术和工业信息化局的填报员或系统管理员可以修改随机抽查事项" in page


def test_the_public_page_shows_the_source_sentence_and_older_versions(kegong):
    url = f"/d/{kegong.pk}/inspection/items/"
    assert "还没有发布随机抽查事项清单" in Client().get(url).content.decode()
    derived(kegong)
    catalog.publish_catalog(actor("kg_head"), kegong)
    catalog.new_draft(actor("filler_other"), kegong)
    catalog.edit_item(actor("filler_other"), catalog.find_item(kegong, 5), ratio="30%")
    catalog.publish_catalog(actor("kg_head"), kegong)
    page = Client().get(url).content.decode()
    assert "第 2 版 · 已发布" in page
    assert TRANSFER_SENTENCE in page and "<dd>30%</dd>" in page
    assert "抽查比例：原文为 20%（以上数值由部门修改，与原文不同）" in page
    assert '<a href="?version=1">第 1 版</a>：已被替代' in page
    old = Client().get(url + "?version=1").content.decode()
    assert "这是已被替代的旧版本" in old and "<dd>20%</dd>" in old and "部门改定" not in old
    assert Client().get(url + "?version=7").status_code == 404


def test_long_catalogues_are_paged_by_fifty(kegong):
    made = derived(kegong)
    InspectionItem.objects.bulk_create(
        InspectionItem(catalog=made, position=n, name=f"手工事项{n}") for n in range(7, 57)
    )
    catalog.publish_catalog(actor("kg_head"), kegong)
    url = f"/d/{kegong.pk}/inspection/items/"
    first, second = (Client().get(url, {"page": n}).content.decode() for n in (1, 2))
    assert ('id="item-50"' in first, 'id="item-51"' in first) == (True, False)
    assert ('id="item-56"' in second, "第 2 / 2 页（第 51–56 项，共 56 项）" in second) == (True, True)


def test_the_staff_api_derives_edits_and_publishes_with_chinese_refusals(kegong):
    from qingdan.core.accounts import create_token

    def call(method: str, path: str, user: str, body: dict | None = None):
        return getattr(Client(), method)(
            f"/api/v1/departments/{kegong.pk}/inspection-items{path}",
            *([] if method == "get" else [json.dumps(body or {})]),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {create_token(COMMAND_LINE, user)}",
        )

    made = call("post", "/derive", "filler_other")
    assert (made.status_code, made.json()["number"], len(made.json()["items"])) == (200, 1, 6)
    edited = call("patch", "/draft/items/2", "filler_other", {"ratio": 0.05, "min_inspectors": 3})
    assert (edited.json()["ratio_percent"], edited.json()["min_inspectors"]) == ("5%", 3)
    bad = call("patch", "/draft/items/2", "filler_other", {"ratio": "150%"})
    assert (bad.status_code, bad.json()["error"]["message"]) == (
        400,
        "「抽查比例」：150% 不在 0 到 1 之间（大于 0，至多 1，即 100%）。",
    )
    assert call("patch", "/draft/items/9", "filler_other", {"ratio": "1"}).status_code == 404
    assert call("post", "/publish", "filler_other").status_code == 403
    published = call("post", "/publish", "kg_head")
    assert (published.status_code, published.json()["state"]) == (200, "published")
    assert (
        call("get", "/draft", "filler_other")
        .json()["error"]["message"]
        .startswith(f"{LUQUAN_KEGONG}没有随机抽查事项清单草稿")
    )
