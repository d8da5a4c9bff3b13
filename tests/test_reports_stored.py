"""Report pages serve what the background stored: an anonymous GET never writes or checks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingdan.catalog.services import import_list
from qingdan.checks.models import CheckRun, CrossingRun
from qingdan.checks.services import owe_unchecked
from qingdan.core import outbox
from qingdan.core.models import Department, PendingWork
from qingdan.ingest import load_bytes
from tests.conftest import LUQUAN_KEGONG

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def luquan(seed_bytes) -> Department:
    """Two departments of 鹿泉区 whose lists overlap, published and not yet checked."""
    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    import_list(load_bytes(*seed_bytes("001")).record)
    return Department.objects.get(name=LUQUAN_KEGONG)


def _urls(dept: Department) -> list[str]:
    other = Department.objects.exclude(pk=dept.pk).first()
    assert other is not None
    return [
        f"/d/{dept.pk}/check/",
        f"/d/{dept.pk}/check/?page=2",
        f"/d/{dept.pk}/check.xlsx",
        f"/j/{dept.jurisdiction_id}/check/",
        f"/j/{dept.jurisdiction_id}/check.xlsx",
        f"/compare?a={dept.pk}&b={other.pk}",
    ]


def _writes(client, urls: list[str]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200, url
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_it_never_writes_on_an_anonymous_get_before_the_checks_ran(client, luquan):
    assert _writes(client, _urls(luquan)) == []
    assert not CheckRun.objects.exists() and not CrossingRun.objects.exists()


def test_it_never_writes_on_an_anonymous_get_of_stored_results(client, luquan):
    outbox.settle()
    assert _writes(client, _urls(luquan)) == []


def test_it_says_the_check_is_running_in_the_background_until_it_is_stored(client, luquan):
    page = client.get(f"/d/{luquan.pk}/check/").content.decode()
    assert "清单体检正在后台进行" in page and "发布" in page and "下载体检结果" not in page
    place = client.get(f"/j/{luquan.jurisdiction_id}/check/").content.decode()
    assert "体检正在后台进行" in place and "正在后台计算" in place


def test_it_serves_stored_findings_once_the_background_checked_them(client, luquan):
    outbox.settle()
    assert CheckRun.objects.filter(version__department=luquan).exists()
    page = client.get(f"/d/{luquan.pk}/check/").content.decode()
    assert "清单体检正在后台进行" not in page and "下载体检结果" in page and "体检于" in page


def test_it_computes_overlaps_between_departments_once_after_publication(client, luquan):
    assert PendingWork.objects.filter(kind=PendingWork.CROSSING, key=luquan.jurisdiction_id).exists()
    outbox.settle()
    run = CrossingRun.objects.get(jurisdiction=luquan.jurisdiction)
    assert len(run.versions) == 2 and any(f["check"] == "overlap.unbounded" for f in run.findings)
    page = client.get(f"/j/{luquan.jurisdiction_id}/check/").content.decode()
    assert "淘汰落后产能" in page and "正在后台计算" not in page and "结果正在后台更新" not in page


def test_it_says_when_stored_overlaps_predate_the_newest_lists(client, luquan):
    outbox.settle()
    CrossingRun.objects.filter(jurisdiction=luquan.jurisdiction).update(versions=[])
    page = client.get(f"/j/{luquan.jurisdiction_id}/check/").content.decode()
    assert "结果正在后台更新" in page and "淘汰落后产能" in page


def test_it_pages_long_lists_of_findings(client, luquan, monkeypatch):
    from qingdan.portal import checks

    outbox.settle()
    monkeypatch.setattr(checks, "PAGE_SIZE", 2)
    first = client.get(f"/d/{luquan.pk}/check/").content.decode()
    second = client.get(f"/d/{luquan.pk}/check/?page=2").content.decode()
    assert "第 1 / " in first and "下一页" in first and "上一页" not in first
    assert "第 2 / " in second and "上一页" in second and first.count('<li class="finding') == 2
    place = client.get(f"/j/{luquan.jurisdiction_id}/check/").content.decode()
    assert "下一页" in place and place.count('<li class="finding') == 2


def test_it_pages_a_long_comparison(client, luquan, monkeypatch):
    from qingdan.portal import checks

    monkeypatch.setattr(checks, "PAGE_SIZE", 3)
    other = Department.objects.exclude(pk=luquan.pk).get()
    page = client.get("/compare", {"a": luquan.pk, "b": other.pk, "matched": 2}).content.decode()
    assert (
        "对应的事项" in page and "第 2 / " in page and f"a={luquan.pk}&amp;b={other.pk}&amp;matched=1" in page
    )
    assert "matched=2&amp;only_in_a=2" in page  # turning one list's pages keeps the other's


def test_it_refuses_to_compare_lists_too_long_for_a_page(client, luquan, monkeypatch):
    from qingdan.portal import checks

    monkeypatch.setattr(checks, "COMPARE_LIMIT", 5)
    other = Department.objects.exclude(pk=luquan.pk).get()
    page = client.get("/compare", {"a": luquan.pk, "b": other.pk}).content.decode()
    assert "网页上不做比对" in page and "qingdan compare" in page and "对应的事项" not in page


def test_it_owes_the_checks_of_lists_published_before_they_ran_in_the_background(luquan):
    outbox.settle()
    CheckRun.objects.all().delete()
    CrossingRun.objects.all().delete()
    assert owe_unchecked() == 3  # two lists, one jurisdiction
    assert owe_unchecked() == 0  # already owed: not owed twice
    outbox.settle()
    assert CheckRun.objects.count() == 2 and CrossingRun.objects.count() == 1


def test_it_rechecks_overlaps_when_a_department_is_abolished(luquan):
    from qingdan.catalog.succession import record_succession
    from qingdan.core.permissions import Actor

    outbox.settle()
    other = Department.objects.exclude(pk=luquan.pk).get()
    record_succession(Actor("编办", "admin"), luquan, [other])
    assert PendingWork.objects.filter(kind=PendingWork.CROSSING, key=luquan.jurisdiction_id).exists()
    outbox.settle()
    run = CrossingRun.objects.get(jurisdiction=luquan.jurisdiction)
    assert len(run.versions) == 1 and not [f for f in run.findings if f["check"] == "overlap.unbounded"]


def test_it_links_each_finding_of_a_page_to_its_item(luquan):
    from qingdan.checks.models import Finding
    from qingdan.portal.items import urls_for_paths

    outbox.settle()
    version = luquan.versions.get()
    paths = [f.path for f in Finding.objects.filter(version=version) if f.path]
    urls = urls_for_paths(version, paths)
    assert paths and all(urls[p].startswith(f"/d/{luquan.pk}/v1/") for p in paths)
    assert {"task", "boundary"} <= {u.split("/")[4] for u in urls.values()}
