"""The public power list of a jurisdiction, one power as its element table, and a law's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingdan.catalog.models import PowerItem
from qingdan.catalog.powers import numbered_parts
from qingdan.catalog.services import import_list
from qingdan.core.models import Department, Jurisdiction, Succession
from qingdan.ingest.records import ListRecord, PowerRecord
from qingdan.laws.models import Law

pytestmark = pytest.mark.django_db

CITY = "青山市"
TYPES = ["行政许可", "行政处罚", "行政检查", "行政确认"]
DEPARTMENTS = [
    "青山市科学技术局",
    "青山市市场监督管理局",
    "青山市自然资源和规划局",
    "青山市生态环境局",
    "青山市交通运输局",
    "青山市卫生健康委员会",
    "青山市应急管理局",
    "青山市文化广电旅游局",
    "青山市农业农村局",
    "青山市住房和城乡建设局",
    "青山市教育局",
    "青山市民政局",
]
DUTIES = "1.受理责任：依法受理或不予受理，并一次性告知补正材料。2.审查责任：对申请材料进行审查。3.决定责任：作出决定。"
BLAME = "1.对符合法定条件的申请不予受理的；2.未依法说明不予受理理由的；3.其他违反法律法规规章规定的行为。"


def power(department: str, i: int, **changes: object) -> PowerRecord:
    fields: dict[str, object] = {
        "name": f"{department[3:]}事项{i:03d}",
        "code": f"{DEPARTMENTS.index(department):02d}{i:04d}",
        "type": TYPES[i % len(TYPES)],
        "basis": "《中华人民共和国行政许可法》第十二条；《青山市科技创新促进条例》第八条",
        "subject": department,
        "units": ["政策法规科"],
        "duties": DUTIES,
        "accountability": BLAME,
        "phones": ["0730-5201234"],
    }
    return PowerRecord(**{**fields, **changes})  # type: ignore[arg-type]


def publish(department: str, count: int, **changes: object) -> None:
    powers = [power(department, i, **changes) for i in range(count)]
    import_list(ListRecord(department=department, jurisdiction=CITY, powers=powers))


@pytest.fixture
def city() -> Jurisdiction:
    """Four departments of ten powers each, published."""
    for name in DEPARTMENTS[:4]:
        publish(name, 10)
    return Jurisdiction.objects.get(name=CITY)


def test_it_lists_the_powers_of_every_department_with_counts(client, city):
    page = client.get(f"/j/{city.pk}/powers/").content.decode()
    assert "青山市权力事项" in page and "共 40 项" in page
    assert '行政许可</a> <span class="count">12</span>' in page  # 0, 4 and 8 of each department
    assert '青山市生态环境局</a> <span class="count">10</span>' in page
    assert page.count('<td class="step">') == 0  # the list is a list; the steps are on the item page
    assert "第 1 / 1 页" not in page  # one page: no pager


def test_it_filters_by_type_and_department(client, city):
    ecology = Department.objects.get(name="青山市生态环境局")
    page = client.get(f"/j/{city.pk}/powers/", {"type": "行政处罚", "d": ecology.pk}).content.decode()
    names = [p.name for p in PowerItem.objects.filter(type="行政处罚", version__department=ecology)]
    assert len(names) == 3 and all(n in page for n in names)
    assert "科学技术局事项001" not in page  # 行政处罚 too, but another department
    assert "生态环境局事项000" not in page  # the same department, but 行政许可
    # each filter counts within the other: 行政处罚 per department, types of this department
    assert '青山市科学技术局</a> <span class="count">3</span>' in page
    assert '行政许可</a> <span class="count">3</span>' in page


def test_it_pages_a_long_list(client, city):
    publish(DEPARTMENTS[4], 80, type="行政许可")
    first = client.get(f"/j/{city.pk}/powers/").content.decode()
    assert "第 1 / 3 页" in first and "共 120 项" in first and 'rel="next"' in first
    last = client.get(f"/j/{city.pk}/powers/", {"page": 3}).content.decode()
    assert "第 101–120 项" in last and last.count("<tr><td>") == 20
    filtered = client.get(f"/j/{city.pk}/powers/", {"type": "行政许可", "page": 2}).content.decode()
    assert "第 2 / 2 页（第 51–92 项" in filtered
    assert (
        'href="?type=%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF&amp;page=1"' in filtered
    )  # the pager keeps the filter


def test_it_shows_only_published_versions_of_current_departments(client, city):
    science, market = (Department.objects.get(name=n) for n in DEPARTMENTS[:2])
    draft = [power(science.name, i, name=f"草稿事项{i}") for i in range(3)]
    import_list(ListRecord(department=science.name, jurisdiction=CITY, powers=draft), draft=True)
    import_list(
        ListRecord(
            department="青山市尚未发布局",
            jurisdiction=CITY,
            powers=[power(science.name, 0, name="未发布事项")],
        ),
        draft=True,
    )
    merged = Department.objects.get(name=DEPARTMENTS[2])
    Succession.objects.create(successor=market, predecessor=merged, basis="青山市机构改革方案")
    page = client.get(f"/j/{city.pk}/powers/").content.decode()
    assert "科学技术局事项000" in page and "草稿事项" not in page and "未发布事项" not in page
    assert "自然资源和规划局事项" not in page and "共 30 项" in page


def test_it_reads_a_city_list_in_a_constant_number_of_queries(client, city):
    url = f"/j/{city.pk}/powers/?type=行政许可"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for name in DEPARTMENTS[4:]:
        publish(name, 60)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "共 520 项" in page and "第 1 / 3 页" in page
    assert len(large) == len(small) <= 8


def test_it_links_the_power_list_from_home_and_department_pages(client, city, seed_bytes):
    from qingdan.ingest import load_bytes

    import_list(load_bytes(*seed_bytes("002")).record)  # 湘阴县: a 责任清单 without powers
    home = client.get("/").content.decode()
    assert f'href="/j/{city.pk}/powers/"' in home
    xiangyin = Jurisdiction.objects.get(name="湘阴县")
    assert f'href="/j/{xiangyin.pk}/powers/"' not in home
    science = Department.objects.get(name=DEPARTMENTS[0])
    page = client.get(f"/d/{science.pk}/").content.decode()
    assert f'href="/j/{city.pk}/powers/?d={science.pk}"' in page


@pytest.fixture
def entrusted(city) -> PowerItem:
    extra = {"办理时限": "20个工作日", "收费标准": "不收费"}
    special = power(
        DEPARTMENTS[0], 99, entrusted_to="青山市科技创新服务中心", source_id="QS-2024-0001", extra=extra
    )
    others = [power(DEPARTMENTS[0], i) for i in range(10)]
    import_list(ListRecord(department=DEPARTMENTS[0], jurisdiction=CITY, powers=[*others, special]))
    return PowerItem.objects.get(name="科学技术局事项099")


def test_a_power_reads_as_the_element_table(client, entrusted):
    p = entrusted
    page = client.get(f"/d/{p.version.department_id}/v{p.version.number}/power/{p.pk}/").content.decode()
    for label in ("事项编码", "事项名称", "事项类型", "子项", "设定依据", "实施主体", "承办机构", "监督电话"):
        assert f'<th scope="row">{label}</th>' in page, label
    assert "委托 青山市科技创新服务中心 行使" in page
    assert '<th scope="row" rowspan="3">责任事项</th>' in page  # one row per numbered step
    assert '<th scope="row" rowspan="3">追责情形</th>' in page
    assert '<td class="step">2.审查责任：对申请材料进行审查。</td>' in page
    assert '<td class="step">3.其他违反法律法规规章规定的行为。</td>' in page
    assert "其他信息" in page and "办理时限" in page and "20个工作日" in page and "QS-2024-0001" in page
    law = Law.objects.get(title="中华人民共和国行政许可法")
    assert f'<a href="/law/{law.pk}/">《中华人民共和国行政许可法》</a>第十二条' in page
    assert 'href="tel:0730-5201234"' in page


def test_the_api_item_keeps_every_element(client, entrusted):
    p = entrusted
    doc = client.get(f"/api/v1/departments/{p.version.department_id}/v{p.version.number}/power/{p.pk}").json()
    assert doc["fields"]["受委托单位"] == "青山市科技创新服务中心"
    assert doc["fields"]["其他信息·收费标准"] == "不收费"


def test_a_law_page_lists_the_current_items_citing_it(client, entrusted):
    law = Law.objects.get(title="中华人民共和国行政许可法")
    page = client.get(f"/law/{law.pk}/").content.decode()
    assert "《中华人民共和国行政许可法》" in page and "共 41 处" in page and "第 1 / 1 页" not in page
    p = entrusted
    assert f'href="/d/{p.version.department_id}/v2/power/{p.pk}/"' in page
    assert f"/d/{p.version.department_id}/v1/power/" not in page  # superseded: not current
    assert client.get("/law/999999/").status_code == 404


def test_the_power_pages_never_write(client, entrusted):
    law = Law.objects.get(title="中华人民共和国行政许可法")
    p = entrusted
    urls = [
        f"/j/{p.version.department.jurisdiction_id}/powers/?type=行政许可&page=2",
        f"/d/{p.version.department_id}/v2/power/{p.pk}/",
        f"/law/{law.pk}/",
    ]
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (DUTIES, 3),
        ("（一）受理责任：公示条件。（二）审查责任：审查材料。", 2),
        ("一、受理责任；二、审查责任", 2),
        ("1.受理责任\n2.审查责任", 2),
        ("依照第3条处1.5万元罚款。", 1),
        ("2.只有一个编号的句子", 1),
        ("", 0),
    ],
)
def test_it_lays_out_numbered_duties_one_per_row(text, parts):
    assert len(numbered_parts(text)) == parts
