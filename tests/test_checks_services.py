"""Checks over stored versions: findings kept per version, decisions that follow a finding to the
next version, the `qingdan check` command."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import find_department, import_list
from qingdan.checks.models import Finding, FindingDecision
from qingdan.checks.services import check_lists, decide, findings_of, run_checks
from qingdan.cli import main
from qingdan.core.permissions import Actor, PermissionDenied
from qingdan.errors import NotFound, QingdanError
from qingdan.ingest import load_bytes
from tests.conftest import LUQUAN_KEGONG

pytestmark = pytest.mark.django_db


@pytest.fixture
def load(seed_bytes):
    def read(prefix: str):
        name, data = seed_bytes(prefix)
        return load_bytes(name, data, department=LUQUAN_KEGONG if prefix == "000" else "").record

    return read


def test_it_keeps_the_findings_of_a_version_and_replaces_them_when_run_again(load):
    version = import_list(load("002")).version
    first = run_checks(version)
    again = run_checks(version)
    assert Finding.objects.filter(version=version).count() == len(again) == len(first)
    assert {f.check_id for f in again} >= {"artifact.level-word", "agency.defunct"}
    row = next(f for f in again if f.evidence == "组织开展全县专利行政执法及县场监督管理工作")
    assert (row.location, row.path, row.severity) == ("主要职责 7", "duties[6]", "error")


def test_it_compares_cited_laws_with_the_day_the_version_was_published(load):
    version = import_list(load("002")).version
    assert not [f for f in run_checks(version) if f.check_id == "law.amended"]
    ListVersion.objects.filter(pk=version.pk).update(created_at=datetime(2018, 6, 1, tzinfo=ZoneInfo("UTC")))
    amended = {
        f.evidence for f in run_checks(ListVersion.objects.get(pk=version.pk)) if f.check_id == "law.amended"
    }
    assert "《中华人民共和国专利法》" in amended


def test_a_decision_holds_for_the_same_finding_in_the_next_version(load):
    record = load("002")
    v1 = import_list(record).version
    forestry = next(f for f in run_checks(v1) if f.evidence == "林业局")
    department = v1.department
    decide(
        Actor("县编办 张三", "admin"),
        department,
        forestry.fingerprint,
        FindingDecision.DISMISSED,
        "湘阴县仍设林业局",
    )

    record.duties[4].tasks[2].text = "组织实施科技成果推广计划，推进技术市场发展"
    v2 = import_list(record, "002-v2.txt").version
    later = {f.evidence: f for f in run_checks(v2)}
    assert v2.number == 2 and "推进技术县场发展" not in later
    kept = later["林业局"]
    assert kept.decision is not None
    assert (kept.decision.status, kept.decision.reason, kept.decision.decided_by) == (
        "dismissed",
        "湘阴县仍设林业局",
        "县编办 张三（系统管理员）",
    )
    assert kept.as_json()["decision"]["status_label"] == "不是问题"
    assert later["工商局"].decision is None


def test_a_new_decision_replaces_the_old_one(load):
    version = import_list(load("002")).version
    finding = run_checks(version)[0]
    decide(Actor("甲", "admin"), version.department, finding.fingerprint, "dismissed", "模板原文如此")
    decide(Actor("乙", "admin"), version.department, finding.fingerprint, "accepted", "")
    [decision] = FindingDecision.objects.all()
    assert (decision.status, decision.decided_by) == ("accepted", "乙（系统管理员）")
    assert findings_of(version)[0].decision == decision


@pytest.mark.parametrize(
    ("fingerprint", "status", "reason", "role", "error"),
    [
        ("nope", "accepted", "", "admin", NotFound),
        (None, "ignored", "", "admin", QingdanError),
        (None, "dismissed", "  ", "admin", QingdanError),
        (None, "accepted", "", "filler", PermissionDenied),
        (None, "accepted", "", "", PermissionDenied),
    ],
)
def test_it_refuses_decisions_it_cannot_keep(load, fingerprint, status, reason, role, error):
    version = import_list(load("002")).version
    real = run_checks(version)[0].fingerprint
    who = Actor("甲", role, department_id=version.department_id)
    with pytest.raises(error):
        decide(who, version.department, fingerprint or real, status, reason)
    assert FindingDecision.objects.count() == 0


def test_it_finds_another_jurisdictions_name_among_the_registered_places(load):
    import_list(load("002"))
    record = load("000")
    record.duties[0].tasks[0].text = "参照湘阴县做法，负责科技创新综合工作"
    version = import_list(record).version
    [foreign] = [f for f in run_checks(version) if f.check_id == "place.foreign"]
    assert foreign.evidence == "参照湘阴县做法" and foreign.location == "主要职责 1 / 具体工作事项 1"


def test_it_checks_every_department_of_a_jurisdiction(load):
    for prefix in ("000", "001", "002"):
        import_list(load(prefix))
    reports = check_lists(jurisdiction="石家庄市鹿泉区")
    assert [r.department.name for r in reports] == ["石家庄市鹿泉区工业和信息化局", LUQUAN_KEGONG]
    assert len(check_lists()) == 3
    with pytest.raises(QingdanError):
        check_lists("湘阴", "湘阴县")


def test_the_command_prints_findings_grouped_by_check(load):
    import_list(load("002"))
    result = CliRunner().invoke(main, ["check", "湘阴"])
    assert result.exit_code == 0, result.output
    assert "湘阴县科技局（湘阴县）第 1 版" in result.output
    assert "artifact.level-word 模板替换痕迹（6）" in result.output
    assert "错误 6" in result.output and "组织开展全县专利行政执法及县场监督管理工作" in result.output


def test_the_command_prints_json(load):
    import_list(load("002"))
    result = CliRunner().invoke(main, ["check", "湘阴", "--json"])
    data = json.loads(result.output)
    assert (data["department"], data["version"]) == ("湘阴县科技局", 1)
    first = data["findings"][0]
    assert set(first) >= {"check", "severity", "location", "message", "evidence", "suggestion", "fingerprint"}
    assert data["counts"]["错误"] == sum(f["severity"] == "error" for f in data["findings"])


def test_the_command_hides_dismissed_findings_and_says_so(load):
    version = import_list(load("002")).version
    forestry = next(f for f in run_checks(version) if f.evidence == "林业局")
    decide(Actor("甲", "admin"), find_department("湘阴"), forestry.fingerprint, "dismissed", "仍设林业局")
    result = CliRunner().invoke(main, ["check", "湘阴"])
    assert "另有 1 条已判定为「不是问题」" in result.output


def test_the_command_names_an_unknown_jurisdiction(load):
    import_list(load("002"))
    result = CliRunner().invoke(main, ["check", "--jurisdiction", "北京"])
    assert result.exit_code == 1 and "没有找到地区「北京」" in result.output
