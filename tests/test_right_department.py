"""A list goes to the department it says it is, unless an administrator declares a rename."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qingdan.catalog.services import find_department, import_list
from qingdan.checks.services import run_checks
from qingdan.core.models import AuditEntry, Department, DepartmentAlias
from qingdan.core.permissions import PermissionDenied
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from tests.conftest import LUQUAN_KEGONG, XIANGYIN_KEJI, actor

pytestmark = pytest.mark.django_db

LUQUAN_GONGXIN = "石家庄市鹿泉区工业和信息化局"  # what seed 001 states: 部门名称（盖章）


def test_a_filler_cannot_import_another_departments_list_into_her_draft(staff, seed_bytes):
    name, data = seed_bytes("001")  # states 鹿泉区工业和信息化局
    loaded = load_bytes(name, data, XIANGYIN_KEJI, "湘阴县")
    with pytest.raises(QingdanError) as refused:
        import_list(loaded.record, name, actor=actor("filler"), draft=True)
    assert LUQUAN_GONGXIN in refused.value.message and XIANGYIN_KEJI in refused.value.message
    assert staff["department"].versions.count() == 1  # nothing written


def test_the_department_option_does_not_silently_override_the_stated_name(staff, seed_bytes, tmp_path):
    from qingdan.cli import main

    name, data = seed_bytes("001")
    (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(main, ["import", str(tmp_path / name), "--department", LUQUAN_KEGONG])
    assert result.exit_code == 1
    assert f"写明是「{LUQUAN_GONGXIN}」的清单，不能导入为「{LUQUAN_KEGONG}」" in result.output
    assert staff["other"].versions.count() == 1


def test_an_administrator_declares_a_rename_which_is_audited_and_remembered(staff, seed_bytes):
    name, data = seed_bytes("001")
    record = load_bytes(name, data, LUQUAN_KEGONG).record
    with pytest.raises(PermissionDenied):
        import_list(record, name, actor=actor("filler_other"), draft=True, rename_from=LUQUAN_GONGXIN)
    result = import_list(record, name, actor=actor("admin"), rename_from=LUQUAN_GONGXIN)
    assert result.created and result.version.department == staff["other"]
    assert result.version.stated_department == LUQUAN_GONGXIN
    assert AuditEntry.objects.filter(
        action="import_renamed", after__stated_department=LUQUAN_GONGXIN
    ).exists()
    # the old name is now an alias: the next import of the same file needs no declaration
    assert DepartmentAlias.objects.filter(name=LUQUAN_GONGXIN, department=staff["other"]).exists()
    assert find_department(LUQUAN_GONGXIN) == staff["other"]
    again = import_list(load_bytes(name, data, LUQUAN_KEGONG).record, name, actor=actor("admin"))
    assert not again.created


def test_a_rename_declaration_must_match_the_stated_name(staff, seed_bytes):
    name, data = seed_bytes("001")
    record = load_bytes(name, data, LUQUAN_KEGONG).record
    with pytest.raises(QingdanError, match="不能导入为"):
        import_list(record, name, actor=actor("admin"), rename_from="某某局")
    own = load_bytes(*seed_bytes("002")).record
    with pytest.raises(QingdanError, match="不需要声明更名"):
        import_list(own, "002", actor=actor("admin"), rename_from="某某局")


def test_a_list_whose_stated_department_is_another_registry_department_is_a_finding(staff, seed_bytes):
    name, data = seed_bytes("001")
    import_list(load_bytes(name, data).record, name)  # 鹿泉区工业和信息化局 as its own department
    record = load_bytes(name, data, LUQUAN_KEGONG).record
    version = import_list(record, name, actor=actor("admin"), rename_from=LUQUAN_GONGXIN).version
    assert not DepartmentAlias.objects.filter(name=LUQUAN_GONGXIN).exists()  # it is a department
    found = [f for f in run_checks(version) if f.check_id == "department.foreign"]
    assert len(found) == 1 and f"「{LUQUAN_GONGXIN}」是登记在册的另一个部门" in found[0].message
    own = Department.objects.get(name=LUQUAN_GONGXIN).versions.get()
    assert not [f for f in run_checks(own) if f.check_id == "department.foreign"]
