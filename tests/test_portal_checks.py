"""清单体检 report pages and the findings workbook."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from qingdan.catalog.services import import_list
from qingdan.checks.services import decide
from qingdan.core import outbox
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.ingest import load_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiangyin(seed_bytes) -> Department:
    import_list(load_bytes(*seed_bytes("002")).record)
    outbox.settle()  # what the worker does after publication: the pages serve what it stored
    return Department.objects.get(name="湘阴县科技局")


def test_it_reports_a_departments_findings_linked_to_their_items(client, xiangyin):
    page = client.get(f"/d/{xiangyin.pk}/check/").content.decode()
    assert "模板替换痕迹" in page and "组织开展全县专利行政执法及县场监督管理工作" in page
    assert f'href="/d/{xiangyin.pk}/v1/duty/' in page  # 主要职责 7 links to its item page
    assert f'href="/d/{xiangyin.pk}/v1/boundary/' in page


def test_it_counts_findings_by_check_for_a_jurisdiction(client, xiangyin):
    page = client.get(f"/j/{xiangyin.jurisdiction_id}/check/").content.decode()
    assert "湘阴县 · 清单体检" in page and "已撤销的机构" in page
    assert f'href="/d/{xiangyin.pk}/check/"' in page


def test_it_exports_findings_with_decisions_for_offline_review(client, xiangyin):
    client.get(f"/d/{xiangyin.pk}/check/")
    first = client.get(f"/d/{xiangyin.pk}/check.xlsx")
    sheet = load_workbook(io.BytesIO(first.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("地区", "部门", "版本", "严重程度", "检查项")
    fingerprint = next(r[-1] for r in rows[1:] if r[4] == "agency.defunct")
    decide(Actor("审核员", "admin"), xiangyin, fingerprint, "dismissed", "已与编办确认")
    sheet = load_workbook(io.BytesIO(client.get(f"/d/{xiangyin.pk}/check.xlsx").content)).active
    decided = [r for r in sheet.iter_rows(values_only=True) if r[-1] == fingerprint]
    assert decided and decided[0][10] == "不是问题" and decided[0][11] == "已与编办确认"


def test_it_records_a_decision_from_the_command_line(xiangyin):
    from click.testing import CliRunner

    from qingdan.checks.services import check_lists
    from qingdan.cli import main

    finding = next(f for f in check_lists("湘阴")[0].findings if f.check_id == "agency.defunct")
    runner = CliRunner()
    refused = runner.invoke(main, ["decide", "湘阴", finding.fingerprint, "--dismiss"])
    assert refused.exit_code == 1 and "理由" in refused.output
    done = runner.invoke(
        main, ["decide", "湘阴", finding.fingerprint, "--dismiss", "--reason", "本县仍设林业局"]
    )
    assert done.exit_code == 0 and "不是问题" in done.output
    again = next(f for f in check_lists("湘阴")[0].findings if f.fingerprint == finding.fingerprint)
    assert again.decision is not None and again.decision.reason == "本县仍设林业局"


def test_it_shows_overlaps_between_departments_of_a_jurisdiction(client, seed_bytes):
    from tests.conftest import LUQUAN_KEGONG

    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    import_list(load_bytes(*seed_bytes("001")).record)
    outbox.settle()
    place = Department.objects.get(name=LUQUAN_KEGONG).jurisdiction
    page = client.get(f"/j/{place.pk}/check/").content.decode()
    assert "部门之间的交叉与空白" in page and "淘汰落后产能" in page


def test_it_compares_two_lists_side_by_side(client, xiangyin, seed_bytes):
    from tests.conftest import LUQUAN_KEGONG

    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    other = Department.objects.get(name=LUQUAN_KEGONG)
    page = client.get("/compare", {"a": xiangyin.pk, "b": other.pk}).content.decode()
    assert "对应的事项" in page and "技术合同认定登记" in page and "只有 湘阴县科技局 有" in page
    assert "<select" in client.get("/compare").content.decode()


def test_it_accepts_a_decision_on_an_overlap_between_departments(client, seed_bytes):
    from qingdan.checks.services import crossing_findings
    from tests.conftest import LUQUAN_KEGONG

    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    import_list(load_bytes(*seed_bytes("001")).record)
    outbox.settle()
    dept = Department.objects.get(name=LUQUAN_KEGONG)
    overlap = next(f for f in crossing_findings(dept.jurisdiction) if f.check_id == "overlap.unbounded")
    decide(
        Actor("编办审核员", "admin"), dept, overlap.fingerprint, "dismissed", "001 已被 000 取代（机构改革）"
    )
    page = client.get(f"/j/{dept.jurisdiction_id}/check/").content.decode()
    assert "001 已被 000 取代（机构改革）" in page
