"""The real seed documents read completely, with their tricky rows as a person reads them."""

from __future__ import annotations

import pytest

from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.records import ListRecord
from tests.conftest import LUQUAN_KEGONG


@pytest.fixture
def luquan(seed_bytes) -> ListRecord:
    name, data = seed_bytes("000")
    return load_bytes(name, data, department=LUQUAN_KEGONG).record


@pytest.fixture
def luquan_old(seed_bytes) -> ListRecord:
    return load_bytes(*seed_bytes("001")).record


@pytest.fixture
def xiangyin(seed_bytes) -> ListRecord:
    return load_bytes(*seed_bytes("002")).record


def task(record: ListRecord, duty_no: str, text_start: str):
    duty = next(d for d in record.duties if d.no == duty_no)
    return next(t for t in duty.tasks if t.text.startswith(text_start))


def test_it_reads_every_duty_and_task_of_seed_000(luquan):
    assert len(luquan.duties) == 28
    assert [d.no for d in luquan.duties] == [str(n) for n in range(1, 29)]
    assert sum(len(d.tasks) for d in luquan.duties) == 109
    assert luquan.jurisdiction == "石家庄市鹿泉区"


def test_it_fills_merged_unit_cells_down_within_a_duty(luquan):
    assert {u for t in luquan.duties[1].tasks for u in t.units} == {"科技科"}
    assert len(luquan.duties[1].tasks) == 8
    # a new unit starts a new run: 发展科 then blank cells below it
    assert task(luquan, "15", "承担促进全区工业设计").units == ["发展科"]
    assert task(luquan, "15", "会同相关部门提出工业文化遗产").units == ["发展科"]
    assert task(luquan, "15", "承担减轻企业负担").units == ["运行科"]
    assert task(luquan, "16", "承担区级药品储备管理").units == ["电力信息科"]


def test_it_does_not_fill_down_across_duties(luquan):
    assert task(luquan, "18", "负责全区工业、民营经济").units == ["运行科"]
    assert task(luquan, "17", "组织拟订全区工业化发展战略").units == ["发展科"]  # written " 发展科"


def test_it_keeps_a_duty_whose_task_cell_is_blank(luquan):
    last = luquan.duties[-1]
    assert last.text == "完成区委、区政府交办的其他任务。"
    assert [(t.text, t.units) for t in last.tasks] == [("", ["各科室"])]


def test_it_reads_boundaries_with_one_department_per_share(luquan):
    matters = [b.matter for b in luquan.boundaries]
    assert len(matters) == 11
    assert matters.count("专项资金管理工作（包括上级政府和本级政府安排的具有专项用途资金）") == 2
    first = luquan.boundaries[0]
    assert [s.department for s in first.shares] == ["区财政局", "科工等区直专项资金业务主管部门", "区审计局"]
    # 相关依据 is merged down over the matter's rows
    assert first.shares[2].basis == first.shares[0].basis == "《预算法》、《河北省财政专项资金管理暂行办法》"


def test_it_starts_a_row_where_word_dropped_the_first_tab(luquan):
    tech = next(b for b in luquan.boundaries if b.matter == "技术合同认定登记")
    assert [s.department for s in tech.shares] == ["区科工局", "国家税务总局石家庄市鹿泉区税务局"]
    assert tech.shares[1].division.startswith("指导全区审核享受有关优惠政策的申请")
    epidemic = next(b for b in luquan.boundaries if b.matter == "重大动物疫情扑灭")
    assert len(epidemic.shares) == 10
    assert epidemic.shares[6].department == "区发改局（区商务局）"


def test_it_reads_regimes_written_as_prose_and_as_a_table_once(luquan):
    assert [r.matter for r in luquan.supervision] == [
        "对行政许可和非行政许可审批的监督管理",
        "对监控化学品企业的监督管理",
        "技术合同认定登记机构监督",
        "石家庄市鹿泉区科技领军人物和科技创新团队监管",
        "石家庄市鹿泉区技术转移机构监管",
        "区级科技计划课题监管",
    ]
    for regime in luquan.supervision:
        assert all(
            [
                regime.objects,
                regime.content,
                regime.methods,
                regime.measures,
                regime.procedure,
                regime.handling,
            ]
        )
    assert luquan.supervision[0].objects == "依法取得行政许可的被许可人"


def test_it_reads_the_department_named_in_seed_001(luquan_old):
    assert luquan_old.department == "石家庄市鹿泉区工业和信息化局"
    assert luquan_old.jurisdiction == "石家庄市鹿泉区"
    assert (len(luquan_old.duties), sum(len(d.tasks) for d in luquan_old.duties)) == (21, 55)


def test_it_follows_the_documents_note_that_remarks_name_the_unit(luquan_old):
    assert task(luquan_old, "17", "指导散装水泥工作").units == ["散装水泥办公室"]
    unit = luquan_old.unit("散装水泥办公室")
    assert unit is not None and unit.kind == "事业单位"


def test_it_reads_headers_broken_over_lines(luquan_old):
    assert [b.matter for b in luquan_old.boundaries][:2] == [
        "高考保障工作",
        "专项资金管理工作（包括上级政府和本级政府安排的具有专项用途资金）",
    ]
    assert luquan_old.boundaries[0].shares[1].department == "工信局"


def test_it_pairs_several_units_with_several_phones(luquan_old):
    visits = luquan_old.services[0]
    assert visits.units == ["运行一科", "运行二科"]
    assert visits.phones == ["82012711", "82012353"]
    assert luquan_old.unit("运行一科").phones == ["82012711"]
    assert luquan_old.unit("运行二科").phones == ["82012353"]


def test_it_learns_the_phone_directory_across_seed_002(xiangyin):
    phones = {u.name: u.phones for u in xiangyin.units}
    assert phones == {
        "办公室": ["2115518"],
        "知识产权办公室": ["2269700"],
        "高新产业化股": ["2269700"],
        "财计股": ["2115518"],
        "地震办公室": ["2115558"],
    }
    # the phone on duty 12's row belongs to 办公室, not to the 知识产权办公室 row below it
    assert task(xiangyin, "12", "负责全县科学技术奖").units == ["知识产权办公室"]
    assert task(xiangyin, "12", "开展科技金融结合").units == ["办公室"]


def test_it_skips_repeated_header_rows(xiangyin):
    assert [d.no for d in xiangyin.duties] == [str(n) for n in range(1, 17)]
    assert sum(len(d.tasks) for d in xiangyin.duties) == 72
    assert not any(t.text == "具体工作事项" for d in xiangyin.duties for t in d.tasks)


def test_it_splits_a_cell_naming_several_departments(xiangyin):
    shares = xiangyin.boundaries[1].shares
    assert [s.department for s in shares] == [
        "县科技局",
        "工商局",
        "文广新局",
        "农业局",
        "林业局",
        "县公安局",
        "县商务局",
    ]


def test_it_reads_a_regime_written_as_key_value_rows(xiangyin):
    (regime,) = xiangyin.supervision
    assert regime.matter == "对属地管理的行政执法职权的监督检查"
    assert "1. 经费管理使用情况" in regime.content
    assert "《中华人民共和国科技进步法》第六十七条" in regime.handling
    assert regime.procedure.startswith("1.抽查检查")


def test_it_names_the_jurisdiction_from_the_department(xiangyin):
    assert (xiangyin.department, xiangyin.jurisdiction) == ("湘阴县科技局", "湘阴县")


def test_it_asks_for_the_department_when_the_document_does_not_state_it(seed_bytes):
    with pytest.raises(IngestError) as exc:
        load_bytes(*seed_bytes("000"))
    assert "没有写明部门名称" in str(exc.value) and "--department" in str(exc.value)


@pytest.mark.parametrize(("prefix", "hint"), [("003", "行政执法责任制"), ("004", "预算")])
def test_it_explains_documents_that_are_not_lists(seed_bytes, prefix, hint):
    with pytest.raises(IngestError) as exc:
        load_bytes(*seed_bytes(prefix))
    message = str(exc.value)
    assert "没有找到责任清单的表格" in message and hint in message and prefix in message
