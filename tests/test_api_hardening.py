"""The API answers every request, however odd, with JSON in its one error shape and a Chinese
message; staff edits change only what they send."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client

from qingdan.core.accounts import create_token
from qingdan.core.permissions import COMMAND_LINE
from qingdan.search import reindex

pytestmark = pytest.mark.django_db

LATIN_WORDS = re.compile(r"[A-Za-z]+ [a-z]+")  # an untranslated pydantic or Django sentence


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


@pytest.fixture
def auth(staff) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(COMMAND_LINE, 'filler')}"}


@pytest.fixture
def draft(staff, client, auth) -> str:
    """The edits address of 湘阴县科技局's new draft."""
    base = f"/api/v1/departments/{staff['department'].pk}/draft"
    client.post(base, "{}", content_type="application/json", **auth)
    return base


def _draft(client, base, auth) -> dict:
    return client.get(base, **auth).json()


def _edit(client, base, auth, body: dict):
    body = {"revision": _draft(client, base, auth)["revision"], **body}
    return client.post(base + "/edits", json.dumps(body), content_type="application/json", **auth)


# --- partial saves ---------------------------------------------------------------------------


def test_saving_only_the_text_keeps_the_tasks_units_and_note(client, auth, draft):
    before = _draft(client, draft, auth)["list"]["duties"][0]["tasks"][0]
    assert before["units"]
    response = _edit(
        client, draft, auth, {"op": "save", "path": "duties[0].tasks[0]", "values": {"text": "新的事项"}}
    )
    assert response.status_code == 200
    after = _draft(client, draft, auth)["list"]["duties"][0]["tasks"][0]
    assert after == {**before, "text": "新的事项"}


def test_saving_a_null_text_is_refused_with_the_field_named(client, auth, draft):
    before = _draft(client, draft, auth)
    response = _edit(
        client, draft, auth, {"op": "save", "path": "duties[0].tasks[0]", "values": {"text": None}}
    )
    error = _error(response, 422)
    assert error["fields"][0]["path"] == "body.values.text" and "None" not in error["message"]
    assert _draft(client, draft, auth)["list"] == before["list"]


@pytest.mark.parametrize(
    ("values", "path"),
    [({"units": 5}, "units"), ({"units": [1, None]}, "units"), ({"txet": "错别字"}, "txet")],
)
def test_a_value_of_the_wrong_type_or_an_unknown_field_is_refused(client, auth, draft, values, path):
    response = _edit(client, draft, auth, {"op": "save", "path": "duties[0].tasks[0]", "values": values})
    assert _error(response, 422)["fields"][0]["path"] == f"body.values.{path}"


def test_saving_a_power_keeps_what_the_form_does_not_show(client, auth, staff):
    from qingdan.catalog.services import import_export, plan_export
    from qingdan.core.models import Department
    from qingdan.ingest import load_bytes
    from tests.test_power_exports import as_jsonl, city_export

    import_export(
        plan_export(load_bytes("x.jsonl", as_jsonl(city_export()), department="西安市文化和旅游局"))
    )
    dept = Department.objects.get(name="西安市林业局")
    admin = {"HTTP_AUTHORIZATION": f"Bearer {create_token(COMMAND_LINE, 'admin')}"}
    base = f"/api/v1/departments/{dept.pk}/draft"
    client.post(base, "{}", content_type="application/json", **admin)
    powers = _draft(client, base, admin)["list"]["powers"]
    index = next(i for i, p in enumerate(powers) if p.get("entrusted_to"))
    response = _edit(
        client, base, admin, {"op": "save", "path": f"powers[{index}]", "values": {"name": "新名称"}}
    )
    assert response.status_code == 200, response.content
    assert _draft(client, base, admin)["list"]["powers"][index] == {**powers[index], "name": "新名称"}


# --- odd parameters --------------------------------------------------------------------------


@pytest.mark.parametrize("offset", ["1e30", str(10**30), "-1", "abc", "1.5", ""])
def test_absurd_paging_is_a_chinese_422(client, offset):
    error = _error(client.get("/api/v1/departments", {"offset": offset}), 422)
    assert error["fields"][0]["path"] == "query.offset"
    assert not LATIN_WORDS.search(error["fields"][0]["message"]), error


def test_a_missing_parameter_is_named_in_chinese(client):
    error = _error(client.get("/api/v1/search"), 422)
    assert error["fields"] == [{"path": "query.q", "message": "缺少此项"}]
    assert "query.q" in error["message"]


def test_a_malformed_json_body_is_a_chinese_error(client, auth, draft):
    response = client.post(draft + "/edits", "{not json", content_type="application/json", **auth)
    assert response.status_code in (400, 422)
    assert not LATIN_WORDS.search(_error(response, response.status_code)["message"])


# --- errors outside the views ----------------------------------------------------------------


def test_an_unknown_address_under_the_api_is_a_json_404(client):
    error = _error(client.get("/api/v1/no-such-thing"), 404)
    assert "没有" in error["message"]


def test_a_wrong_method_is_a_json_405(client):
    error = _error(client.delete("/api/v1/search?q=专利"), 405)
    assert "GET" in error["message"]


def test_a_body_over_the_upload_limit_is_a_json_413(client, auth, draft, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"op": "save", "path": "duties[0].tasks[0]", "values": {"text": "长" * 2000}}
    error = _error(_edit(client, draft, auth, body), 413)
    assert "上限" in error["message"]


def test_a_file_over_the_import_limit_is_a_json_413(client, auth, draft, settings):
    settings.QINGDAN_MAX_FILE_BYTES = 1000
    upload = ("big.csv", b"a,b\n" * 1000)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(draft + "/import", {"file": SimpleUploadedFile(*upload)}, **auth)
    assert "QINGDAN_MAX_FILE_BYTES" in _error(response, 413)["message"]


def test_a_multipart_body_without_a_boundary_is_a_400_not_a_crash(client, auth, draft):
    """Found by bench/schemathesis.sh."""
    response = client.post(draft + "/import", b"x", content_type="multipart/form-data", **auth)
    assert "multipart" in _error(response, 400)["message"]


def test_a_crash_is_a_json_500_and_its_traceback_is_logged(monkeypatch, caplog):
    """A fault injected into the search (nothing in the API is known to crash)."""

    def broken(*args, **kwargs):
        raise RuntimeError("injected fault")

    monkeypatch.setattr("qingdan.api.views.run_search", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        error = _error(client.get("/api/v1/search", {"q": "专利"}), 500)
    assert "injected" not in error["message"] and "Traceback" not in json.dumps(error)
    logged = [r for r in caplog.records if r.exc_info and "injected fault" in str(r.exc_info[1])]
    assert logged and logged[0].getMessage().startswith("GET /api/v1/search")


def test_a_reorganisation_naming_a_department_too_large_for_the_database_is_a_422(client, staff):
    admin = {"HTTP_AUTHORIZATION": f"Bearer {create_token(COMMAND_LINE, 'admin')}"}
    body = {"successor": staff["department"].pk, "predecessors": [10**20]}
    response = client.post("/api/v1/successions", json.dumps(body), content_type="application/json", **admin)
    assert _error(response, 422)["fields"][0]["path"] == "body.predecessors.0"


def test_a_staff_route_without_a_token_still_has_the_error_shape(client, staff):
    _error(client.get(f"/api/v1/departments/{staff['department'].pk}/draft"), 401)


def test_the_search_still_works(client, staff):
    reindex()
    assert client.get("/api/v1/search", {"q": "专利"}).status_code == 200


def test_the_log_file_is_in_the_data_directory_and_keeps_tracebacks(tmp_path):
    from django.conf import settings

    from qingdan.core.logfile import DataDirFileHandler

    assert settings.LOGGING["handlers"]["file"]["filename"].endswith("logs/qingdan.log")
    handler = DataDirFileHandler(tmp_path / "logs" / "qingdan.log", delay=True)
    logger = logging.getLogger("qingdan.test-log-file")
    logger.addHandler(handler)
    try:
        raise RuntimeError("写入日志")
    except RuntimeError:
        logger.exception("GET /api/v1/search")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = (tmp_path / "logs" / "qingdan.log").read_text(encoding="utf-8")
    assert "Traceback" in text and "写入日志" in text
