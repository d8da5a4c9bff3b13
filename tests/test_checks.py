"""清单体检 over the real seeds: each check finds the real instances, by their evidence text, and
leaves clean text alone. These run without the database: a check reads a ListRecord."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from qingdan.checks.context import CheckContext
from qingdan.checks.engine import check_record
from qingdan.ingest import load_bytes
from qingdan.ingest.records import (
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    RegimeRecord,
    ServiceRecord,
    ShareRecord,
    TaskRecord,
    UnitRecord,
)
from tests.conftest import LUQUAN_KEGONG


@pytest.fixture
def seed_record(seed_bytes):
    def load(prefix: str, replace: dict[str, str] | None = None) -> ListRecord:
        name, data = seed_bytes(prefix)
        text = data.decode("utf-8")
        for old, new in (replace or {}).items():
            text = text.replace(old, new)
        department = LUQUAN_KEGONG if prefix == "000" else ""
        return load_bytes(name, text.encode("utf-8"), department=department).record

    return load


def findings(record: ListRecord, check_id: str, **context):
    return check_record(CheckContext(record, **context), only=[check_id])


def evidence(record: ListRecord, check_id: str, **context) -> list[str]:
    return [f.evidence for f in findings(record, check_id, **context)]


def a_list(*tasks: str, **items) -> ListRecord:
    """A small clean list of 湘阴县科技局 whose first duty has ``tasks``."""
    record = ListRecord(
        department="湘阴县科技局",
        jurisdiction="湘阴县",
        units=[UnitRecord("办公室", phones=["0730-2115518"])],
        duties=[
            DutyRecord(
                "1", "负责全县科技工作", [TaskRecord(t, ["办公室"]) for t in tasks or ["制定全县科技政策"]]
            )
        ],
    )
    for key, value in items.items():
        setattr(record, key, value)
    return record


# --- 1. 模板替换痕迹 ------------------------------------------------------------------------


def test_it_finds_区场_where_the_district_copied_a_city_template(seed_record):
    found = " | ".join(evidence(seed_record("000"), "artifact.level-word"))
    for quoted in ("推进电力区场建设", "本区技术区场统计", "维护区场秩序", "交易区场", "生活必需品区场供应"):
        assert quoted in found


def test_it_finds_县场_and_县州_where_the_county_copied_a_city_template(seed_record):
    found = findings(seed_record("002"), "artifact.level-word")
    quoted = " | ".join(f.evidence for f in found)
    assert "专利行政执法及县场监督管理工作" in quoted
    assert "技术县场" in quoted and "省、县州、县科技部门" in quoted
    by_evidence = {f.evidence: f for f in found}
    duty7 = by_evidence["组织开展全县专利行政执法及县场监督管理工作"]
    assert (duty7.location.label, duty7.location.path, duty7.severity) == ("主要职责 7", "duties[6]", "error")
    assert duty7.suggestion == "改为「组织开展全县专利行政执法及市场监督管理工作」"
    assert duty7.department == "湘阴县科技局"


def test_it_reports_a_merged_cell_once_not_once_per_department(seed_record):
    found = findings(seed_record("000"), "artifact.level-word")
    order = [f for f in found if f.evidence == "维护区场秩序"]
    assert len(order) == 1 and order[0].location.label == "职责边界 10 / 相关部门 1「案例」"


@pytest.mark.parametrize(
    "text",
    [
        "加强社区场所安全管理",
        "全县场馆免费开放",
        "规范市场秩序",
        "小区场地改造",
        "景区场馆建设",
        "园区场地租赁",
    ],
)
def test_it_leaves_words_that_merely_contain_the_characters_alone(text):
    assert evidence(a_list(text), "artifact.level-word") == []


def test_it_flags_the_artifact_next_to_a_real_word(seed_record):
    assert evidence(a_list("维护社区场所和区场秩序"), "artifact.level-word") == ["维护社区场所和区场秩序"]


def test_a_clean_list_raises_no_artifact_finding(seed_record):
    clean = seed_record("002", {"县场": "市场", "县州": "市州"})
    assert evidence(clean, "artifact.level-word") == []
    assert evidence(seed_record("001"), "artifact.level-word") == []


# --- 2. 已撤销的机构 ------------------------------------------------------------------------


def test_it_names_the_agencies_abolished_in_2018_in_seed_002(seed_record):
    found = findings(seed_record("002"), "agency.defunct")
    departments = {f.evidence: f for f in found if f.location.label.endswith("「相关部门」")}
    assert set(departments) == {"工商局", "文广新局", "农业局", "林业局"}
    assert "市场监督管理局" in departments["工商局"].suggestion
    assert "2018-03-17" in departments["工商局"].message
    assert "农业农村局" in departments["农业局"].suggestion
    # county 林业局 still exist in places: a hint, not a warning
    assert (departments["农业局"].severity, departments["林业局"].severity) == ("warning", "info")
    quoted = " | ".join(f.evidence for f in found)
    assert "工商局组织实施商标监督管理工作" in quoted and "由工商行政管理局负责处理" in quoted


def test_it_names_安监局_in_seed_001(seed_record):
    found = {f.evidence: f for f in findings(seed_record("001"), "agency.defunct")}
    assert "应急管理局" in found["安监局"].suggestion
    assert found["安监局"].location.label == "职责边界 5 / 相关部门 1「相关部门」"


@pytest.mark.parametrize(
    "text",
    [
        "配合原工商局移交档案",
        "根据原县工商局的意见",
        "执行《国家工商总局关于市场主体的通知》",
        "会同文化和旅游局",
    ],
)
def test_it_accepts_agencies_named_as_former_or_inside_titles(text):
    assert evidence(a_list(text), "agency.defunct") == []


def test_it_flags_a_place_name_that_only_looks_like_原(seed_record):
    assert evidence(a_list("配合太原市工商局"), "agency.defunct") == ["配合太原市工商局"]


# --- 3. 废止和修改的法律 ---------------------------------------------------------------------


def contract_law_list(basis: str) -> ListRecord:
    share = ShareRecord("县科技局", "负责技术合同认定登记", basis)
    return a_list(boundaries=[BoundaryRecord("技术合同认定登记", [share])])


@pytest.mark.parametrize(
    "basis", ["《中华人民共和国合同法》第三百二十二条", "《合同法》、《技术合同认定登记管理办法》"]
)
@pytest.mark.django_db  # the law checks read the law registry
def test_it_flags_a_law_the_civil_code_replaced(basis):
    [finding] = findings(contract_law_list(basis), "law.repealed")
    assert finding.severity == "error"
    assert "2021-01-01" in finding.message and "民法典第1260条" in finding.message
    assert "《中华人民共和国民法典》" in finding.suggestion
    assert finding.location.label == "职责边界 1 / 相关部门 1「相关依据」"


@pytest.mark.django_db  # the law checks read the law registry
def test_it_does_not_flag_laws_in_force():
    assert findings(contract_law_list("《中华人民共和国民法典》第八百四十三条"), "law.repealed") == []


@pytest.mark.django_db  # the law checks read the law registry
def test_it_notes_laws_amended_after_the_list_was_published(seed_record):
    record = seed_record("002")
    amended = {f.evidence: f for f in findings(record, "law.amended", published=date(2018, 6, 1))}
    for title in ("专利法", "商标法", "著作权法", "刑法", "科技进步法"):
        assert f"《中华人民共和国{title}》" in amended
    assert amended["《中华人民共和国专利法》"].severity == "info"
    assert "2020-10-17" in amended["《中华人民共和国专利法》"].message
    assert findings(record, "law.amended", published=date(2024, 6, 1)) == []
    assert findings(record, "law.amended") == []  # publication day unknown: nothing to compare


# --- 4. 地名 --------------------------------------------------------------------------------


def test_it_flags_the_old_name_of_this_jurisdiction(seed_record):
    record = seed_record("001")
    record.duties[0].tasks[0].text = "执行《鹿泉市工业和信息化局行政处罚自由裁量权实施办法》"
    [finding] = findings(record, "place.old-name")
    assert finding.evidence == "执行《鹿泉市工业和信息化局行政处罚自由裁量权实施办法》"
    assert "本地区的旧称" in finding.message and "改为「鹿泉区」" in finding.suggestion
    assert findings(seed_record("001"), "place.old-name") == []


def test_it_flags_another_jurisdictions_name_but_not_its_own_city(seed_record):
    record = seed_record("000")
    record.duties[0].tasks[0].text = "参照湘阴县科技局的做法，负责石家庄市鹿泉区科技创新工作"
    others = ("湘阴县", "石家庄市")
    [finding] = findings(record, "place.foreign", other_jurisdictions=others)
    assert finding.evidence == "参照湘阴县科技局的做法" and "湘阴县" in finding.message
    assert findings(seed_record("000"), "place.foreign", other_jurisdictions=others) == []


def test_it_flags_a_county_word_in_a_district_list(seed_record):
    assert evidence(seed_record("000"), "place.level-word") == []
    assert evidence(seed_record("002"), "place.level-word") == []
    record = seed_record("002")
    record.duties[0].tasks[0].text = "制定全区科技政策性文件"
    [finding] = findings(record, "place.level-word")
    assert finding.evidence == "制定全区科技政策性文件" and finding.suggestion == "改为「全县」"


# --- 5. 结构 --------------------------------------------------------------------------------


def test_it_finds_the_boundary_matter_entered_twice_in_seed_000(seed_record):
    [finding] = findings(seed_record("000"), "structure.duplicate-boundary")
    assert finding.location.label == "职责边界 9"
    assert finding.evidence.startswith("专项资金管理工作")
    assert "职责边界 1" in finding.message and "不一致" in finding.message


def test_it_finds_the_sentence_pasted_twice_into_a_regime_cell_of_seed_000(seed_record):
    [finding] = findings(seed_record("000"), "structure.repeated-sentence")
    assert finding.evidence.startswith("违反《条例》规定，使用监控化学品的")
    assert finding.location.label == "事中事后监管制度 2「监督检查程序」"


def test_it_finds_a_word_typed_twice_but_not_two_words_that_share_characters(seed_record):
    assert evidence(seed_record("000"), "structure.doubled-word") == [
        "并负责科技研发项目绩效绩效评价及监督检查工作"
    ]
    assert evidence(a_list("支持中小企业创业创新"), "structure.doubled-word") == []


def test_it_notes_units_without_phones(seed_record):
    [whole] = findings(seed_record("000"), "structure.unit-without-phone")
    assert whole.location.label == "整份清单" and "科技科" in whole.evidence
    some = evidence(seed_record("001"), "structure.unit-without-phone")
    assert "电力科" in some and "运行一科" not in some
    assert findings(seed_record("002"), "structure.unit-without-phone") == []


def test_it_notes_the_same_task_under_two_duties_of_seed_000(seed_record):
    [finding] = findings(seed_record("000"), "structure.duplicate-task")
    assert finding.evidence == "组织实施相关行业的技术规范和标准。"
    assert (finding.location.label, finding.severity) == ("主要职责 20 / 具体工作事项 6", "info")


def test_it_warns_about_the_same_task_twice_in_one_duty():
    [finding] = findings(a_list("制定政策", "组织培训", "制定政策。"), "structure.duplicate-task")
    assert finding.severity == "warning" and "主要职责 1 / 具体工作事项 1" in finding.message


def test_it_finds_duties_without_tasks_but_not_the_catch_all_duty(seed_record):
    assert findings(seed_record("000"), "structure.duty-without-task") == []  # 28: 交办的其他任务
    record = a_list()
    record.duties.append(DutyRecord("2", "负责全县防震减灾工作", []))
    [finding] = findings(record, "structure.duty-without-task")
    assert finding.location.label == "主要职责 2"


def test_it_finds_tasks_without_a_responsible_unit():
    record = a_list()
    record.duties[0].tasks.append(TaskRecord("组织科技宣传", []))
    [finding] = findings(record, "structure.task-without-unit")
    assert (finding.location.path, finding.severity) == ("duties[0].tasks[1]", "error")


def test_it_finds_malformed_phones_and_duplicate_duties():
    record = a_list()
    record.units.append(UnitRecord("财计股", phones=["211551"]))
    record.duties.append(DutyRecord("2", "负责全县科技工作。", [TaskRecord("统计", ["办公室"])]))
    assert evidence(record, "structure.malformed-phone") == ["211551"]
    assert evidence(record, "structure.duplicate-duty") == ["负责全县科技工作。"]


def test_it_finds_boundaries_that_leave_out_the_own_department(seed_record):
    for prefix in ("000", "001", "002"):  # 区科工局, 工信局, 县科技局 and 「发改、科工、文化等…」 are ours
        assert findings(seed_record(prefix), "structure.boundary-without-own") == []
    shares = [ShareRecord("县财政局", "负责资金"), ShareRecord("县审计局", "负责审计")]
    record = a_list(boundaries=[BoundaryRecord("专项资金管理", shares)])
    [finding] = findings(record, "structure.boundary-without-own")
    assert finding.evidence == "专项资金管理" and "县财政局、县审计局" in finding.message


def test_it_finds_services_without_a_unit_or_phone():
    services = [
        ServiceRecord("科技咨询", units=["办公室"]),  # the unit's phone will do
        ServiceRecord("专利检索", units=[]),
    ]
    record = a_list(services=services)
    [finding] = findings(record, "structure.service-without-contact")
    assert finding.evidence == "专利检索" and "承办科室和联系电话" in finding.message


def test_it_finds_regimes_missing_one_of_their_six_parts(seed_record):
    assert findings(seed_record("000"), "structure.regime-incomplete") == []
    regime = RegimeRecord("科技计划项目监管", "项目承担单位", "经费使用", "抽查", "", "检查程序", "")
    [finding] = findings(a_list(supervision=[regime]), "structure.regime-incomplete")
    assert finding.message.endswith("缺少：监督检查措施、监督检查处理")


def test_a_clean_list_has_no_findings_at_all():
    record = a_list("制定全县科技政策性文件", "组织实施科技法律、法规和规章")
    assert check_record(CheckContext(copy.deepcopy(record), published=date(2026, 1, 1))) == []


@pytest.mark.django_db  # the law checks read the law registry
def test_findings_come_grouped_by_check_errors_first_with_a_stable_fingerprint(seed_record):
    found = check_record(CheckContext(seed_record("002"), published=date(2018, 6, 1)))
    ids = [f.check_id for f in found]
    assert ids == ["artifact.level-word"] * 6 + ["agency.defunct"] * 9 + ["law.amended"] * 6
    # a finding keeps its own severity and its check's place
    assert (found[14].evidence, found[14].severity) == ("林业局", "info")
    again = check_record(CheckContext(seed_record("002"), published=date(2018, 6, 1)))
    assert [f.fingerprint for f in found] == [f.fingerprint for f in again]
    assert len({f.fingerprint for f in found}) == len(found)
