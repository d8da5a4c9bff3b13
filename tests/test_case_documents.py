"""执法文书: every kind made from a case built with fixture data and read back with python-docx;
templates uploaded, checked, refused when hostile, replaced and removed; who may; the CLI, the
API and the pages; LibreOffice opens a generated document.

The case is built by setting the models' fields directly (the case services are written
elsewhere): what matters here is that what the case holds comes out in the documents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from click.testing import CliRunner
from docx import Document

from qingdan.cases import states
from qingdan.cases.document_forms import default_template
from qingdan.cases.documents import (
    KIND_LABELS,
    available_kinds,
    build_context,
    cn_date,
    context,
    facts_of,
    major_filing_report,
    make_document,
    money,
    remove_template,
    sample_context,
    template_for,
    upload_template,
    upper_money,
)
from qingdan.cases.models import (
    CaseAction,
    CaseDeadline,
    CaseDocument,
    CaseOfficer,
    CaseRole,
    CaseRules,
    Discussion,
    DocumentTemplate,
    Evidence,
    Hearing,
    Payment,
    PenaltyCase,
)
from qingdan.cli import main
from qingdan.core.accounts import create_user
from qingdan.core.models import AuditEntry, Department, Jurisdiction
from qingdan.core.permissions import COMMAND_LINE, PUBLIC, actor_of
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError
from tests.conftest import actor, password_of

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)
CASE_KINDS = [k for k in KIND_LABELS if k not in ("major_filing_report", "on_the_spot_decision")]
# what each approval said, so a form shows the right opinion in the right row
OPINIONS = {
    ("submit_filing", "officer"): "建议立案调查",
    ("review_filing", "unit_head"): "科室审核同意立案",
    ("review_filing", "deputy"): "主管局长同意立案",
    ("approve_filing", "head"): "批准立案，由张三、李四承办",
    ("record_statement", "officer"): "当事人申辩称财务人员离职",
    ("submit_decision", "officer"): "建议罚款八千元",
    ("review_decision", "unit_head"): "科室审核同意处罚意见",
    ("legal_review", "legal"): "法制审核：事实清楚，证据确凿，适用依据正确",
    ("decide", "head"): "同意给予警告并罚款八千元",
    ("close", "officer"): "罚款已缴清，建议结案",
}


def full_case(department: Department, stage: str = states.CLOSED, **fields) -> PenaltyCase:
    """A 重大 case of ``department`` carried to ``stage`` with every part filled: two officers,
    the approvals with opinions, evidence, a hearing, a discussion, a payment."""
    CaseRules.objects.get_or_create(department=department, defaults={"number_prefix": "鹿工信罚"})
    seq = PenaltyCase.objects.filter(department=department).count() + 3
    values = {
        "department": department,
        "stage": stage,
        "number": f"鹿工信罚〔2026〕{seq}号",
        "number_year": 2026,
        "number_seq": seq,
        "title": "未按规定报送统计资料案",
        "source": "inspection",
        "occurred_on": DAY,
        "unit": "执法科",
        "party_kind": PenaltyCase.ORGANISATION,
        "party_name": "石家庄示例机械有限公司",
        "party_id_number": "91130185MA0ABCDE1X",
        "party_representative": "王大明",
        "party_address": "鹿泉区工业路 8 号",
        "party_phone": "0311-82000000",
        "facts": "当事人于2026年1月至2月未按规定报送统计资料，经责令改正逾期仍未改正。",
        "basis": "《河北省统计管理条例》第三十条",
        "proposed_min": Decimal("5000"),
        "proposed_max": Decimal("10000"),
        "proposed_amount": Decimal("8000"),
        "proposed_kinds": ["warning", "fine"],
        "notified_amount": Decimal("8000"),
        "is_major": True,
        "hearing_triggers": ["large_fine"],
        "decision": PenaltyCase.PENALTY,
        "penalty_kinds": ["warning", "fine"],
        "fine_amount": Decimal("8000"),
        "decided_on": dt.date(2026, 4, 20),
        "served_on": dt.date(2026, 4, 22),
        "service_method": "direct",
        "closed_on": dt.date(2026, 5, 10),
        "closure_report": "罚款已于2026年5月6日缴清。",
    } | fields
    case = PenaltyCase.objects.create(**values)
    for number, name in enumerate(["张三", "李四"], 1):
        officer, _ = Officer.objects.get_or_create(
            department=department,
            name=name,
            defaults={"certificate_number": f"1301000{number}", "unit": "执法科"},
        )
        for role in (CaseOfficer.INSPECTOR, CaseOfficer.HANDLER):
            CaseOfficer.objects.create(case=case, officer=officer, role=role)
    CaseAction.objects.create(
        case=case,
        move="record_inspection",
        stage_before=states.DISCOVERED,
        stage_after=states.DISCOVERED,
        role="officer",
        actor_name="张三",
        on=DAY,
        data={"地点": "当事人生产车间", "笔录": "现场未见统计台账。"},
    )
    CaseAction.objects.create(
        case=case,
        move="order_correction",
        stage_before=states.DISCOVERED,
        stage_after=states.DISCOVERED,
        role="officer",
        actor_name="张三",
        on=DAY,
        data={"改正期限": "2026-03-15", "责令改正": "按规定报送统计资料"},
    )
    for (move, role), opinion in OPINIONS.items():
        name = {
            "officer": "张三",
            "unit_head": "赵科长",
            "deputy": "钱副局长",
            "head": "孙局长",
            "legal": "周法制",
        }
        CaseAction.objects.create(
            case=case,
            move=move,
            stage_before=stage,
            stage_after=stage,
            role=role,
            actor_name=name[role],
            opinion=opinion,
            outcome=CaseAction.AGREE,
            on=dt.date(2026, 3, 6),
        )
    Evidence.objects.create(
        case=case,
        position=1,
        kind="documentary",
        title="统计报表报送记录",
        description="证明未报送",
        collected_on=DAY,
        added_by_name="张三",
    )
    Hearing.objects.create(
        case=case,
        requested_on=dt.date(2026, 3, 20),
        notified_on=dt.date(2026, 3, 23),
        held_on=dt.date(2026, 4, 2),
        recorded_on=dt.date(2026, 4, 2),
        place="局三楼会议室",
        presider="吴主持",
        record="当事人称因财务人员离职未及时报送。",
        attendees=[{"name": "王大明", "title": "法定代表人"}],
    )
    Discussion.objects.create(
        case=case,
        held_on=dt.date(2026, 4, 15),
        presider="孙局长",
        attendees=[{"name": "钱副局长", "title": "副局长", "view": "同意罚款八千元"}],
        conclusion="集体讨论同意给予警告并罚款八千元",
        recorded_by_name="李四",
    )
    Payment.objects.create(
        case=case, paid_on=dt.date(2026, 5, 6), amount=Decimal("8000"), recorded_by_name="张三"
    )
    CaseDeadline.objects.create(
        department=department,
        case=case,
        rule="filing",
        label="立案",
        basis="seed 001 三(二)1",
        start=DAY,
        days=7,
        unit="calendar",
        due=dt.date(2026, 3, 12),
    )
    return case


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, as python-docx reads it."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def office():
    """One department (with a 填报员), another department, an administrator, a case-role user."""
    place = Jurisdiction.objects.create(name="鹿泉区")
    department = Department.objects.create(name="鹿泉区工业和信息化局", jurisdiction=place)
    other_place = Jurisdiction.objects.create(name="湘阴县")
    other = Department.objects.create(name="湘阴县科技局", jurisdiction=other_place)
    for username, role, dept, where in [
        ("filler", "filler", department, None),
        ("filler_other", "filler", other, None),
        ("legal", "legal", department, None),
        ("legal_other", "legal", other, None),
        ("admin", "admin", None, None),
    ]:
        create_user(COMMAND_LINE, username, role, dept, where, password=password_of(username))
    from django.contrib.auth import get_user_model

    officer_user = get_user_model().objects.create_user("zhangsan", password=password_of("zhangsan"))
    CaseRole.objects.create(department=department, user=officer_user, role=CaseRole.OFFICER)
    return {"department": department, "other": other, "officer_user": officer_user}


# --- every kind ---------------------------------------------------------------------------


def test_every_kind_renders_with_the_case_number_party_amounts_and_approvals(office):
    case = full_case(office["department"])
    made = {}
    for kind in CASE_KINDS:
        document = make_document(actor("admin"), case, kind)
        content = bytes(document.content)
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.template_sha256 == hashlib.sha256(default_template(kind)).hexdigest()
        text = docx_text(content)
        assert case.number in text, kind
        assert "鹿泉区工业和信息化局" in text, kind
        made[kind] = text
    for kind in CASE_KINDS:
        if kind not in ("hearing_record", "discussion_record"):
            assert "石家庄示例机械有限公司" in made[kind], kind
    for opinion in list(OPINIONS.values())[:4]:
        assert opinion in made["filing_form"]
    for opinion in list(OPINIONS.values())[5:9]:
        assert opinion in made["decision_form"]
    assert "赵科长" in made["filing_form"] and "2026年3月6日" in made["filing_form"]
    assert "集体讨论同意给予警告并罚款八千元" in made["decision_form"]
    assert "罚款8,000.00元（捌仟元整）" in made["decision"]
    assert "六十日内依法向鹿泉区人民政府申请行政复议" in made["decision"]
    assert "六个月内" in made["decision"]
    assert "8,000.00元" in made["penalty_notice"] and "有权要求举行听证" in made["penalty_notice"]
    assert "统计报表报送记录" in made["investigation_report"]
    assert "当事人称因财务人员离职未及时报送。" in made["hearing_record"]
    assert "钱副局长（副局长）：同意罚款八千元" in made["discussion_record"]
    assert "直接送达" in made["service_receipt"] and "2026年4月22日" in made["service_receipt"]
    assert "2026年5月6日缴纳罚款8,000.00元" in made["closure_report"]
    assert "当事人生产车间" in made["inspection_record"]
    assert "2026年3月15日前改正" in made["correction_order"]
    assert CaseDocument.objects.filter(case=case).count() == len(CASE_KINDS)
    audit = AuditEntry.objects.filter(action="case_document", object_id=str(case.pk))
    assert audit.count() == len(CASE_KINDS)


def test_the_simple_procedure_makes_an_on_the_spot_decision(office):
    case = full_case(
        office["department"],
        stage=states.SERVED,
        procedure=PenaltyCase.SIMPLE,
        fine_amount=Decimal("200"),
        party_kind=PenaltyCase.PERSON,
        party_name="刘某",
    )
    text = docx_text(bytes(make_document(actor("admin"), case, "on_the_spot_decision").content))
    assert "当场行政处罚决定书" in text and "刘某" in text and "罚款200.00元（贰佰元整）" in text
    assert "张三（执法证号 13010001）" in text
    with pytest.raises(QingdanError, match="简易程序案件没有「立案审批表」"):
        make_document(actor("admin"), case, "filing_form")


def test_a_kind_not_yet_available_at_the_stage_is_refused_in_chinese(office):
    case = full_case(office["department"], stage=states.INVESTIGATING, decision="", decided_on=None)
    with pytest.raises(QingdanError, match="案件处于「调查取证」阶段，还不能制作「行政处罚决定书」"):
        make_document(actor("admin"), case, "decision")
    kinds = [k for k, _ in available_kinds(case)]
    assert "filing_form" in kinds and "penalty_notice" in kinds and "decision" not in kinds
    not_filed = full_case(office["department"], stage=states.NOT_FILED)
    with pytest.raises(QingdanError, match="还不能制作「行政处罚事先告知书」"):
        make_document(actor("admin"), not_filed, "penalty_notice")
    with pytest.raises(QingdanError, match="没有「nonsense」这种文书"):
        make_document(actor("admin"), case, "nonsense")
    assert not CaseDocument.objects.exists()


def test_a_no_penalty_decision_has_its_own_title(office):
    case = full_case(
        office["department"], decision=PenaltyCase.NO_PENALTY, fine_amount=None, penalty_kinds=[]
    )
    text = docx_text(bytes(make_document(actor("admin"), case, "decision").content))
    assert "不予行政处罚决定书" in text
    assert "加处罚款" not in text


def test_the_half_year_major_filing_report_lists_the_major_cases_decided_in_it(office):
    department = office["department"]
    first = full_case(department, decided_on=dt.date(2026, 2, 1))
    second = full_case(department, decided_on=dt.date(2026, 6, 30), party_name="第二家公司")
    later = full_case(department, decided_on=dt.date(2026, 7, 1), party_name="下半年的公司")
    minor = full_case(department, decided_on=dt.date(2026, 3, 1), is_major=False, party_name="一般案件公司")
    text = docx_text(major_filing_report(actor("admin"), department, 2026, 1))
    assert first.number in text and second.number in text
    assert later.number not in text and minor.number not in text
    assert "2026年上半年" in text and "共2件" in text and "16,000.00元" in text
    assert "鹿泉区人民政府" in text
    with pytest.raises(QingdanError, match="半年度只能是 1"):
        major_filing_report(actor("admin"), department, 2026, 3)
    with pytest.raises(QingdanError, match="无权"):
        major_filing_report(actor("filler_other"), department, 2026, 1)


# --- the context --------------------------------------------------------------------------


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def test_the_sample_a_template_is_checked_against_has_the_names_a_real_case_has(office):
    real = _shape(context(full_case(office["department"])))
    assert real == _shape(sample_context("decision"))


def test_the_context_writes_dates_money_and_empty_slots_in_chinese(office):
    case = full_case(office["department"], stage=states.DISCOVERED)
    CaseAction.objects.filter(case=case).exclude(move__in=["record_inspection", "order_correction"]).delete()
    values = context(case)
    assert values["filing"]["head"] == {"name": "", "opinion": "", "outcome": "", "date": "", "role": ""}
    assert values["case"]["occurred_on"] == "2026年3月5日"
    assert values["case"]["proposed_range"] == "5,000.00元至10,000.00元"
    assert values["officers"]["handlers_text"] == "张三（执法证号 13010001）、李四（执法证号 13010002）"
    assert cn_date(dt.date(2026, 12, 31)) == "2026年12月31日"
    assert money(Decimal("1234")) == "1,234.00元"
    assert upper_money(Decimal("10010.05")) == "壹万零壹拾元零伍分"
    assert upper_money(Decimal("0.50")) == "伍角"
    assert upper_money(Decimal("100000001")) == "壹亿零壹元整"


def test_a_return_and_a_second_approval_show_the_newest_opinion(office):
    case = full_case(office["department"])
    CaseAction.objects.create(
        case=case,
        move="review_filing",
        stage_before=states.FILING,
        stage_after=states.FILING,
        role="unit_head",
        actor_name="赵科长",
        opinion="补充材料后同意",
        on=dt.date(2026, 3, 9),
    )
    filing = build_context(facts_of(case))["filing"]
    assert filing["unit_head"]["opinion"] == "补充材料后同意"
    assert filing["unit_head"]["date"] == "2026年3月9日"


def test_text_with_markup_and_control_characters_stays_text(office):
    case = full_case(office["department"], facts="<w:p>&amp; 违法事实\x07\x0c 结束", party_name="A&B <公司>")
    text = docx_text(bytes(make_document(actor("admin"), case, "penalty_notice").content))
    assert "<w:p>&amp; 违法事实 结束" in text
    assert "A&B <公司>" in text


# --- templates ----------------------------------------------------------------------------


def edited(kind: str, *lines: str) -> bytes:
    """The default template of ``kind`` with paragraphs added at the end."""
    document = Document(io.BytesIO(default_template(kind)))
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_uploaded_template_replaces_the_default_and_its_sha_is_recorded(office):
    department = office["department"]
    case = full_case(department)
    shared = edited("decision", "共用模板的落款：{{ department.name }}")
    upload_template(actor("admin"), "decision", "决定书.docx", shared)
    document = make_document(actor("admin"), case, "decision")
    assert document.template_sha256 == hashlib.sha256(shared).hexdigest()
    assert "共用模板的落款：鹿泉区工业和信息化局" in docx_text(bytes(document.content))

    own = edited("decision", "本部门模板：{{ case.number }}")
    upload_template(actor("filler"), "decision", "本局决定书.docx", own, department)
    document = make_document(actor("filler"), case, "decision")
    assert document.template_sha256 == hashlib.sha256(own).hexdigest()
    assert f"本部门模板：{case.number}" in docx_text(bytes(document.content))
    assert template_for(office["other"], "decision").source == "共用"

    replacement = edited("decision", "第二版：{{ party.name }}")
    upload_template(actor("filler"), "decision", "第二版.docx", replacement, department)
    assert DocumentTemplate.objects.filter(department=department, kind="decision").count() == 1
    assert template_for(department, "decision").sha256 == hashlib.sha256(replacement).hexdigest()

    remove_template(actor("filler"), "decision", department)
    assert template_for(department, "decision").source == "共用"
    remove_template(actor("admin"), "decision")
    assert template_for(department, "decision").source == "默认"
    with pytest.raises(QingdanError, match="没有上传过「行政处罚决定书」模板"):
        remove_template(actor("admin"), "decision")
    actions = list(AuditEntry.objects.filter(object_type="documenttemplate").values_list("action", flat=True))
    assert actions == [
        "template_upload",
        "template_upload",
        "template_upload",
        "template_remove",
        "template_remove",
    ]


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_entries(content: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    entries = {i.filename: source.read(i.filename) for i in source.infolist()}
    return zipped(entries | (replace or {}) | extra)


HOSTILE = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "不允许的内容"),
    ("{{ case.__class__ }}", "不允许的内容"),
    ("{% import os %}", "模板"),
    ("{% import 'os' as os %}", "不能使用此写法"),
    ("{% include 'secrets.txt' %}", "不能使用此写法"),
    ("{{ 'x' * 100000000 }}", "不允许的内容"),
    ("{{ case.title|attr('__class__') }}", "不允许的过滤器「attr」"),
    ("{{ range(10) }}", "未知的名称：「range」"),
    ("{{ lipsum() }}", "未知的名称：「lipsum」"),
    ("{{ case.nmber }} {{ secret }}", "未知的名称：「secret」"),
    ("{{ case.nmber }}", "不存在的名称「nmber」"),
    ("{{ case.title.upper.__globals__ }}", "不允许的内容"),
    ("{{ evidence.pop() }}", "不允许的内容"),
    ("{{ case.clear() }}", "不允许的内容"),
    ("{{ unclosed", "语法错误"),
]


@pytest.mark.parametrize(("line", "message"), HOSTILE)
def test_a_template_that_tries_to_run_code_or_uses_unknown_names_is_refused(office, line, message):
    with pytest.raises(QingdanError, match=message) as refused:
        upload_template(actor("admin"), "decision", "坏模板.docx", edited("decision", line))
    assert "坏模板.docx" in refused.value.message
    assert not DocumentTemplate.objects.exists()


ENTITY_XML = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


def test_files_that_are_not_plain_docx_are_refused(office, settings):
    good = default_template("decision")
    docm = with_entries(good, {"word/vbaProject.bin": b"\x00" * 100})
    macro_types = with_entries(
        good,
        {},
        {
            "[Content_Types].xml": zipfile.ZipFile(io.BytesIO(good))
            .read("[Content_Types].xml")
            .replace(b"document.main+xml", b"document.macroEnabled.main+xml")
        },
    )
    cases = [
        ("宏.docx", docm, "含有宏"),
        ("宏类型.docx", macro_types, "含有宏"),
        ("宏.docm", good, "启用宏的文档"),
        ("文本.docx", "这不是 Word 文件".encode(), "无法作为 zip 文件读取"),
        ("空.docx", b"", "无法作为 zip 文件读取"),
        ("表格.docx", zipped({"xl/workbook.xml": b"<workbook/>"}), "缺少 word/document.xml"),
        ("实体.docx", with_entries(good, {}, {"word/document.xml": ENTITY_XML}), "含有 DOCTYPE 声明"),
    ]
    for name, content, message in cases:
        with pytest.raises(QingdanError, match=message):
            upload_template(actor("admin"), "decision", name, content)
    settings.QINGDAN_TEMPLATE_MAX_BYTES = 200_000
    bomb = with_entries(good, {"word/media/padding.bin": b"\x00" * 5_000_000})
    assert len(bomb) < 200_000
    with pytest.raises(QingdanError, match="压缩炸弹"):
        upload_template(actor("admin"), "decision", "炸弹.docx", bomb)
    settings.QINGDAN_TEMPLATE_MAX_BYTES = 10_000
    with pytest.raises(QingdanError, match="超过模板大小上限"):
        upload_template(actor("admin"), "decision", "大.docx", good)
    assert not DocumentTemplate.objects.exists()


def test_every_default_passes_the_upload_check(office):
    for kind in KIND_LABELS:
        upload_template(actor("admin"), kind, f"{kind}.docx", default_template(kind))
    assert DocumentTemplate.objects.filter(department=None).count() == len(KIND_LABELS)


def test_the_defaults_are_the_same_bytes_on_every_build():
    from qingdan.cases.document_forms import BUILDERS

    assert BUILDERS["decision"]().bytes() == BUILDERS["decision"]().bytes()


# --- who may ------------------------------------------------------------------------------


def test_who_may_make_documents_and_upload_templates(office):
    department = office["department"]
    case = full_case(department)
    for username in ("filler", "legal", "admin"):
        make_document(actor(username), case, "decision")
    make_document(actor_of(office["officer_user"]), case, "decision")
    for who in (actor("filler_other"), actor("legal_other"), PUBLIC):
        with pytest.raises(QingdanError, match="无权"):
            make_document(who, case, "decision")
    content = edited("decision", "本局")
    with pytest.raises(QingdanError, match="无权上传共用的"):
        upload_template(actor("filler"), "decision", "a.docx", content)
    with pytest.raises(QingdanError, match="无权上传鹿泉区工业和信息化局的"):
        upload_template(actor("filler_other"), "decision", "a.docx", content, department)
    with pytest.raises(QingdanError, match="无权"):
        upload_template(actor("legal"), "decision", "a.docx", content, department)
    assert CaseDocument.objects.count() == 4


# --- command line, API, pages -------------------------------------------------------------


def test_the_cli_makes_a_document_lists_exports_uploads_removes_and_reports(office, tmp_path):
    case = full_case(office["department"])
    runner = CliRunner()
    out = tmp_path / "决定书.docx"
    result = runner.invoke(main, ["cases", "document", case.number, "decision", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert case.number in docx_text(out.read_bytes())
    result = runner.invoke(main, ["cases", "document", str(case.pk), "nonsense"])
    assert result.exit_code == 1 and "没有「nonsense」这种文书" in result.output

    exported = tmp_path / "模板.docx"
    assert runner.invoke(main, ["templates", "export", "decision", "-o", str(exported)]).exit_code == 0
    assert exported.read_bytes() == default_template("decision")
    changed = tmp_path / "改.docx"
    changed.write_bytes(edited("decision", "改过的模板 {{ case.number }}"))
    result = runner.invoke(main, ["templates", "upload", "decision", str(changed)])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(main, ["templates", "list"]).output
    assert "行政处罚决定书：共用模板 改.docx" in listing
    bad = tmp_path / "坏.docx"
    bad.write_bytes(edited("decision", "{{ ''.__class__ }}"))
    result = runner.invoke(main, ["templates", "upload", "decision", str(bad)])
    assert result.exit_code == 1 and "不允许的内容" in result.output
    assert runner.invoke(main, ["templates", "remove", "decision"]).exit_code == 0
    assert "行政处罚决定书：默认模板" in runner.invoke(main, ["templates", "list"]).output

    report = tmp_path / "备案.docx"
    args = ["cases", "report", "鹿泉区工业和信息化局", "--year", "2026", "--half", "1", "-o", str(report)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert case.number in docx_text(report.read_bytes())
    refused = runner.invoke(main, ["--user", "filler_other", "cases", "document", case.number, "decision"])
    assert refused.exit_code == 1 and "无权" in refused.output


def test_the_api_makes_on_post_and_downloads_on_get(office, client):
    from qingdan.core.accounts import create_token

    case = full_case(office["department"])
    token = create_token(COMMAND_LINE, "filler")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/cases/{case.pk}/documents/decision"
    missing = client.get(url, **auth)
    assert missing.status_code == 404 and "还没有制作过" in missing.json()["error"]["message"]
    made = client.post(url, **auth)
    assert made.status_code == 200 and made["Content-Type"].startswith("application/vnd.openxmlformats")
    assert case.number in docx_text(made.content)
    got = client.get(url, **auth)
    assert got.content == made.content and got["X-Content-SHA256"] == hashlib.sha256(got.content).hexdigest()
    other = create_token(COMMAND_LINE, "filler_other")
    refused = client.post(url, HTTP_AUTHORIZATION=f"Bearer {other}")
    assert refused.status_code == 403
    early = client.post(f"/api/v1/cases/{case.pk}/documents/major_filing_report", **auth)
    assert early.status_code == 400
    assert CaseDocument.objects.count() == 1

    admin = {"HTTP_AUTHORIZATION": f"Bearer {create_token(COMMAND_LINE, 'admin')}"}
    upload = io.BytesIO(edited("decision", "API 模板"))
    upload.name = "api.docx"
    response = client.post("/api/v1/templates/decision", {"file": upload}, **admin)
    assert response.status_code == 200, response.content
    assert response.json()["sha256"] == template_for(None, "decision").sha256
    assert client.delete("/api/v1/templates/decision", **admin).status_code == 200
    assert template_for(None, "decision").source == "默认"


def test_the_pages_make_download_and_manage_templates(office, client):
    case = full_case(office["department"])
    client.login(username="filler", password=password_of("filler"))
    page = client.get(f"/work/cases/{case.pk}/documents/")
    assert page.status_code == 200 and "行政处罚决定书" in page.content.decode()
    made = client.post(f"/work/cases/{case.pk}/documents/", {"kind": "decision"})
    document = CaseDocument.objects.get()
    assert made.status_code == 302 and made["Location"].endswith(f"/documents/{document.pk}.docx")
    file = client.get(made["Location"])
    assert file.status_code == 200 and bytes(file.content) == bytes(document.content)

    templates = client.get("/work/templates/")
    assert templates.status_code == 200 and "鹿泉区工业和信息化局的执法文书模板" in templates.content.decode()
    upload = io.BytesIO(edited("decision", "{{ secret }}"))
    upload.name = "坏.docx"
    client.post(
        "/work/templates/", {"kind": "decision", "file": upload, "department": office["department"].pk}
    )
    assert not DocumentTemplate.objects.exists()
    upload = io.BytesIO(edited("decision", "本局模板"))
    upload.name = "好.docx"
    client.post(
        "/work/templates/", {"kind": "decision", "file": upload, "department": office["department"].pk}
    )
    assert DocumentTemplate.objects.get().department == office["department"]
    exported = client.get(f"/work/templates/decision.docx?department={office['department'].pk}")
    assert "本局模板" in docx_text(exported.content)
    client.post(
        "/work/templates/", {"kind": "decision", "action": "remove", "department": office["department"].pk}
    )
    assert not DocumentTemplate.objects.exists()

    report = client.get(f"/work/cases/report/{office['department'].pk}.docx?year=2026&half=1")
    assert report.status_code == 200 and case.number in docx_text(report.content)
    assert (
        "请写明年度"
        in client.get(f"/work/cases/report/{office['department'].pk}.docx?year=x").content.decode()
    )
    assert client.get("/work/templates/?department=").status_code == 200  # their own department
    client.logout()
    client.login(username="filler_other", password=password_of("filler_other"))
    assert client.get(f"/work/cases/{case.pk}/documents/").status_code == 403
    assert client.get(made["Location"]).status_code == 403
    assert client.get(f"/work/templates/?department={office['department'].pk}").status_code == 403
    report = client.get(f"/work/cases/report/{office['department'].pk}.docx?year=2026&half=1")
    assert report.status_code == 403 and "无权" in report.content.decode()


# --- LibreOffice --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_a_generated_decision(office, tmp_path):
    case = full_case(office["department"])
    source = tmp_path / "决定书.docx"
    source.write_bytes(bytes(make_document(actor("admin"), case, "decision_form").content))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "决定书.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5000


# --- a case run through the services ------------------------------------------------------


def test_a_case_run_through_the_services_gives_each_document_at_its_stage():
    """The services' own records (their action data, codes and signatures) come out in the forms:
    each document is made as soon as its stage allows, and refused the step before."""
    from django.utils import timezone

    from qingdan.cases import services as s
    from qingdan.deadlines import calendars
    from tests.case_team import make_team

    team = make_team()
    day = timezone.localdate() - dt.timedelta(days=150)
    at = lambda n: day + dt.timedelta(days=n)  # noqa: E731
    zhang, li = team.actor("zhang"), team.actor("li")
    case = s.open_case(
        zhang,
        team.department,
        title="未按规定报送统计资料",
        source="inspection",
        occurred_on=at(0),
        party_kind=PenaltyCase.ORGANISATION,
        party_name="鹿泉区某某化工有限公司",
        party_id_number="91130185MA0CXXXX0X",
        inspectors=[team.officers["zhang"], team.officers["li"]],
    )
    s.record_inspection(zhang, case, record="企业未按期报送统计报表。", on=at(0))
    s.order_correction(li, case, content="限期报送统计报表", correct_by=at(10), on=at(0))
    made = lambda kind: docx_text(bytes(make_document(zhang, case, kind).content))  # noqa: E731
    assert "企业未按期报送统计报表。" in made("inspection_record")
    assert f"{cn_date(at(10))}前改正" in made("correction_order")
    with pytest.raises(QingdanError, match="还不能制作「立案审批表」"):
        make_document(zhang, case, "filing_form")
    s.submit_filing(
        zhang, case, facts="现场检查发现未报送。", handlers=[team.officers["zhang"], team.officers["li"]]
    )
    s.review_filing(team.actor("unithead"), case, opinion="科室同意立案", on=at(1))
    s.review_filing(team.actor("deputy"), case, opinion="主管局长同意", on=at(2))
    s.approve_filing(team.actor("head"), case, opinion="批准立案", on=at(2))
    case.refresh_from_db()
    filing = made("filing_form")
    assert case.number in filing
    for signed in ("科室同意立案\n签名：赵科长", "主管局长同意\n签名：钱副局长", "批准立案\n签名：孙局长"):
        assert signed in filing
    s.add_evidence(
        zhang, case, kind="documentary", title="统计报表", collected_on=at(3), content=b"x", file_name="a.pdf"
    )
    s.notify(
        li,
        case,
        facts="未按规定报送",
        basis="《统计法》第四十一条",
        kinds=["fine"],
        amount="150000",
        on=at(10),
    )
    assert "罚款150,000.00元" in made("penalty_notice") and "较大数额罚款" in made("hearing_notice")
    s.request_hearing(zhang, case, on=at(11))
    held = calendars.due(at(12), 7, "working").date
    legal = team.actor("legal")
    s.schedule_hearing(legal, case, held_on=held, place="局会议室", presider=team.users["legal"], on=at(12))
    with pytest.raises(QingdanError, match="听证尚未举行"):
        make_document(zhang, case, "hearing_record")
    s.record_hearing(
        legal, case, record="当事人称财务人员离职。", attendees=["周法制", "当事人代理人"], on=held
    )
    assert "当事人称财务人员离职。" in made("hearing_record") and "当事人代理人" in made("hearing_record")
    after = held + dt.timedelta(days=1)
    s.submit_decision(zhang, case, report="经查属实", kinds=["fine"], amount="150000", major=True, on=after)
    s.review_decision(team.actor("unithead"), case, opinion="科室审核同意", on=after)
    s.legal_review(legal, case, opinion="事实清楚，依据正确", on=after)
    people = [{"name": n, "title": "", "view": "同意"} for n in ("孙局长", "钱副局长", "赵科长")]
    s.record_discussion(
        team.actor("head"), case, held_on=after, attendees=people, conclusion="同意罚款十五万元"
    )
    form = made("decision_form")
    for signed in ("科室审核同意\n签名：赵科长", "事实清楚，依据正确\n签名：周法制", "同意罚款十五万元"):
        assert signed in form
    assert "钱副局长：同意" in made("discussion_record")
    s.decide(
        team.actor("head"),
        case,
        decision="penalty",
        opinion="同意处罚",
        kinds=["fine"],
        amount="150000",
        on=after,
    )
    decision = made("decision")
    assert "罚款150,000.00元（壹拾伍万元整）" in decision and "石家庄市鹿泉区人民政府申请行政复议" in decision
    s.serve(zhang, case, method="direct", on=after + dt.timedelta(days=1))
    assert "直接送达" in made("service_receipt")
    s.record_payment(li, case, amount="150000", paid_on=after + dt.timedelta(days=5))
    s.close(zhang, case, report="已缴清罚款", on=after + dt.timedelta(days=6))
    closure = made("closure_report")
    assert "已缴清罚款" in closure and "缴纳罚款150,000.00元" in closure
    case.refresh_from_db()
    half = 1 if case.decided_on.month <= 6 else 2
    report = docx_text(major_filing_report(team.actor("head"), team.department, case.decided_on.year, half))
    assert case.number in report and "共1件" in report
