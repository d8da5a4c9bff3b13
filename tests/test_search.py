"""Who-is-responsible search over the real seeds and the demo registry."""

from __future__ import annotations

import pytest

from qingdan.catalog.services import import_list
from qingdan.core.models import Department
from qingdan.ingest import load_bytes, load_path
from qingdan.search import consistency, get_backend, reindex, search
from qingdan.search.text import understand
from tests.conftest import LUQUAN_KEGONG, ROOT


@pytest.fixture
def registry(seed_bytes):
    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    for prefix in ("001", "002"):
        import_list(load_bytes(*seed_bytes(prefix)).record)
    for path in sorted((ROOT / "examples" / "demo").glob("*.*")):
        if path.suffix != ".md":
            import_list(load_path(path).record)
    reindex()


pytestmark = pytest.mark.django_db


def test_it_answers_who_handles_a_matter_with_unit_and_phone(registry):
    hit = search("湘阴县专利执法电话多少").hits[0]
    assert (hit.department, hit.units, hit.phones) == ("湘阴县科技局", ["知识产权办公室"], ["2269700"])
    assert hit.url.startswith("/d/")


def test_it_understands_traditional_characters(registry):
    simplified = [h.url for h in search("技术合同认定登记找谁").hits]
    traditional = [h.url for h in search("技術合同認定登記找誰").hits]
    assert traditional == simplified and simplified


def test_it_answers_a_one_character_query(registry):
    assert "盐" in search("盐").hits[0].text


def test_it_uses_a_place_named_in_the_query_as_a_filter(registry):
    hits = search("青山县专利").hits
    assert hits and {h.jurisdiction for h in hits} == {"青山县"}


def test_it_expands_abbreviations(registry):
    hits = search("高企申报找哪个科室", limit=3).hits
    assert any("高新技术企业" in h.text for h in hits)


def test_it_drops_question_words():
    assert understand("地震监测归谁管？", []).words == ["地震", "监测"]


def test_it_reports_when_index_and_registry_disagree(registry):
    assert consistency().ok
    get_backend().replace_department(Department.objects.get(name="湘阴县科技局").pk, [])
    report = consistency()
    assert not report.ok and report.missing


@pytest.mark.django_db(transaction=True)
def test_it_indexes_every_import_after_it_commits(seed_bytes):
    get_backend().clear()
    import_list(load_bytes(*seed_bytes("002")).record)
    assert search("地震监测").hits[0].department == "湘阴县科技局"


@pytest.fixture
def postgres_backend(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL search backend runs in the PostgreSQL pass of the suite")
    from qingdan import search as search_module

    settings.QINGDAN_SEARCH_BACKEND = "postgres"
    search_module.get_backend.cache_clear()
    yield search_module.get_backend()
    search_module.get_backend.cache_clear()


def test_it_answers_the_same_from_the_postgresql_backend(postgres_backend, registry):
    assert postgres_backend.name == "postgres"
    reindex()
    hit = search("湘阴县专利执法电话多少").hits[0]
    assert (hit.department, hit.units, hit.phones) == ("湘阴县科技局", ["知识产权办公室"], ["2269700"])
    assert "盐" in search("盐").hits[0].text
    assert {h.jurisdiction for h in search("青山县专利").hits} == {"青山县"}
    assert consistency().ok


def test_it_counts_what_the_index_should_hold_without_building_it(registry):
    from qingdan.search import expected_count, looks_current

    assert expected_count() == consistency().expected
    assert looks_current()
    get_backend().replace_department(Department.objects.get(name="湘阴县科技局").pk, [])
    assert not looks_current()
