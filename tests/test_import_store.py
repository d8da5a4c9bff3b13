"""Storing lists: versions, no-op re-imports, atomic failures, citations, exports that round-trip."""

from __future__ import annotations

import copy
import json

import pytest

from qingdan.catalog import services
from qingdan.catalog.exports import export_record
from qingdan.catalog.models import LegalCitation, ListVersion, Task
from qingdan.catalog.services import find_department, import_list, record_of
from qingdan.core.models import Department, Jurisdiction
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from tests.conftest import LUQUAN_KEGONG

pytestmark = pytest.mark.django_db


def load(seed_bytes, prefix: str, **kwargs):
    name, data = seed_bytes(prefix)
    return load_bytes(name, data, **kwargs).record


def test_it_stores_seed_002_and_gives_it_back_unchanged(seed_bytes):
    record = load(seed_bytes, "002")
    result = import_list(record, "002.txt", "x" * 64)
    assert result.created and result.version.number == 1
    assert record_of(result.version).to_json() == {**record.to_json(), "version": 1}
    task = Task.objects.get(duty__version=result.version, text="负责全县科学技术奖、专利奖励管理工作")
    assert [u.name for u in task.units.all()] == ["知识产权办公室"]
    assert task.units.get().phones == ["2269700"]


def test_it_does_nothing_when_the_same_list_is_imported_again(seed_bytes):
    record = load(seed_bytes, "002")
    first = import_list(record, "002.txt")
    again = import_list(load(seed_bytes, "002"), "002.txt")
    assert not again.created and again.version.pk == first.version.pk
    assert ListVersion.objects.count() == 1


def test_it_creates_a_new_version_when_the_list_changes(seed_bytes):
    record = load(seed_bytes, "002")
    import_list(record, "002.txt")
    changed = copy.deepcopy(record)
    changed.duties[0].tasks[0].text = "制定全县科技政策性文件并组织实施"
    result = import_list(changed, "002-v2.txt")
    assert result.created and result.version.number == 2
    assert list(Department.objects.get().versions.values_list("number", flat=True)) == [1, 2]
    old = record_of(ListVersion.objects.get(number=1))
    assert old.duties[0].tasks[0].text == "制定全县科技政策性文件"


def test_it_writes_nothing_when_storing_fails_halfway(seed_bytes, monkeypatch):
    record = load(seed_bytes, "002")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_write_services", explode)
    with pytest.raises(RuntimeError):
        import_list(record, "002.txt")
    assert (Jurisdiction.objects.count(), Department.objects.count(), ListVersion.objects.count()) == (
        0,
        0,
        0,
    )
    assert Task.objects.count() == 0


def test_it_parses_legal_citations_out_of_basis_texts(seed_bytes):
    version = import_list(load(seed_bytes, "000", department=LUQUAN_KEGONG)).version
    cited = {
        (c.title, c.article, c.article_number, c.law.title if c.law else None)
        for c in LegalCitation.objects.filter(version=version).select_related("law")
    }
    road = "中华人民共和国道路交通安全法"
    assert (road, "第四十八条", 48, road) in cited
    assert (road, "第九十二条", 92, road) in cited
    # the short name resolves to the registry's full title
    assert ("预算法", "", None, "中华人民共和国预算法") in cited
    # a title the registry does not know stays unresolved, for a person to link
    assert ("中共石家庄市委 石家庄市人民政府关于实行安全生产党政同责一岗双责的意见", "", None, None) in cited


def test_it_finds_a_department_by_a_unique_part_of_its_name(seed_bytes):
    import_list(load(seed_bytes, "002"))
    import_list(load(seed_bytes, "001"))
    assert find_department("湘阴").name == "湘阴县科技局"
    with pytest.raises(QingdanError, match="对应多个部门"):
        find_department("局")
    with pytest.raises(QingdanError, match="没有找到部门"):
        find_department("财政局")


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "docx"])
@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_it_exports_and_imports_back_the_same_list(seed_bytes, fmt, prefix):
    record = load(seed_bytes, prefix, department=LUQUAN_KEGONG if prefix == "000" else "")
    stored = record_of(import_list(record).version)
    data = export_record(stored, fmt)
    again = load_bytes(f"export.{fmt}", data).record
    assert again.to_json() == {**stored.to_json(), "version": again.version}


def test_it_exports_the_documented_json_shape(seed_bytes):
    stored = record_of(import_list(load(seed_bytes, "001")).version)
    doc = json.loads(export_record(stored, "json"))
    assert list(doc) == [
        "format",
        "department",
        "jurisdiction",
        "version",
        "units",
        "duties",
        "boundaries",
        "services",
        "supervision",
        "powers",
    ]
    assert doc["format"] == "qingdan/1"
    assert doc["units"][0] == {"name": "运行一科", "kind": "内设机构", "phones": ["82012711"]}
    assert set(doc["duties"][0]) == {"no", "text", "tasks"}
    assert set(doc["duties"][0]["tasks"][0]) == {"text", "units", "note"}
