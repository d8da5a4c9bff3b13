"""A whole city's power-list export: one file, many 实施主体, one list per department."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from qingdan.catalog.models import ListVersion, PowerItem
from qingdan.catalog.services import find_department, import_export, plan_export
from qingdan.core.models import AuditEntry, Department, DepartmentAlias
from qingdan.core.permissions import COMMAND_LINE
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.subjects import qualify, read_subject

pytestmark = pytest.mark.django_db


def _row(rows: list[dict], code: str, name: str, kind: str, subject: str, units: str = "") -> None:
    n = len(rows) + 1
    rows.append(
        {
            "事项id": f"sx-{n:05d}",
            "事项编码": code,
            "事项名称": name,
            "事项类型": kind,
            "实施主体": subject,
            "承办机构": units,
            "设定依据": "《中华人民共和国行政许可法》第十二条",
            "责任事项": "1.受理责任：依法受理。2.审查责任：依法审查。",
            "追责情形": "对符合受理条件而不予受理的",
            "监管电话": f"029-8{n:06d}",
            "办理时限": "20个工作日",
        }
    )


def city_export() -> list[dict]:
    """The shapes offices write: full names, 市公安局, a second name, an entrusted power, 市委宣传部,
    市级 with a telling 承办机构, an empty subject with a telling 事项编码, and one row no field
    attributes (the last)."""
    rows: list[dict] = []
    for i in range(5):
        _row(
            rows,
            f"610100-SJ-{i:03d}",
            f"食品经营许可{i}",
            "行政许可",
            "西安市市场监督管理局",
            "食品经营监管处",
        )
    for i in range(4):
        _row(rows, f"610100-GA-{i:03d}", f"治安管理处罚{i}", "行政处罚", "市公安局", "治安管理支队")
    _row(rows, "610100-GA-100", "枪支管理检查", "行政检查", "西安市公安局", "治安管理支队")
    for i in range(3):
        _row(
            rows,
            f"610100-NY-{i:03d}",
            f"农药经营许可{i}",
            "行政许可",
            "西安市农业农村局（市乡村振兴局）",
            "种植业处",
        )
    for i in range(2):
        _row(rows, f"610100-LY-{i:03d}", f"林木采伐许可{i}", "行政许可", "西安市林业局", "资源处")
    _row(
        rows, "610100-LY-900", "野生动物驯养繁殖许可", "行政许可", "委托西安市农业农村局（市乡村振兴局）行使"
    )
    _row(rows, "610100-XC-001", "出版物发行单位检查", "行政检查", "市委宣传部", "出版处")
    _row(rows, "610100-XX-001", "大型群众性活动安全许可", "行政许可", "市级", "市公安局治安管理支队")
    _row(rows, "610100-SJ-900", "广告发布登记", "行政许可", "")
    _row(rows, "999", "无法归属的事项", "其他", "市级")
    return rows


def as_jsonl(rows: list[dict]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")


def test_it_reads_subjects_as_offices_write_them():
    assert (
        read_subject("委托西安市农业农村局（市乡村振兴局）行使").entrusted_to
        == "西安市农业农村局（市乡村振兴局）"
    )
    assert read_subject("委托西安市农业农村局（市乡村振兴局）行使").undetermined
    own = read_subject("西安市林业局（委托区县林业局行使）")
    assert (own.owner, own.entrusted_to) == ("西安市林业局", "区县林业局")
    second = read_subject("西安市农业农村局（市乡村振兴局）")
    assert (second.owner, second.second) == ("西安市农业农村局", "市乡村振兴局")
    assert read_subject("市级").undetermined and read_subject("").undetermined
    assert read_subject("市公安局、市交通局").joint
    assert qualify("市公安局", "西安市") == "西安市公安局"
    assert qualify("市委宣传部", "西安市") == "西安市委宣传部"
    assert qualify("市场监督管理局", "西安市") == "西安市市场监督管理局"
    assert qualify("区科技局", "石家庄市鹿泉区") == "石家庄市鹿泉区科技局"
    assert qualify("湘阴县科技局", "西安市") == "湘阴县科技局"


def test_the_dry_run_breakdown_names_departments_aliases_and_rows_to_decide():
    loaded = load_bytes("西安市权责清单.jsonl", as_jsonl(city_export()))
    assert loaded.is_multi and loaded.record.jurisdiction == "西安市"
    plan = plan_export(loaded)
    counts = {name: len(r.powers) for name, r in plan.records.items()}
    assert counts == {
        "西安市市场监督管理局": 6,  # 5 written + the empty subject, by its 事项编码
        "西安市公安局": 6,  # 市公安局 ×4, the full name, and 市级 by its 承办机构
        "西安市农业农村局": 3,
        "西安市林业局": 3,  # the entrusted power, by its 事项编码 prefix
        "西安市委宣传部": 1,
    }
    assert plan.aliases == {
        "西安市乡村振兴局": "西安市农业农村局",
        "西安市农业农村局（市乡村振兴局）": "西安市农业农村局",
    }
    assert plan.applied[("市公安局", "西安市公安局")] == 4
    [undecided] = plan.undecided
    assert undecided.pos.row == 20 and "市级" in str(undecided) and "--department" in str(undecided)
    entrusted = next(p for p in plan.records["西安市林业局"].powers if p.entrusted_to)
    assert entrusted.entrusted_to == "西安市农业农村局（市乡村振兴局）"


def test_undecided_rows_refuse_the_whole_file_and_nothing_is_written():
    plan = plan_export(load_bytes("x.jsonl", as_jsonl(city_export())))
    with pytest.raises(IngestError, match="第 20 行"):
        import_export(plan, "x.jsonl")
    assert not Department.objects.exists() and not ListVersion.objects.exists()


def test_a_city_export_imports_as_one_list_per_department_and_keeps_every_field():
    rows = city_export()
    loaded = load_bytes("西安市权责清单.jsonl", as_jsonl(rows), department="西安市文化和旅游局")
    assert any("办理时限" in str(w) for w in loaded.warnings)
    results = import_export(plan_export(loaded), "西安市权责清单.jsonl")
    assert len(results) == 6 and all(r.created for r in results.values())
    assert PowerItem.objects.count() == len(rows)  # every record kept
    stored = {p.source_id: p for p in PowerItem.objects.all()}
    for row in rows:
        item = stored[row["事项id"]]
        assert (item.code, item.name, item.phones) == (row["事项编码"], row["事项名称"], [row["监管电话"]])
        assert item.extra == {"办理时限": "20个工作日"}
    assert stored["sx-00020"].version.department.name == "西安市文化和旅游局"  # the --department row
    # aliases: the second name finds the department, and the next import resolves it
    assert find_department("西安市乡村振兴局").name == "西安市农业农村局"
    assert DepartmentAlias.objects.filter(name="西安市农业农村局（市乡村振兴局）").exists()
    assert Department.objects.filter(name__contains="乡村振兴").count() == 0


def test_a_reimport_is_a_no_op_and_a_change_versions_only_that_department():
    rows = city_export()
    import_export(
        plan_export(load_bytes("x.jsonl", as_jsonl(rows), department="西安市文化和旅游局")), "x.jsonl"
    )
    again = import_export(plan_export(load_bytes("x.jsonl", as_jsonl(rows), department="西安市文化和旅游局")))
    assert not any(r.created for r in again.values())
    rows[6]["事项名称"] = "治安管理处罚（修订）"  # a 市公安局 row
    changed = import_export(
        plan_export(load_bytes("x.jsonl", as_jsonl(rows), department="西安市文化和旅游局"))
    )
    assert {name for name, r in changed.items() if r.created} == {"西安市公安局"}
    assert Department.objects.get(name="西安市公安局").versions.count() == 2
    assert Department.objects.get(name="西安市林业局").versions.count() == 1


def test_csv_and_jsonl_of_the_same_export_store_the_same_lists():
    rows = city_export()
    from_jsonl = plan_export(load_bytes("x.jsonl", as_jsonl(rows), department="西安市文化和旅游局"))
    from_csv = plan_export(load_bytes("x.csv", as_csv(rows), department="西安市文化和旅游局"))
    assert {k: r.to_json() for k, r in from_jsonl.records.items()} == {
        k: r.to_json() for k, r in from_csv.records.items()
    }


def test_a_mapping_file_decides_rows_by_number_or_by_subject(tmp_path):
    from qingdan.cli import main

    export = tmp_path / "西安市权责清单.jsonl"
    export.write_bytes(as_jsonl(city_export()))
    mapping = tmp_path / "对照表.csv"
    mapping.write_text("行号或实施主体,部门\n20,市文化和旅游局\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(export), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert Department.objects.get(name="西安市文化和旅游局").versions.get().powers.count() == 1


def test_the_cli_dry_run_prints_the_breakdown_and_writes_nothing(tmp_path):
    from qingdan.cli import main

    export = tmp_path / "西安市权责清单.jsonl"
    export.write_bytes(as_jsonl(city_export()))
    result = CliRunner().invoke(main, ["import", str(export), "--dry-run"])
    assert result.exit_code == 0
    for text in (
        "西安市：5 个部门",
        "「市公安局」→「西安市公安局」（4 行）",
        "将记为别名",
        "需要决定所属部门的行（1）",
        "第 20 行",
    ):
        assert text in result.output
    assert not Department.objects.exists()
    refused = CliRunner().invoke(main, ["import", str(export)])
    assert refused.exit_code == 1 and "第 20 行" in refused.output and not Department.objects.exists()


def test_an_export_is_all_or_nothing_for_someone_who_may_not_create_departments(staff):
    from tests.conftest import actor

    plan = plan_export(load_bytes("x.jsonl", as_jsonl(city_export()), department="西安市文化和旅游局"))
    before = AuditEntry.objects.count()
    with pytest.raises(QingdanError, match="新建部门"):
        import_export(plan, "x.jsonl", actor=actor("approver"))
    assert not Department.objects.filter(jurisdiction__name="西安市").exists()
    assert AuditEntry.objects.count() == before


def test_a_single_department_power_list_with_a_written_subject_is_not_split():
    rows = [r for r in city_export() if r["实施主体"] == "西安市市场监督管理局"]
    loaded = load_bytes("x.jsonl", as_jsonl(rows))
    assert not loaded.is_multi and loaded.record.department == "西安市市场监督管理局"
    assert COMMAND_LINE.is_admin


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "docx"])
def test_every_export_format_keeps_the_entrusted_body_the_platform_id_and_the_extra_columns(fmt):
    from qingdan.catalog.exports import export_record
    from qingdan.catalog.services import record_of

    import_export(
        plan_export(load_bytes("x.jsonl", as_jsonl(city_export()), department="西安市文化和旅游局"))
    )
    version = Department.objects.get(name="西安市林业局").versions.get()
    record = record_of(version)
    assert any(p.entrusted_to for p in record.powers)
    again = load_bytes(f"林业局.{fmt}", export_record(record, fmt)).record
    assert again.content_key() == record.content_key()


def test_a_second_name_the_file_also_writes_on_its_own_stays_a_department_wherever_it_stands():
    rows = city_export()[:13]  # 市场监管, 公安, 农业农村（市乡村振兴局）
    _row(rows, "610100-XZ-001", "乡村振兴项目检查", "行政检查", "西安市乡村振兴局", "规划处")
    for ordered in (rows, rows[::-1]):
        plan = plan_export(load_bytes("x.jsonl", as_jsonl(ordered)))
        assert len(plan.records["西安市乡村振兴局"].powers) == 1
        assert len(plan.records["西安市农业农村局"].powers) == 3
        assert "西安市乡村振兴局" not in plan.aliases


def test_search_finds_a_department_under_its_alias():
    from qingdan.search import reindex, search

    import_export(
        plan_export(load_bytes("x.jsonl", as_jsonl(city_export()), department="西安市文化和旅游局"))
    )
    reindex()
    hits = search("西安市乡村振兴局").hits
    assert hits and hits[0].department == "西安市农业农村局"


CITY_DEPARTMENTS = [f"第{i}局" for i in range(1, 41)]


def thousand_rows() -> list[dict]:
    """About 1,000 records across 40 subjects, written as the city's export writes them."""
    rows: list[dict] = []
    for d, name in enumerate(CITY_DEPARTMENTS):
        for i in range(25):
            subject = [
                f"西安市{name}",
                f"市{name}",
                f"西安市{name}",
                "市级" if i % 5 == 3 else f"西安市{name}",
            ][i % 4]
            units = f"市{name}执法支队" if subject == "市级" else "业务科"
            _row(rows, f"6101{d:02d}{i:04d}", f"{name}事项{i}", KINDS[i % len(KINDS)], subject, units)
            rows[-1]["子项"] = f"子项{i}" if i % 2 else ""
    return rows


KINDS = ["行政许可", "行政处罚", "行政检查", "行政确认", "其他"]


def test_a_thousand_records_of_forty_subjects_keep_every_record_and_every_filled_field():
    rows = thousand_rows()
    results = import_export(
        plan_export(load_bytes("西安市权责清单.jsonl", as_jsonl(rows))), "西安市权责清单.jsonl"
    )
    assert len(results) == 40 and Department.objects.count() == 40  # each department stored once
    assert PowerItem.objects.count() == len(rows) == 1000
    stored = {p.source_id: p for p in PowerItem.objects.select_related("version__department")}
    columns = {
        "事项编码": "code",
        "事项名称": "name",
        "事项类型": "type",
        "子项": "subitems",
        "实施主体": "subject",
        "设定依据": "basis",
        "责任事项": "duties",
        "追责情形": "accountability",
    }
    for row in rows:
        item = stored[row["事项id"]]
        for column, attribute in columns.items():
            assert getattr(item, attribute) == row[column], (row["事项id"], column)
        assert item.units == [row["承办机构"]] and item.phones == [row["监管电话"]]
        assert item.extra == {"办理时限": row["办理时限"]}
        name = row["事项名称"].split("事项")[0]
        assert item.version.department.name == f"西安市{name}"


def test_a_filler_importing_the_county_export_into_her_draft_takes_her_own_rows(staff, client):
    from django.contrib.auth import get_user_model

    rows: list[dict] = []
    _row(rows, "430624-KJ-001", "技术合同认定登记", "行政确认", "县科技局", "成果转化股")
    _row(rows, "430624-KJ-002", "科技计划项目检查", "行政检查", "湘阴县科技局", "计划股")
    _row(rows, "430624-GA-001", "治安管理处罚", "行政处罚", "县公安局", "治安大队")
    _row(rows, "999", "无法归属的事项", "其他", "县级")
    department = staff["department"]
    client.force_login(get_user_model().objects.get(username="filler"))
    upload = io.BytesIO(as_jsonl(rows))
    upload.name = "湘阴县权责清单.jsonl"
    client.post(f"/work/d/{department.pk}/import", {"file": upload})
    draft = department.versions.unpublished().get()
    assert [p.name for p in draft.powers.all()] == ["技术合同认定登记", "科技计划项目检查"]
    assert draft.duties.count() == 16  # the export carries powers only: the duties stay
    assert not Department.objects.filter(name="湘阴县公安局").exists()


def test_an_export_replaces_only_the_powers_of_a_department_that_already_has_a_list(seed_bytes):
    from qingdan.catalog.services import import_list

    import_list(load_bytes(*seed_bytes("002")).record)  # 湘阴县科技局: duties, boundaries, services
    rows: list[dict] = []
    _row(rows, "430624-KJ-001", "技术合同认定登记", "行政确认", "县科技局", "成果转化股")
    _row(rows, "430624-GA-001", "治安管理处罚", "行政处罚", "县公安局", "治安大队")
    results = import_export(
        plan_export(load_bytes("湘阴县权责清单.jsonl", as_jsonl(rows), jurisdiction="湘阴县"))
    )
    version = results["湘阴县科技局"].version
    assert version.number == 2 and version.duties.count() == 16 and version.services.count() == 6
    assert [p.name for p in version.powers.all()] == ["技术合同认定登记"]


def test_the_administrators_dry_run_page_shows_the_breakdown_and_writes_nothing(staff, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    upload = io.BytesIO(as_jsonl(city_export()))
    upload.name = "西安市权责清单.jsonl"
    page = client.post("/work/import/", {"file": upload, "action": "dry_run"}).content.decode()
    for text in ("西安市公安局", "新部门", "「市公安局」→「西安市公安局」（4 行）", "第 20 行", "办理时限"):
        assert text in page, text
    assert not Department.objects.filter(jurisdiction__name="西安市").exists()
