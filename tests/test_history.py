"""Versions over time in the registry: `qingdan diff`, the diff and change-log pages and API, and
comparison across a reorganisation (seed 001 鹿泉区工业和信息化局 → seed 000 鹿泉区科学技术和工业信息化局)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qingdan.catalog.history import change_log, record_succession, version_diff
from qingdan.catalog.services import import_list
from qingdan.cli import main
from qingdan.core.models import Department
from qingdan.core.permissions import COMMAND_LINE, PUBLIC
from qingdan.ingest import load_bytes
from tests.conftest import LUQUAN_KEGONG

pytestmark = pytest.mark.django_db


@pytest.fixture
def reorganised(seed_bytes):
    import_list(load_bytes(*seed_bytes("001")).record)
    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    old = Department.objects.get(name__contains="工业和信息化局", jurisdiction__name__contains="鹿泉")
    new = Department.objects.get(name=LUQUAN_KEGONG)
    return old, new


def test_first_version_is_compared_with_its_predecessors(reorganised):
    old, new = reorganised
    alone = version_diff(PUBLIC, new)
    assert alone.is_first and all(c.kind.endswith("_added") for c in alone.diff.changes)
    record_succession(COMMAND_LINE, new, [old], "鹿泉区机构改革方案")
    across = version_diff(PUBLIC, new)
    assert old.name in across.old_label
    added = [d.diff.counts().get("duty_added", 0) for d in (across, alone)]
    assert 0 < added[0] < added[1]  # duties the predecessor already had are not "added"
    assert across.diff.counts().get("duty_removed", 0) > 0  # and some of its duties went away
    assert [e.diff.old_label for e in change_log(new)] == [across.old_label]


def test_qingdan_diff_prints_and_writes_json(reorganised, seed_bytes):
    old, new = reorganised
    record_succession(COMMAND_LINE, new, [old], "")
    record = load_bytes(*seed_bytes("001")).record
    record.duties[0].text += "（修订）"
    import_list(record)  # version 2 of 001
    result = CliRunner().invoke(main, ["diff", old.name])
    assert result.exit_code == 0, result.output
    assert (
        "第 1 版 → 第 2 版" in result.output and "改写职责" in result.output
    ) or "（修订）" in result.output
    as_json = json.loads(CliRunner().invoke(main, ["diff", old.name, "--json"]).output)
    assert (as_json["from_version"], as_json["to_version"]) == (1, 2)
    assert [c["kind"] for c in as_json["changes"]] == ["duty_reworded"]
    same = CliRunner().invoke(main, ["diff", old.name, "--from", "2", "--to", "2"])
    assert "内容相同" in same.output
    missing = CliRunner().invoke(main, ["diff", old.name, "--from", "9"])
    assert missing.exit_code == 1 and "没有第 9 版" in missing.output


def test_public_pages_and_api_show_the_change_log(reorganised, seed_bytes, client):
    old, _ = reorganised
    record = load_bytes(*seed_bytes("001")).record
    record.duties[0].text += "（修订）"
    import_list(record)
    assert f'href="/d/{old.pk}/changes/"' in client.get(f"/d/{old.pk}/").content.decode()
    page = client.get(f"/d/{old.pk}/changes/").content.decode()
    assert "第 2 版" in page and "（修订）" in page
    assert "首次发布" in page and page.count("新增职责") == 0  # version 1 is not a list of additions
    assert "（修订）" in client.get(f"/d/{old.pk}/diff/?from=1&to=2").content.decode()
    assert client.get(f"/d/{old.pk}/diff/?from=7").status_code == 404
    api = client.get(f"/api/v1/departments/{old.pk}/changes").json()
    assert [c["version"] for c in api["changes"]] == [2, 1]
    diff = client.get(f"/api/v1/departments/{old.pk}/diff?from=1&to=2").json()
    assert [c["kind"] for c in diff["changes"]] == ["duty_reworded"]


def test_qingdan_audit_verify_prints_the_head_and_checks_an_expected_one(reorganised):
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0 and "哈希链连续" in result.output
    head = result.output.split("最新摘要：")[1][:64]
    assert CliRunner().invoke(main, ["audit", "verify", "--expect", head]).exit_code == 0
    lost = CliRunner().invoke(main, ["audit", "verify", "--expect", "0" * 63 + "1"])
    assert lost.exit_code == 1 and "末尾" in lost.output
