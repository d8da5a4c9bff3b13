"""People, posts and three-level responsibility on seed 002 (湘阴县科技局, whose units have phones):
the staff import (CSV and XLSX, row errors, all or nothing, re-import by 执法证号), certificate
flags on a fixed day, ``require_certified``, the matrix of a real seed item and its gaps."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from qingdan.catalog.models import PowerItem
from qingdan.cli import main
from qingdan.core.models import AuditEntry
from qingdan.enforcement.matrix import answers_for, matrix_entries, matrix_findings
from qingdan.enforcement.models import Leader, Officer, Post, PostItem
from qingdan.enforcement.staff import (
    certificate_flag,
    require_certified,
    save_leader,
    save_officer,
    save_post,
)
from qingdan.enforcement.staff_import import import_staff
from qingdan.errors import QingdanError
from qingdan.ingest.dates import parse_date
from qingdan.ingest.problems import IngestError
from tests.conftest import actor

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 6, 1)  # the fixed day certificate flags are judged on
TASK = "制定全县科技政策性文件"  # seed 002, 主要职责 1, 责任科室 办公室
DUTY_START = "贯彻执行国家、省、市科技"

CSV = (
    "姓名,科室,岗位,执法证号,证件有效期至,法律职业资格,执法类别,证件有效期自\n"
    "张明,办公室,综合执法岗,43062420001,2027-06-20,是,科技,2022/7/1\n"
    "李华,高新产业化股,项目管理岗,43062420002,2029年6月30日,否,,\n"
    "王芳,办公室,综合执法岗,43062420003,2027/5/31,有,,\n"
)


def csv_bytes(text: str = CSV) -> bytes:
    return text.encode("utf-8")


def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "科室", "岗位", "执法证号", "证件有效期至", "法律职业资格", "状态"])
    sheet.append(["赵强", "财计股", "财务监督岗", "43062420010", dt.date(2028, 12, 31), "无", "在岗"])
    sheet.append(["钱进", "地震办公室", "防震执法岗", "43062420011", 46568, "有", "暂停执法"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_csv_import_stores_officers_and_posts_in_the_seed_units(staff):
    department = staff["department"]
    result = import_staff(actor("filler"), department, "名册.csv", csv_bytes())
    assert (result.created, result.updated, result.posts_created) == (3, 0, 2)
    zhang = Officer.objects.get(certificate_number="43062420001")
    assert (zhang.name, zhang.unit, zhang.post.name) == ("张明", "办公室", "综合执法岗")
    assert zhang.valid_from == dt.date(2022, 7, 1) and zhang.valid_until == dt.date(2027, 6, 20)
    assert zhang.legal_qualification and zhang.category == "科技"
    li = Officer.objects.get(name="李华")
    assert li.valid_until == dt.date(2029, 6, 30) and not li.legal_qualification
    assert AuditEntry.objects.filter(action="staff_import", object_id=str(department.pk)).exists()


def test_the_xlsx_import_reads_excel_dates_and_states(staff):
    department = staff["department"]
    import_staff(actor("admin"), department, "名册.xlsx", xlsx_bytes())
    zhao = Officer.objects.get(name="赵强")
    assert zhao.valid_until == dt.date(2028, 12, 31) and zhao.post.unit == "财计股"
    qian = Officer.objects.get(name="钱进")
    assert qian.valid_until == dt.date(2027, 6, 30)  # Excel day number 46568
    assert qian.status == Officer.SUSPENDED


def test_a_reimport_updates_by_certificate_number(staff):
    department = staff["department"]
    import_staff(actor("filler"), department, "名册.csv", csv_bytes())
    changed = CSV.replace("2029年6月30日", "2030-01-01")
    result = import_staff(actor("filler"), department, "名册.csv", csv_bytes(changed))
    assert (result.created, result.updated, result.posts_created) == (0, 3, 0)
    assert Officer.objects.filter(department=department).count() == 3
    assert Officer.objects.get(name="李华").valid_until == dt.date(2030, 1, 1)


def test_row_errors_name_file_row_and_field_and_nothing_is_written(staff):
    department = staff["department"]
    bad = (
        "姓名,科室,岗位,执法证号,证件有效期至,法律职业资格\n"
        "张明,办公室,综合执法岗,43062420001,2027-06-20,是\n"
        "李华,不存在股,项目管理岗,43062420002,明年,也许\n"
        "王芳,办公室,综合执法岗,43062420001,2027-01-01,否\n"
    )
    with pytest.raises(IngestError) as exc:
        import_staff(actor("filler"), department, "名册.csv", csv_bytes(bad))
    message = exc.value.message
    assert "「名册.csv」, 第 3 行, 第 2 列「科室」: 科室「不存在股」不在本部门清单中" in message
    assert "第 3 行, 第 5 列「证件有效期至」: 「明年」不是日期" in message
    assert "第 3 行, 第 6 列「法律职业资格」: 「也许」应写 是/否 或 有/无" in message
    assert "第 4 行, 第 4 列「执法证号」: 执法证号「43062420001」与第 2 行重复" in message
    assert not Officer.objects.exists() and not Post.objects.exists()


def test_a_file_without_the_columns_is_refused_in_chinese(staff):
    with pytest.raises(IngestError, match="表头缺少列：岗位、证件有效期至、法律职业资格"):
        import_staff(
            actor("filler"), staff["department"], "a.csv", csv_bytes("姓名,科室,执法证号\n张明,办公室,1\n")
        )


def test_only_the_departments_filler_and_admins_may_import(staff):
    for role in ("filler_other", "legal", "approver"):
        with pytest.raises(QingdanError, match="无权修改湘阴县科技局的执法人员和岗位"):
            import_staff(actor(role), staff["department"], "名册.csv", csv_bytes())
    assert not Officer.objects.exists()


def test_dates_in_the_common_chinese_forms():
    assert parse_date("2027-06-30") == parse_date("2027/6/30") == dt.date(2027, 6, 30)
    assert parse_date("2027年6月30日") == parse_date("2027.6.30") == dt.date(2027, 6, 30)
    assert parse_date("46568") == dt.date(2027, 6, 30)
    assert parse_date("2027-02-30") is None and parse_date("明年") is None


def test_certificate_flags_relative_to_a_fixed_day(staff, settings):
    import_staff(actor("filler"), staff["department"], "名册.csv", csv_bytes())
    zhang, li, wang = (Officer.objects.get(name=n) for n in ("张明", "李华", "王芳"))
    assert certificate_flag(zhang, DAY).code == "expiring"
    assert "19 天后到期" in certificate_flag(zhang, DAY).label
    assert certificate_flag(li, DAY).code == ""
    assert certificate_flag(wang, DAY).code == "expired"
    settings.QINGDAN_CERTIFICATE_WARNING_DAYS = 10
    assert certificate_flag(zhang, DAY).code == ""


def test_require_certified_refuses_in_chinese(staff):
    import_staff(actor("filler"), staff["department"], "名册.csv", csv_bytes())
    zhang, wang = Officer.objects.get(name="张明"), Officer.objects.get(name="王芳")
    require_certified(zhang, DAY)  # expiring is still valid
    with pytest.raises(QingdanError, match="执法人员王芳不能从事执法活动：执法证已于 2027-05-31 过期"):
        require_certified(wang, DAY)
    with pytest.raises(QingdanError, match="执法证 2022-07-01 起有效"):
        require_certified(zhang, dt.date(2022, 1, 1))
    zhang.status = Officer.LEFT
    with pytest.raises(QingdanError, match="状态为「已调离」"):
        require_certified(zhang, DAY)
    zhang.status, zhang.certificate_number = Officer.ACTIVE, ""
    with pytest.raises(QingdanError, match="没有登记执法证号"):
        require_certified(zhang, DAY)


def build_matrix(department) -> None:
    admin = actor("admin")
    import_staff(admin, department, "名册.csv", csv_bytes())
    post = Post.objects.get(unit="办公室", name="综合执法岗")
    save_post(
        admin,
        department,
        "办公室",
        "综合执法岗",
        [("task", TASK), ("duty", duty_text(department))],
        post=post,
    )
    save_leader(admin, department, "刘局长", "副局长", ["办公室", "知识产权办公室"])
    Officer.objects.filter(name="张明").update(public=True)


def duty_text(department) -> str:
    version = department.versions.published().get()
    return version.duties.get(text__startswith=DUTY_START).text


def test_the_matrix_for_a_seed_task_runs_leader_unit_post_people(staff):
    department = staff["department"]
    build_matrix(department)
    entries = {(e.kind, e.text): e for e in matrix_entries(department, DAY)}
    task = entries[("task", TASK)]
    [unit] = task.units
    assert unit.name == "办公室" and [x.name for x in unit.leaders] == ["刘局长"]
    [post] = unit.posts
    assert post.post.name == "综合执法岗"
    assert {h.officer.name: h.flag.code for h in post.people} == {"张明": "expiring", "王芳": "expired"}
    public = task.as_json(full=False)["units"][0]["posts"][0]
    assert [p["name"] for p in public["people"]] == ["张明"] and public["people_count"] == 2
    duty = entries[("duty", duty_text(department))]
    assert [u.name for u in duty.units] == ["办公室"] and duty.units[0].posts


def test_the_reverse_view_of_a_person(staff):
    department = staff["department"]
    build_matrix(department)
    [zhang] = answers_for(department, "张明", DAY)
    assert zhang.via == "办公室·综合执法岗"
    assert TASK in [e.text for e in zhang.by_post]
    assert [x.name for x in zhang.leaders] == ["刘局长"]
    [leader] = answers_for(department, "刘局长", DAY)
    assert TASK in [e.text for e in leader.by_unit]


def test_post_items_and_leader_units_are_checked_against_the_list(staff):
    department, admin = staff["department"], actor("admin")
    with pytest.raises(QingdanError, match="具体工作事项「没有这件事」不在本部门现行清单"):
        save_post(admin, department, "办公室", "岗", [("task", "没有这件事")])
    with pytest.raises(QingdanError, match="科室「宣传股」不在本部门清单中"):
        save_leader(admin, department, "刘局长", "副局长", ["宣传股"])
    with pytest.raises(QingdanError, match="无权修改"):
        save_officer(actor("filler_other"), department, {"name": "某人"})
    assert not Post.objects.exists() and not Leader.objects.exists() and not Officer.objects.exists()


def test_gaps_are_findings(staff):
    department = staff["department"]
    build_matrix(department)
    version = department.versions.published().get()
    PowerItem.objects.create(version=version, position=1, code="430624-XK-001", name="科技项目行政检查")
    findings = {(f.check_id, f.evidence) for f in matrix_findings(department, DAY)}
    assert ("matrix.power_without_post", "430624-XK-001") in findings
    assert ("matrix.post_without_certified", "财计股·财务监督岗") not in findings  # no such post here
    assert ("matrix.post_without_certified", "办公室·综合执法岗") not in findings  # 张明 is valid
    assert ("matrix.unit_without_leader", "高新产业化股") in findings
    assert ("matrix.unit_without_leader", "办公室") not in findings
    Officer.objects.filter(name="张明").update(valid_until=dt.date(2027, 5, 1))
    findings = {(f.check_id, f.evidence) for f in matrix_findings(department, DAY)}
    assert ("matrix.post_without_certified", "办公室·综合执法岗") in findings
    save_post(
        actor("admin"),
        department,
        "高新产业化股",
        "项目管理岗",
        [("power", "430624-XK-001")],
        post=Post.objects.get(name="项目管理岗"),
    )
    findings = {(f.check_id, f.evidence) for f in matrix_findings(department, DAY)}
    assert ("matrix.power_without_post", "430624-XK-001") not in findings
    assert PostItem.objects.get(kind="power").ref == "科技项目行政检查"


def test_the_cli_imports_shows_and_prints_the_matrix(staff, tmp_path):
    department = staff["department"]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes())
    result = CliRunner().invoke(main, ["staff", "import", str(path), "--department", department.name])
    assert result.exit_code == 0, result.output
    assert "新增执法人员 3 名" in result.output
    save_leader(actor("admin"), department, "刘局长", "副局长", ["办公室"])
    result = CliRunner().invoke(main, ["staff", "show", department.name, "--json"])
    data = json.loads(result.output)
    assert {o["name"] for o in data["officers"]} == {"张明", "李华", "王芳"}
    assert any(f["check"] == "matrix.unit_without_leader" for f in data["gaps"])
    result = CliRunner().invoke(main, ["staff", "show", department.name])
    assert "王芳" in result.output and "43062420003" in result.output and "责任缺口（4 项）" in result.output
    result = CliRunner().invoke(main, ["matrix", department.name, "--person", "刘局长"])
    assert result.exit_code == 0 and TASK in result.output
    bad = tmp_path / "坏.csv"
    bad.write_bytes(
        csv_bytes("姓名,科室,岗位,执法证号,证件有效期至,法律职业资格\n张三,宣传股,岗,1,2027-1-1,是\n")
    )
    result = CliRunner().invoke(main, ["staff", "import", str(bad), "--department", department.name])
    assert result.exit_code == 1 and "「坏.csv」, 第 2 行, 第 2 列「科室」" in result.output
    assert "Traceback" not in result.output


def test_the_public_matrix_shows_public_names_only(staff, client):
    department = staff["department"]
    build_matrix(department)
    html = client.get(f"/d/{department.pk}/matrix/?kind=task").content.decode()
    assert TASK in html and "副局长刘局长" in html and "综合执法岗" in html
    assert "张明" in html and "王芳" not in html and "（执法人员 2 名）" in html
    assert "19 天后到期" not in html
    assert f'href="/d/{department.pk}/matrix/"' in client.get(f"/d/{department.pk}/").content.decode()


def test_the_staff_pages_show_every_name_and_flag(staff, client, settings):
    department = staff["department"]
    build_matrix(department)
    Officer.objects.filter(name="张明").update(valid_until=dt.date.today() + dt.timedelta(days=5))
    client.force_login(get_user("legal"))
    html = client.get(f"/work/staff/{department.pk}/").content.decode()
    assert "执法证 5 天内到期" in html or "5 天后到期" in html
    assert 'id="expiring-count">1<' in html and "科室没有分管领导" in html
    assert "officer_save" not in html  # a reviewer sees, does not edit
    html = client.get(f"/work/staff/{department.pk}/matrix/?kind=task").content.decode()
    assert "王芳" in html and "已于 2027-05-31 过期" not in html  # judged on today, not DAY
    html = client.get(f"/work/staff/{department.pk}/matrix/?person=张明").content.decode()
    assert "通过岗位承担" in html and TASK in html
    html = client.get("/work/").content.decode()
    assert "1 名执法人员的执法证 30 天内到期" in html
    client.force_login(get_user("filler_other"))
    assert client.get(f"/work/staff/{department.pk}/").status_code == 403
    assert client.get(f"/work/staff/{department.pk}/matrix/").status_code == 403


def test_the_browser_import_is_all_or_nothing(staff, client):
    department = staff["department"]
    client.force_login(get_user("filler"))
    bad = io.BytesIO(csv_bytes(CSV + "赵六,宣传股,岗,43062420009,2027-1-1,是\n"))
    bad.name = "名册.csv"
    response = client.post(f"/work/staff/{department.pk}/", {"action": "import", "file": bad}, follow=True)
    assert "名册.csv：未导入。「名册.csv」, 第 5 行, 第 2 列「科室」" in response.content.decode()
    assert not Officer.objects.exists()
    good = io.BytesIO(xlsx_bytes())
    good.name = "名册.xlsx"
    response = client.post(f"/work/staff/{department.pk}/", {"action": "import", "file": good}, follow=True)
    assert "新增执法人员 2 名" in response.content.decode()
    assert Officer.objects.filter(department=department).count() == 2


def get_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_a_responsibility_duty_of_the_system_has_its_lead_unit_and_posts(staff):
    from qingdan.enforcement.models import ResponsibilityDuty, ResponsibilitySystem

    department, admin = staff["department"], actor("admin")
    system = ResponsibilitySystem.objects.create(
        department=department, title="湘阴县科技局行政执法责任制实施办法"
    )
    ResponsibilityDuty.objects.create(
        system=system, position=1, number="3", text="负责科技领域行政执法工作", lead_units=["地震办公室"]
    )
    save_post(admin, department, "地震办公室", "防震执法岗", [("responsibility", "3")])
    assert PostItem.objects.get().ref == "负责科技领域行政执法工作"
    [entry] = [e for e in matrix_entries(department, DAY) if e.kind == "responsibility"]
    assert [u.name for u in entry.units] == ["地震办公室"]
    assert [p.post.name for p in entry.units[0].posts] == ["防震执法岗"]
    findings = {(f.check_id, f.evidence) for f in matrix_findings(department, DAY)}
    assert ("matrix.post_without_certified", "地震办公室·防震执法岗") in findings


def test_editing_an_officer_on_the_staff_page_is_audited(staff, client):
    department = staff["department"]
    build_matrix(department)
    zhang = Officer.objects.get(name="张明")
    client.force_login(get_user("filler"))
    html = client.get(f"/work/staff/{department.pk}/?officer={zhang.pk}").content.decode()
    assert "修改执法人员 张明" in html and 'value="43062420001"' in html
    form = {
        "action": "officer_save",
        "pk": zhang.pk,
        "name": "张明",
        "unit": "办公室",
        "post": "综合执法岗",
        "certificate_number": "43062420001",
        "valid_until": "2031-01-01",
        "status": "active",
    }
    client.post(f"/work/staff/{department.pk}/", form)
    zhang.refresh_from_db()
    assert zhang.valid_until == dt.date(2031, 1, 1) and not zhang.public and not zhang.legal_qualification
    entry = AuditEntry.objects.filter(action="officer_save", object_id=str(zhang.pk)).latest("id")
    assert entry.before["valid_until"] == "2027-06-20" and entry.after["valid_until"] == "2031-01-01"
    response = client.post(f"/work/staff/{department.pk}/", {**form, "unit": "宣传股"}, follow=True)
    assert "科室「宣传股」不在本部门清单中" in response.content.decode()
