"""The public portal and the JSON API, through Django's test client."""

from __future__ import annotations

import json

import pytest

from qingdan.catalog.models import ListVersion, Task
from qingdan.catalog.services import import_list
from qingdan.core.models import Department
from qingdan.ingest import load_bytes
from qingdan.search import reindex

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiangyin(seed_bytes) -> Department:
    import_list(load_bytes(*seed_bytes("002")).record)
    reindex()
    return Department.objects.get(name="湘阴县科技局")


def test_it_lists_jurisdictions_and_departments_on_the_home_page(client, xiangyin):
    page = client.get("/").content.decode()
    assert "湘阴县" in page and f'href="/d/{xiangyin.pk}/"' in page


def test_it_lays_out_a_list_like_the_register(client, xiangyin):
    page = client.get(f"/d/{xiangyin.pk}/").content.decode()
    assert "部门职责登记表" in page and "与相关部门的职责边界" in page and "公共服务事项" in page
    assert 'rowspan="4"' in page  # duty 1 spans its four tasks
    assert 'href="tel:2269700"' in page


def test_it_gives_every_item_a_permanent_page(client, xiangyin):
    task = Task.objects.get(text="负责专利执法工作")
    page = client.get(f"/d/{xiangyin.pk}/v1/task/{task.pk}/").content.decode()
    assert "负责专利执法工作" in page and "知识产权办公室" in page and "2269700" in page
    assert client.get(f"/d/{xiangyin.pk}/v1/task/999999/").status_code == 404


def test_it_highlights_the_matched_words_in_search_results(client, xiangyin):
    page = client.get("/search", {"q": "专利执法找谁"}).content.decode()
    assert "<mark>专利</mark>" in page and "知识产权办公室" in page


def test_it_escapes_what_people_type(client, xiangyin):
    page = client.get("/search", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_it_shows_only_published_versions(client, xiangyin):
    ListVersion.objects.update(status=ListVersion.DRAFT)
    assert client.get(f"/d/{xiangyin.pk}/").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "docx"])
def test_it_offers_downloads_that_import_back(client, xiangyin, fmt):
    response = client.get(f"/d/{xiangyin.pk}/download.{fmt}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    again = load_bytes(f"download.{fmt}", response.content).record
    assert again.department == "湘阴县科技局" and len(again.duties) == 16


def test_it_offers_the_whole_registry_as_open_data(client, xiangyin):
    doc = json.loads(client.get("/-/download/registry.json").content)
    assert [d["department"] for d in doc["lists"]] == ["湘阴县科技局"]
    assert client.get("/-/download/registry.csv").content.decode("utf-8-sig").count("\r\n") == 73


def test_it_answers_search_over_the_api(client, xiangyin):
    doc = client.get("/api/v1/search", {"q": "地震监测归谁管", "limit": 3}).json()
    assert doc["hits"][0]["department"] == "湘阴县科技局"
    assert doc["hits"][0]["units"] == ["地震办公室"] and doc["hits"][0]["phones"] == ["2115558"]


def test_it_serves_a_department_list_in_the_exchange_format(client, xiangyin):
    doc = client.get(f"/api/v1/departments/{xiangyin.pk}/list").json()
    assert doc["format"] == "qingdan/1" and doc["department"] == "湘阴县科技局"
    page = client.get("/api/v1/departments", {"limit": 1}).json()
    assert page["count"] == 1 and page["items"][0]["name"] == "湘阴县科技局"


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/v1/departments/999999/list", 404), ("/api/v1/search", 422), ("/api/v1/search?q=a&limit=0", 422)],
)
def test_it_reports_every_api_error_in_one_shape(client, xiangyin, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    fields = {"status", "message", "fields"} if status == 422 else {"status", "message"}
    assert set(response.json()["error"]) == fields


def test_it_publishes_an_openapi_description(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in doc["paths"]
    edits = doc["paths"]["/api/v1/departments/{department_id}/draft/edits"]["post"]
    assert edits["security"] == [{"TokenAuth": []}]  # the write API says it needs a token


def test_it_refuses_writes_on_the_public_api(client, xiangyin):
    assert client.post("/api/v1/search?q=x").status_code == 405
