"""The registry of checks and the data tables they consult."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingdan.checks import registry
from qingdan.checks.base import INFO, SEVERITY_LABELS, Check
from qingdan.checks.context import CheckContext
from qingdan.checks.data import defunct_agencies, renames, table
from qingdan.checks.engine import check_record
from qingdan.checks.registry import all_checks, register
from qingdan.ingest.records import DutyRecord, ListRecord, TaskRecord

DOCS = Path(__file__).resolve().parent.parent / "docs" / "checks.md"
ISSUE_5_CHECKS = {
    "artifact.level-word",
    "agency.defunct",
    "law.repealed",
    "law.amended",
    "place.old-name",
    "place.foreign",
    "structure.duty-without-task",
    "structure.task-without-unit",
    "structure.unit-without-phone",
    "structure.malformed-phone",
    "structure.duplicate-duty",
    "structure.duplicate-task",
    "structure.duplicate-boundary",
    "structure.boundary-without-own",
    "structure.service-without-contact",
    "structure.regime-incomplete",
}


def test_it_registers_every_check_of_issue_5_with_a_title_and_severity():
    checks = all_checks()
    ids = [c.id for c in checks]
    assert set(ids) >= ISSUE_5_CHECKS and len(ids) == len(set(ids))
    assert all(c.title and c.severity in SEVERITY_LABELS for c in checks)


def test_the_documented_example_is_a_working_check_in_one_file(monkeypatch):
    monkeypatch.setattr(registry, "_CHECKS", dict(registry._CHECKS))
    text = DOCS.read_text(encoding="utf-8").split("## Adding a check is one file", 1)[1]
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    assert len(example.splitlines()) <= 20
    exec(compile(example, "structure_vague_task.py", "exec"), {"__name__": "structure_vague_task"})

    duty = DutyRecord(
        "1", "科技", [TaskRecord("其他", ["办公室"]), TaskRecord("制定全县科技政策", ["办公室"])]
    )
    record = ListRecord("湘阴县科技局", "湘阴县", duties=[duty])
    [finding] = check_record(CheckContext(record), only=["structure.vague-task"])
    assert (finding.check_id, finding.location.label, finding.evidence) == (
        "structure.vague-task",
        "主要职责 1 / 具体工作事项 1",
        "其他",
    )


def test_every_check_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    assert [c.id for c in all_checks() if f"`{c.id}`" not in text] == []


@pytest.mark.parametrize("bad_id", ["VagueTask", "structure", "agency.defunct"])
def test_it_refuses_a_check_without_a_proper_new_id(monkeypatch, bad_id):
    monkeypatch.setattr(registry, "_CHECKS", dict(registry._CHECKS))
    all_checks()
    with pytest.raises(ValueError):
        register(type("Bad", (Check,), {"id": bad_id, "severity": INFO, "title": "坏"}))


@pytest.mark.django_db
def test_the_law_registry_holds_the_nine_laws_the_civil_code_replaced():
    from qingdan.laws.services import resolve_titles

    replaced = [
        "合同法",
        "物权法",
        "担保法",
        "婚姻法",
        "继承法",
        "收养法",
        "民法通则",
        "民法总则",
        "侵权责任法",
    ]
    laws = resolve_titles(replaced)
    for title in replaced:
        law = laws[title]
        assert (str(law.repealed_on), law.successor.title) == ("2021-01-01", "中华人民共和国民法典")


def test_no_defunct_agency_name_is_part_of_its_successors_name():
    # 旅游局 would be: it is inside 文化和旅游局
    assert table("agencies")["comment"]
    for agency in defunct_agencies():
        assert agency.successor and agency.date
        assert not any(name in agency.successor for name in agency.names)


def test_every_rename_names_the_new_jurisdiction_in_full():
    assert table("places")["comment"]
    assert all(r.new.endswith(("区", "县", "市")) and r.old != r.new for r in renames())
