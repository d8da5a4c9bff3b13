"""The 执法责任制 (seed 003): reading the 实施办法 (.txt and .docx), importing it into a department,
its checks, its matching to the list's 主要职责, `qingdan responsibility show`, the page and the API."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from qingdan.cli import main
from qingdan.core.audit import recent
from qingdan.core.models import AuditEntry, Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.enforcement.models import ResponsibilityDuty, ResponsibilitySystem
from qingdan.enforcement.responsibility import (
    as_json,
    department_for,
    import_responsibility,
    read_file,
)
from qingdan.enforcement.responsibility_checks import responsibility_findings
from qingdan.enforcement.responsibility_matching import match_duties
from qingdan.ingest.problems import IngestError
from tests.conftest import LUQUAN_KEGONG, seed

pytestmark = pytest.mark.django_db

BENXI = "本溪市科学技术局"
LEADS = [
    ["规划科"],
    ["规划科"],
    ["高新科"],
    ["高新科"],
    ["农村科"],
    ["农村科"],
    ["成果科"],
    ["规划科"],
    ["人事科"],
    ["法规科"],
    [],
]
KEY_ASSESSMENTS = {
    "4": ["高企认定工作完成情况"],
    "7": ["技术合同认定登记完成情况"],
    "8": ["市县企业技术研发中心认定情况"],
    "9": ["外国人来华工作许可完成情况"],
    "10": ["科普基在认定完成情况"],
}
ASPECTS = [
    "掌握和运用法律、法规的情况",
    "完成执法责任情况",
    "依法行政过程中的失误及过错情况",
    "依法行政工作中的创新与建树情况",
]


def seed_003() -> tuple[str, bytes]:
    path = seed("003")
    return path.name, path.read_bytes()


def as_docx(text: str) -> bytes:
    """The seed as a Word document: one paragraph per non-blank line, as an office would type it."""
    doc = Document()
    for line in text.splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def imported(name: str = "", data: bytes = b"", department: str = ""):
    if not data:
        name, data = seed_003()
    record = read_file(name, data)
    target = department_for(COMMAND_LINE, record, department)
    return import_responsibility(COMMAND_LINE, target, record, name)


def without_positions(record) -> tuple:
    """What was read, compared without positions (record fields compare without them)."""
    return (
        record.title,
        record.document_number,
        record.issuer,
        record.purpose,
        record.supervision,
        record.bases,
        record.duties,
        record.liabilities,
        record.assessment,
    )


# --- reading ------------------------------------------------------------------------------


def test_it_reads_the_cover_and_the_bases_of_seed_003():
    record = read_file(*seed_003())
    assert (record.title, record.document_number, record.issuer) == (
        "行政执法责任制实施办法",
        "本科办发〔2020〕23号",
        BENXI,
    )
    assert record.purpose.startswith("本办法紧密结合岗位目标责任制")
    bases = [(b.level, b.title, b.article, b.article_number) for b in record.bases]
    assert bases == [
        ("law", "中华人民共和国科学技术进步法", "", None),
        ("law", "中华人民共和国促进科技成果转化法", "", None),
        ("law", "中华人民共和国合同法", "", None),
        ("law", "中华人民共和国科学普及法", "", None),
        ("law", "中华人民共和国出境入境管理法", "第四十一条", 41),
        ("local_regulation", "辽宁省省技术市场管理条例", "", None),
    ]
    assert record.bases[4].article_text == "外国人在中国境内工作，应当按照规定取得工作许可和工作类居留证件。"
    assert record.bases[0].heading == "全国人大及其常委会通过的法律"
    assert record.bases[5].heading == "辽宁省人大常委会通过的地方性法规"
    assert [b.pos.row for b in record.bases] == [31, 32, 33, 34, 36, 40]


def test_it_reads_the_duties_with_their_lead_units_and_key_assessments():
    record = read_file(*seed_003())
    assert [d.number for d in record.duties] == [str(n) for n in range(1, 12)]
    assert [d.lead_units for d in record.duties] == LEADS  # 5's lead unit is in its own paragraph
    assert {d.number: d.key_assessments for d in record.duties if d.key_assessments} == KEY_ASSESSMENTS
    assert record.duties[3].text.endswith("参加重大技术引进项目和重大技术改造项目的论证、评估工作。")
    assert record.duties[10].text == "承担市政府交办的其它工作。"
    assert record.duties[4].pos.row == 52


def test_it_reads_the_liabilities_and_the_assessment_scheme():
    record = read_file(*seed_003())
    assert [c.number for c in record.liabilities] == ["1", "2", "3", "4"]
    assert record.liabilities[3].text.startswith("剽窃、篡改、假冒")
    scheme = record.assessment
    assert scheme.aspects == ASPECTS
    assert scheme.method == "定量与定性、日常与年度、个人总结与民主评议相结合"
    assert scheme.body == "“两制”领导组"
    assert scheme.grades == ["优秀", "称职", "不称职"]
    assert scheme.use.startswith("年度评鉴的考核结果")
    assert record.supervision.startswith("科技行政管理机关要依法行政")
    assert record.warnings == []


def test_a_docx_of_the_seed_reads_the_same():
    name, data = seed_003()
    from_txt = read_file(name, data)
    from_docx = read_file("实施办法.docx", as_docx(data.decode("utf-8")))
    assert without_positions(from_docx) == without_positions(from_txt)
    assert from_docx.duties[4].pos.row > 0  # Word paragraphs are positioned too


def test_numbering_variants_and_a_missing_section_are_tolerated_and_reported():
    text = seed_003()[1].decode("utf-8")
    for old, new in (("一、", "（一）"), ("二、", "（二）"), ("三、", "第三章 "), ("五、", "（五）")):
        text = text.replace(old, new, 1)
    text = text.replace("\n1. 贯彻执行", "\n1、贯彻执行").replace("\n2. 研究确定", "\n（2）研究确定")
    start, end = text.index("四、法律责任"), text.index("（五）依法行政")
    text = text[:start] + text[end:]
    record = read_file("变体.txt", text.encode("utf-8"))
    assert len(record.duties) == 11 and [d.lead_units for d in record.duties] == LEADS
    assert record.liabilities == [] and record.assessment.grades == ["优秀", "称职", "不称职"]
    assert [w.message for w in record.warnings] == ["没有找到「法律责任」部分"]
    assert str(record.warnings[0]).startswith("「变体.txt」")


def test_arabic_section_numbers_are_read_and_a_short_duty_opens_no_section():
    text = seed_003()[1].decode("utf-8")
    for old, new in (("一、", "1、"), ("二、", "2、"), ("三、", "3、"), ("四、", "4、"), ("五、", "5、")):
        text = text.replace(old, new, 1)
    assert without_positions(read_file("阿拉伯.txt", text.encode("utf-8"))) == without_positions(
        read_file(*seed_003())
    )
    short = (
        seed_003()[1]
        .decode("utf-8")
        .replace("11. 承担市政府交办的其它工作。", "11. 负责科技监督\n\n（牵头科室：监督科）")
    )
    record = read_file("短.txt", short.encode("utf-8"))
    assert record.duties[10].text == "负责科技监督" and record.duties[10].lead_units == ["监督科"]
    assert len(record.liabilities) == 4


ANOTHER_OFFICE = """某县科技局行政执法责任制实施方案

（一）执法依据
法律：
1.《中华人民共和国科学技术进步法》第十条
（二）执法职责
1、负责全县科技计划管理。牵头科室：计划股
2、负责科技成果登记。（牵头科室：成果股、综合股）
（三）责任追究
1、不履行职责的，依法追究责任。
（四）考核
考核采取平时考核与年度考核相结合的方式，重点考核以下内容：
1、执法依据掌握情况；
2、执法职责履行情况。
考核结果分为优秀、称职、基本称职、不称职四个等次。
"""


def test_another_office_writing_the_genre_its_own_way():
    record = read_file("某县.txt", ANOTHER_OFFICE.encode("gb18030"))
    assert (record.title, record.issuer, record.document_number) == (
        "行政执法责任制实施方案",
        "某县科技局",
        "",
    )
    (basis,) = record.bases
    assert (basis.level, basis.title, basis.article_number) == ("law", "中华人民共和国科学技术进步法", 10)
    assert [(d.text, d.lead_units) for d in record.duties] == [
        ("负责全县科技计划管理。", ["计划股"]),
        ("负责科技成果登记。", ["成果股", "综合股"]),
    ]
    assert [c.text for c in record.liabilities] == ["不履行职责的，依法追究责任。"]
    scheme = record.assessment
    assert scheme.method == "平时考核与年度考核相结合"
    assert scheme.aspects == ["执法依据掌握情况", "执法职责履行情况"]
    assert scheme.grades == ["优秀", "称职", "基本称职", "不称职"]
    assert record.warnings == []
    system = imported("某县.txt", ANOTHER_OFFICE.encode("utf-8"))
    assert system.department.name == "某县科技局" and system.department.jurisdiction.name == "某县"
    assert responsibility_findings(system) == []  # the four statutory grades, every 职责 led


def test_an_unplaceable_paragraph_is_reported_by_its_line():
    text = (
        seed_003()[1]
        .decode("utf-8")
        .replace("辽宁省省技术市场管理条例", "辽宁省省技术市场管理条例\n\n（以上依据以最新修订版本为准）")
    )
    record = read_file("注.txt", text.encode("utf-8"))
    assert len(record.bases) == 6
    (warning,) = record.warnings
    assert warning.pos.row == 42 and "无法识别的段落" in warning.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seed 002", "不是行政执法责任制文件"),
        ("no duties", "没有找到「职责」部分"),
        ("empty duties", "「职责」部分没有编号的职责条目"),
    ],
)
def test_it_refuses_what_is_not_a_responsibility_document(seed_bytes, text, message):
    name, data = seed_003()
    source = data.decode("utf-8")
    if text == "seed 002":
        name, data = seed_bytes("002")
    elif text == "no duties":
        start, end = source.index("三、科技行政管理的职责"), source.index("四、法律责任")
        name, data = "缺职责.txt", (source[:start] + source[end:]).encode("utf-8")
    else:
        start, end = source.index("1. 贯彻执行"), source.index("四、法律责任")
        name, data = "空职责.txt", (source[:start] + source[end:]).encode("utf-8")
    with pytest.raises(IngestError) as caught:
        read_file(name, data)
    assert str(caught.value).startswith(f"「{name}」") and message in str(caught.value)


# --- importing ----------------------------------------------------------------------------


def test_seed_003_imports_into_benxi_with_its_laws_resolved():
    system = imported()
    assert system.department.name == BENXI and system.department.jurisdiction.name == "本溪市"
    data = as_json(system)
    assert [(b["level"], b["law"]["title"] if b["law"] else None) for b in data["bases"]] == [
        ("law", "中华人民共和国科学技术进步法"),
        ("law", "中华人民共和国促进科技成果转化法"),
        ("law", "中华人民共和国合同法"),
        # 科学普及法 is not what the law is called: the registry knows it as a name of 科学技术普及法
        ("law", "中华人民共和国科学技术普及法"),
        ("law", "中华人民共和国出境入境管理法"),
        # and 辽宁省省… (a doubled 省) as a name of 辽宁省技术市场管理条例
        ("local_regulation", "辽宁省技术市场管理条例"),
    ]
    entry = data["bases"][4]
    assert (entry["article"], entry["article_number"]) == ("第四十一条", 41)
    assert entry["registry_article"]["number"] == 41 and entry["registry_article"]["label"] == "第四十一条"
    assert data["bases"][2]["law"]["in_force"] is False  # 合同法, repealed by the 民法典
    assert [d["lead_units"] for d in data["duties"]] == LEADS
    assert len(data["liabilities"]) == 4
    assert data["assessment"]["aspects"] == ASPECTS and data["assessment"]["grades"] == [
        "优秀",
        "称职",
        "不称职",
    ]
    assert data["matching"] == {
        "list_version": None,
        "matched": [],
        "only_in_responsibility": [{"number": d.number, "text": d.text} for d in system.duties.all()],
        "only_in_list": [],
    }
    entry = AuditEntry.objects.filter(action="import_responsibility").get()
    assert entry.after["responsibility_duties"] == 11 and entry.actor_name.startswith("命令行")


def test_the_docx_imports_the_same_as_the_text():
    data = seed_003()[1]
    text_json = as_json(imported())
    docx_json = as_json(imported("实施办法.docx", as_docx(data.decode("utf-8"))))
    assert {**docx_json, "source": ""} == {**text_json, "source": ""}


def test_a_reimport_replaces_the_system():
    first = imported()
    data = seed_003()[1]
    changed = data.decode("utf-8").replace("11. 承担市政府交办的其它工作。\n", "")
    second = imported("新版.txt", changed.encode("utf-8"))
    assert ResponsibilitySystem.objects.get().pk == second.pk != first.pk
    assert ResponsibilityDuty.objects.count() == 10 and second.source_name == "新版.txt"
    assert AuditEntry.objects.filter(action="import_responsibility").count() == 2
    assert recent(COMMAND_LINE, 1)[0].before["responsibility_duties"] == 11
    assert "职责：11" in recent(COMMAND_LINE, 1)[0].before_text


def test_a_failure_while_writing_leaves_the_old_system(monkeypatch):
    first = imported()
    from qingdan.enforcement import responsibility

    def explode(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(responsibility.LiabilityClause.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        imported()
    assert ResponsibilitySystem.objects.get().pk == first.pk
    assert ResponsibilityDuty.objects.filter(system=first).count() == 11


def test_a_filler_imports_only_her_own_department(staff):
    from qingdan.core.permissions import PermissionDenied
    from tests.conftest import actor

    name, data = seed_003()
    record = read_file(name, data)
    department = staff["department"]
    for username in ("filler_other", "legal", "approver"):
        with pytest.raises(PermissionDenied):
            import_responsibility(actor(username), department, record, name)
    assert not ResponsibilitySystem.objects.exists()
    system = import_responsibility(actor("filler"), department, record, name)
    assert system.department == department and system.imported_by_name == "filler"
    with pytest.raises(PermissionDenied):
        department_for(actor("filler"), record)  # 本溪市科学技术局 is new: only an administrator creates it
    assert not Department.objects.filter(name=BENXI).exists()


# --- checks and matching ------------------------------------------------------------------


def test_the_grades_finding_names_the_missing_grade_and_its_article():
    findings = responsibility_findings(imported())
    assert [(f.check_id, f.location.path) for f in findings] == [
        ("responsibility.grades", "assessment.grades")
    ]
    assert "缺少「基本称职」" in findings[0].message and "第三十八条" in findings[0].message
    assert findings[0].department == BENXI


def test_a_duty_without_lead_unit_is_found_but_the_catch_all_is_exempt():
    text = seed_003()[1].decode("utf-8").replace("（牵头科室：人事科）", "")
    findings = responsibility_findings(imported("缺牵头.txt", text.encode("utf-8")))
    assert [(f.check_id, f.location.label) for f in findings] == [
        ("responsibility.grades", "考核方案「等次」"),
        ("responsibility.no-lead-unit", "职责 9"),
    ]


def test_the_statutory_grades_are_data_with_their_article():
    from qingdan.enforcement.responsibility_checks import assessment_grades

    data = assessment_grades()
    assert data["grades"] == ["优秀", "称职", "基本称职", "不称职"] and data["article"] == 38


def test_duties_are_matched_to_the_list_of_the_same_department(seed_bytes):
    from qingdan.catalog.services import import_list
    from qingdan.ingest import load_bytes

    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    system = imported(department=LUQUAN_KEGONG)
    assert system.department.name == LUQUAN_KEGONG
    matching = match_duties(system)
    pairs = {m.duty.number: m.list_duty.number for m in matching.matched}
    # 技术合同认定登记 and 技术市场 (7) and 成果转化 (6) are the list's 技术转移 duty 7;
    # 科技兴农 is its 科技促进农业农村 (6); 人才 is 科技人才队伍 (12); the catch-alls pair
    assert pairs["7"] == "7" and pairs["6"] == "7" and pairs["5"] == "6" and pairs["9"] == "12"
    assert pairs["11"] == "28"
    assert all(0.2 <= m.similarity < 1 for m in matching.matched)
    assert "14" in {d.number for d in matching.only_in_list}  # 新型工业化: not in the 执法责任制
    assert len(matching.only_in_list) + len(set(pairs.values())) == 28


# --- the command, the page and the API ----------------------------------------------------


def test_qingdan_import_routes_the_document_and_show_prints_it(tmp_path):
    path = seed("003")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "✓ 本溪市科学技术局 行政执法责任制（行政执法责任制实施办法）：6 项执法依据、11 项职责、4 条法律责任"
        in result.output
    )
    shown = CliRunner().invoke(main, ["responsibility", "show", BENXI])
    assert shown.exit_code == 0, shown.output
    for text in (
        "《中华人民共和国出境入境管理法》 第四十一条",
        "牵头科室：农村科",
        "重点考核：外国人来华工作许可完成情况",
        "等次：优秀、称职、不称职",
        "缺少「基本称职」",
    ):
        assert text in shown.output
    data = json.loads(CliRunner().invoke(main, ["responsibility", "show", BENXI, "--json"]).output)
    assert len(data["duties"]) == 11 and data["findings"][0]["check"] == "responsibility.grades"


def test_qingdan_import_refuses_a_document_without_duties_and_writes_nothing(tmp_path):
    source = seed("003").read_text(encoding="utf-8")
    start, end = source.index("1. 贯彻执行"), source.index("四、法律责任")
    bad = tmp_path / "空职责.txt"
    bad.write_text(source[:start] + source[end:], encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert "空职责.txt：未导入" in result.output and "第 42 行" in result.output
    assert not ResponsibilitySystem.objects.exists() and not Department.objects.exists()


def test_the_page_is_public_and_shows_the_duties_beside_the_list(client, seed_bytes):
    from qingdan.catalog.services import import_list
    from qingdan.ingest import load_bytes

    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    system = imported(department=LUQUAN_KEGONG)
    page = client.get(f"/d/{system.department_id}/responsibility/").content.decode()
    assert "行政执法责任制实施办法" in page and "第四十一条" in page and "农村科" in page
    assert "牵头技术转移体系建设" in page and "相似度" in page and "缺少「基本称职」" in page
    assert "重新导入" not in page  # the public may not import
    department = client.get(f"/d/{system.department_id}/").content.decode()
    assert f"/d/{system.department_id}/responsibility/" in department
    assert client.get(f"/d/{system.department_id + 1000}/responsibility/").status_code == 404


def test_the_api_gives_the_system_and_a_chinese_404(client):
    system = imported()
    data = client.get(f"/api/v1/departments/{system.department_id}/responsibility").json()
    assert data["department"] == BENXI and len(data["bases"]) == 6
    missing = Department.objects.create(jurisdiction=system.department.jurisdiction, name="本溪市教育局")
    response = client.get(f"/api/v1/departments/{missing.pk}/responsibility")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "本溪市教育局还没有导入行政执法责任制。"}}


def test_a_dry_run_shows_what_would_be_stored_and_writes_nothing():
    result = CliRunner().invoke(main, ["import", "--dry-run", str(seed("003"))])
    assert result.exit_code == 0, result.output
    assert (
        "（试运行）" in result.output
        and "本溪市科学技术局（新部门）（本溪市）：6 项执法依据、11 项职责" in result.output
    )
    assert not Department.objects.exists() and not ResponsibilitySystem.objects.exists()


def test_show_says_when_a_department_has_no_system():
    imported()
    result = CliRunner().invoke(main, ["responsibility", "show", "本溪市"])
    assert result.exit_code == 0
    Department.objects.create(jurisdiction=Department.objects.get().jurisdiction, name="本溪市教育局")
    result = CliRunner().invoke(main, ["responsibility", "show", "本溪市教育局"])
    assert result.exit_code == 1 and "本溪市教育局还没有导入行政执法责任制。" in result.output


def test_the_editors_form_imports_and_a_bad_file_is_refused_in_chinese(staff, client):
    department = staff["department"]
    client.force_login(get_user_model().objects.get(username="filler"))
    url = f"/work/d/{department.pk}/responsibility/"
    assert "导入行政执法责任制实施办法" in client.get(f"/work/d/{department.pk}/").content.decode()
    assert client.get(url).status_code == 200
    name, data = seed_bytes_of("002")
    page = client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True).content.decode()
    assert f"{name}：未导入" in page and "不是行政执法责任制文件" in page
    assert not ResponsibilitySystem.objects.exists()
    name, data = seed_003()
    response = client.post(url, {"file": SimpleUploadedFile("实施办法.docx", as_docx(data.decode("utf-8")))})
    assert response.status_code == 302 and response["Location"] == f"/d/{department.pk}/responsibility/"
    system = ResponsibilitySystem.objects.get(department=department)
    assert system.source_name == "实施办法.docx" and system.duties.count() == 11
    client.force_login(get_user_model().objects.get(username="filler_other"))
    assert client.get(url).status_code == 403


def seed_bytes_of(prefix: str) -> tuple[str, bytes]:
    path = seed(prefix)
    return path.name, path.read_bytes()


def test_a_refused_docx_names_the_paragraph(tmp_path):
    source = seed("003").read_text(encoding="utf-8")
    start, end = source.index("1. 贯彻执行"), source.index("四、法律责任")
    bad = tmp_path / "空职责.docx"
    bad.write_bytes(as_docx(source[:start] + source[end:]))
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert "「空职责.docx」, 第 21 段: 「职责」部分没有编号的职责条目" in result.output
