"""Old versions say they are old: a superseded version's pages, downloads and API answers."""

from __future__ import annotations

import copy
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingdan.catalog.models import Task
from qingdan.catalog.services import import_list
from qingdan.core.models import Department
from qingdan.ingest import load_bytes

pytestmark = pytest.mark.django_db

OLD, NEW = "负责专利执法工作", "负责专利行政执法工作"
KEPT = "制定全县科技政策性文件"


@pytest.fixture
def two_versions(seed_bytes) -> Department:
    """Seed 002 as version 1, and a copy with one task reworded as version 2."""
    record = load_bytes(*seed_bytes("002")).record
    import_list(record)
    changed = copy.deepcopy(record)
    task = next(t for d in changed.duties for t in d.tasks if t.text == OLD)
    task.text = NEW
    assert import_list(changed).version.number == 2
    return Department.objects.get(name="湘阴县科技局")


def _task(dept: Department, number: int, text: str) -> Task:
    return Task.objects.get(duty__version__department=dept, duty__version__number=number, text=text)


def test_it_says_an_old_version_is_superseded_and_links_to_the_current_one(client, two_versions):
    dept = two_versions
    page = client.get(f"/d/{dept.pk}/v1/").content.decode()
    assert "已被第 2 版取代" in page and f'href="/d/{dept.pk}/"' in page
    for current in (f"/d/{dept.pk}/", f"/d/{dept.pk}/v2/"):
        assert "已被" not in client.get(current).content.decode()


def test_it_links_an_old_item_to_the_same_item_in_the_current_version(client, two_versions):
    dept = two_versions
    old, new = _task(dept, 1, KEPT), _task(dept, 2, KEPT)
    page = client.get(f"/d/{dept.pk}/v1/task/{old.pk}/").content.decode()
    assert "已被第 2 版取代" in page and f'href="/d/{dept.pk}/v2/task/{new.pk}/"' in page
    duty = old.duty
    page = client.get(f"/d/{dept.pk}/v1/duty/{duty.pk}/").content.decode()
    assert f'href="/d/{dept.pk}/v2/duty/{_task(dept, 2, KEPT).duty.pk}/"' in page


def test_it_links_a_reworded_item_to_the_current_list(client, two_versions):
    dept = two_versions
    page = client.get(f"/d/{dept.pk}/v1/task/{_task(dept, 1, OLD).pk}/").content.decode()
    assert "已被第 2 版取代" in page and "查看现行的第 2 版清单" in page
    assert f'href="/d/{dept.pk}/"' in page


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "docx"])
def test_an_old_version_downloads_itself_not_the_newest(client, two_versions, fmt):
    dept = two_versions
    assert f'href="/d/{dept.pk}/v1/download.{fmt}"' in client.get(f"/d/{dept.pk}/v1/").content.decode()

    def tasks(url: str) -> set[str]:
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        record = load_bytes(f"download.{fmt}", response.content).record
        return {t.text for d in record.duties for t in d.tasks}

    old = tasks(f"/d/{dept.pk}/v1/download.{fmt}")
    assert OLD in old and NEW not in old
    newest = tasks(f"/d/{dept.pk}/download.{fmt}")
    assert NEW in newest and OLD not in newest
    assert client.get(f"/d/{dept.pk}/v9/download.{fmt}").status_code == 404


def test_the_api_says_whether_a_version_is_current(client, two_versions):
    dept = two_versions
    old = client.get(f"/api/v1/departments/{dept.pk}/list", {"version": 1}).json()
    assert (old["version"], old["current"], old["superseded_by"]) == (1, False, 2)
    assert OLD in json.dumps(old, ensure_ascii=False)
    newest = client.get(f"/api/v1/departments/{dept.pk}/list").json()
    assert (newest["version"], newest["current"], newest["superseded_by"]) == (2, True, None)
    assert newest["format"] == "qingdan/1" and len(newest["duties"]) == 16


def test_the_api_item_says_whether_it_is_current_and_where_it_lives_now(client, two_versions):
    dept = two_versions
    old, new = _task(dept, 1, KEPT), _task(dept, 2, KEPT)
    doc = client.get(f"/api/v1/departments/{dept.pk}/v1/task/{old.pk}").json()
    assert (doc["current"], doc["superseded_by"]) == (False, 2)
    assert doc["current_url"] == f"/d/{dept.pk}/v2/task/{new.pk}/"
    doc = client.get(f"/api/v1/departments/{dept.pk}/v2/task/{new.pk}").json()
    assert (doc["current"], doc["superseded_by"], doc["current_url"]) == (
        True,
        None,
        f"/d/{dept.pk}/v2/task/{new.pk}/",
    )


def test_the_api_schema_describes_the_new_fields(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"current", "superseded_by"} <= set(schemas["ListOut"]["properties"])
    assert {"current", "superseded_by", "current_url"} <= set(schemas["ItemOut"]["properties"])


def test_a_draft_does_not_supersede_the_published_version(client, two_versions):
    dept = two_versions
    record = load_bytes(*_seed_002()).record
    import_list(record, draft=True)  # version 3, a draft: not public
    assert "已被" not in client.get(f"/d/{dept.pk}/v2/").content.decode()
    assert "已被第 2 版取代" in client.get(f"/d/{dept.pk}/v1/").content.decode()
    doc = client.get(f"/api/v1/departments/{dept.pk}/list", {"version": 2}).json()
    assert (doc["current"], doc["superseded_by"]) == (True, None)
    assert client.get(f"/d/{dept.pk}/v3/").status_code == 404


def test_reading_old_versions_never_writes(client, two_versions):
    dept = two_versions
    task = _task(dept, 1, KEPT)
    urls = [
        f"/d/{dept.pk}/v1/",
        f"/d/{dept.pk}/v1/task/{task.pk}/",
        f"/d/{dept.pk}/v1/download.xlsx",
        f"/api/v1/departments/{dept.pk}/list?version=1",
        f"/api/v1/departments/{dept.pk}/v1/task/{task.pk}",
    ]
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def _seed_002() -> tuple[str, bytes]:
    from tests.conftest import seed

    path = seed("002")
    return path.name, path.read_bytes()
