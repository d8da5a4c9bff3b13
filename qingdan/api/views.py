"""The JSON API under /api/v1/ (django-ninja): public and read-only, plus the token-authenticated
write endpoints of ``staff``. One error shape for every error: {"error": {"status": 404, "message": "…"}}."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Query, Schema
from ninja.renderers import JSONRenderer

from qingdan.api.calendar import router as calendar_router
from qingdan.api.case_documents import router as case_documents_router
from qingdan.api.cases import router as cases_router
from qingdan.api.discretion import router as discretion_router
from qingdan.api.errors import install
from qingdan.api.inspection import public_router as inspection_public_router
from qingdan.api.inspection import router as inspection_router
from qingdan.api.laws import router as laws_router
from qingdan.api.responsibility import router as responsibility_router
from qingdan.api.staff import router as staff_router
from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import record_of
from qingdan.core.lineage import abolished_notes, lineage_of
from qingdan.core.models import Department, Jurisdiction
from qingdan.portal.items import load_item
from qingdan.search import search as run_search


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="qingdan 清单 API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
    renderer=ChineseJSONRenderer(),
    description=(
        "公开、只读的责任清单数据与「找谁办」查询；工作人员用 API 令牌修改草稿、提交和审核。"
        '所有错误的形状相同：{"error": {"status", "message"}}；参数错误（422）另有 "fields": [{"path", "message"}]。'
    ),
)

api.add_router("/", staff_router)
api.add_router("/", case_documents_router)  # 执法文书 (qingdan/api/case_documents.py)
api.add_router("/", laws_router)
api.add_router("/", responsibility_router)
api.add_router("/", calendar_router)
api.add_router("/", cases_router)
api.add_router("/", discretion_router)  # 裁量基准与案件统计 (#12)
api.add_router("/", inspection_router)  # 双随机抽查 (#13)
api.add_router("/", inspection_public_router)

MAX_NUMBER = 2**31 - 1  # version numbers and offsets: larger ones overflow a database integer


class HitOut(Schema):
    kind: str
    department: str
    jurisdiction: str
    units: list[str]
    phones: list[str]
    text: str
    duty: str
    basis: str
    url: str
    score: float
    abolished: str = ""


class SearchOut(Schema):
    query: str
    jurisdiction: str
    hits: list[HitOut]


class JurisdictionOut(Schema):
    id: int
    name: str
    code: str
    departments: int


class DepartmentOut(Schema):
    id: int
    name: str
    jurisdiction: str
    version: int | None
    url: str
    abolished: str = ""  # 「已撤销（并入 X，日期）」, or "" for a current department


class DepartmentDetailOut(DepartmentOut):
    lineage: dict[str, Any]


class Page(Schema):
    count: int
    offset: int
    limit: int


class DepartmentPage(Page):
    items: list[DepartmentOut]


class ItemOut(Schema):
    kind: str
    title: str
    department: str
    version: int
    current: bool = Field(description="是否为现行版本（最新发布的版本）")
    superseded_by: int | None = Field(description="已被取代时为现行版本号，现行版本为 null")
    current_url: str = Field(description="现行版本中同一事项的页面；找不到时为现行清单的页面")
    fields: dict[str, str]
    units: list[dict[str, Any]]


class ListOut(Schema):
    """A qingdan/1 document (exchange-format.md), and whether it is the current version."""

    format: str
    department: str
    jurisdiction: str
    version: int
    current: bool = Field(description="是否为现行版本（最新发布的版本）")
    superseded_by: int | None = Field(description="已被取代时为现行版本号，现行版本为 null")
    units: list[dict[str, Any]]
    duties: list[dict[str, Any]]
    boundaries: list[dict[str, Any]]
    services: list[dict[str, Any]]
    supervision: list[dict[str, Any]]
    powers: list[dict[str, Any]]


install(api)


def _department(department_id: int) -> Department:
    dept = Department.objects.select_related("jurisdiction").filter(pk=department_id).first()
    if dept is None:
        raise Http404(f"没有编号为 {department_id} 的部门")
    return dept


def _latest(dept: Department) -> ListVersion | None:
    return dept.versions.published().order_by("-number").first()


@api.get("/search", response=SearchOut, summary="查找负责的部门、科室、电话和依据")
def search(
    request: HttpRequest,
    q: str,
    limit: int = Query(10, ge=1, le=50),
    jurisdiction: str | None = None,
    history: bool = Query(False, description="也查已撤销部门的历史清单（结果中标明已撤销）"),
) -> dict[str, Any]:
    result = run_search(q[:200], limit=limit, jurisdiction=jurisdiction, history=history)
    return {"query": q, "jurisdiction": result.query.jurisdiction, "hits": [h.as_json() for h in result.hits]}


@api.get("/jurisdictions", response=list[JurisdictionOut], summary="地区列表（departments：现行部门数）")
def jurisdictions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": j.pk, "name": j.name, "code": j.code, "departments": j.departments.current().count()}
        for j in Jurisdiction.objects.order_by("name")
    ]


@api.get("/departments", response=DepartmentPage, summary="部门列表（分页；默认只列现行部门）")
def departments(
    request: HttpRequest,
    jurisdiction: str | None = None,
    offset: int = Query(0, ge=0, le=MAX_NUMBER),
    limit: int = Query(50, ge=1, le=200),
    include_abolished: bool = Query(False, description="也列出已撤销的部门（标明已撤销）"),
    history: bool = Query(False, description="同 include_abolished"),
) -> dict[str, Any]:
    qs = Department.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name")
    if not (include_abolished or history):
        qs = qs.current()
    if jurisdiction:
        qs = qs.filter(jurisdiction__name=jurisdiction)
    page = list(qs[offset : offset + limit])
    notes = abolished_notes(d.pk for d in page)
    items = [_department_out(d, notes.get(d.pk, "")) for d in page]
    return {"count": qs.count(), "offset": offset, "limit": limit, "items": items}


def _department_out(dept: Department, abolished: str) -> dict[str, Any]:
    version = _latest(dept)
    return {
        "id": dept.pk,
        "name": dept.name,
        "jurisdiction": dept.jurisdiction.name,
        "version": version.number if version else None,
        "url": f"/api/v1/departments/{dept.pk}/list",
        "abolished": abolished,
    }


@api.get("/departments/{department_id}", response=DepartmentDetailOut, summary="一个部门及其机构沿革")
def department(request: HttpRequest, department_id: int) -> dict[str, Any]:
    lineage = lineage_of(_department(department_id))
    return {**_department_out(lineage.department, lineage.status), "lineage": lineage.as_json()}


def _currency(version: ListVersion, current: ListVersion) -> dict[str, Any]:
    old = version.number != current.number
    return {"current": not old, "superseded_by": current.number if old else None}


@api.get(
    "/departments/{department_id}/list",
    response=ListOut,
    summary="一个部门的清单（qingdan/1 格式；version 缺省为现行版本）",
)
def department_list(
    request: HttpRequest, department_id: int, version: int | None = Query(None, ge=1, le=MAX_NUMBER)
) -> dict[str, Any]:
    dept = _department(department_id)
    current = _latest(dept)
    found = dept.versions.published().filter(number=version).first() if version else current
    if found is None or current is None:
        raise Http404(f"{dept.name} 没有第 {version} 版清单" if version else "没有已发布的清单")
    return {**record_of(found).to_json(), **_currency(found, current)}


@api.get("/departments/{department_id}/v{number}/{kind}/{pk}", response=ItemOut, summary="单个事项")
def item(request: HttpRequest, department_id: int, number: int, kind: str, pk: int) -> dict[str, Any]:
    dept = _department(department_id)
    version = dept.versions.published().filter(number=number).first()
    if version is None:
        raise Http404(f"{dept.name} 没有第 {number} 版清单")
    found = load_item(version, kind, pk)
    if found is None:
        raise Http404("没有这个事项")
    current = _latest(dept) or version
    return {
        "kind": kind,
        "title": found.title,
        "department": dept.name,
        "version": number,
        "fields": {label: value for label, value in found.rows if value},
        "units": [{"name": n, "phones": p} for n, p in found.units],
        **_currency(version, current),
        "current_url": _current_url(version, kind, pk, current),
    }


def _current_url(version: ListVersion, kind: str, pk: int, current: ListVersion) -> str:
    from qingdan.catalog.currency import counterpart
    from qingdan.search.documents import item_url

    same = pk if current.pk == version.pk else counterpart(version, kind, pk, current)
    return item_url(current, kind, same) if same else f"/d/{version.department_id}/"


@api.get("/departments/{department_id}/diff", summary="两个已发布版本之间的变化（默认：最新版与前一版）")
def diff(
    request: HttpRequest,
    department_id: int,
    from_: int | None = Query(None, alias="from", ge=1, le=MAX_NUMBER),
    to: int | None = Query(None, ge=1, le=MAX_NUMBER),
) -> dict[str, Any]:
    from qingdan.catalog.history import version_diff
    from qingdan.core.permissions import PUBLIC

    return version_diff(PUBLIC, _department(department_id), from_, to).to_json()


@api.get("/departments/{department_id}/changes", summary="变更记录：每个已发布版本的时间、原因、依据和变化")
def changes(request: HttpRequest, department_id: int) -> dict[str, Any]:
    from qingdan.catalog.history import change_log

    entries = change_log(_department(department_id))
    return {
        "changes": [
            {
                "version": e.version.number,
                "published_at": e.published_at.isoformat() if e.published_at else None,
                "reason": e.reason,
                "basis": e.basis,
                **e.diff.to_json(),
            }
            for e in entries
        ]
    }
