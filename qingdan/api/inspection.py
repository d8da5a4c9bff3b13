"""双随机抽查 API: ``router`` for staff (token required), ``public_router`` for what the portal
publishes (the item catalogue, committed plans, draw documents, published results).

The plan steps run the same services as the command line and the pages (``inspection.plans``)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from qingdan.api.staff import MAX_ID, TokenAuth, _actor, _department
from qingdan.cases.steps import convert_date
from qingdan.core.permissions import PermissionDenied
from qingdan.errors import NotFound, QingdanError
from qingdan.inspection import plans, pool, roles, tasks
from qingdan.inspection.models import InspectionPlan, InspectionTask

router = Router(auth=TokenAuth(), tags=["双随机抽查（需要令牌）"])
public_router = Router(tags=["双随机抽查（公开）"])


# --- 检查对象名录库 and 执法检查人员名录库 (pool.py) ----------------------------------------------


class PoolImportIn(Schema):
    file_name: str
    file_base64: str
    replace: bool = False


@router.get("/departments/{department_id}/inspectees", summary="检查对象名录库（分页，每页 50 个）")
def inspectees(
    request: HttpRequest,
    department_id: int,
    risk: str = "",
    category: str = "",
    page: int = Query(1, ge=1, le=2**31 - 1),
) -> dict[str, Any]:
    return pool.inspectee_list(
        _actor(request), _department(department_id), risk=risk, category=category, page=page
    )


@router.post(
    "/departments/{department_id}/inspectees/import",
    summary="导入检查对象名录库（CSV 或 XLSX，Base64；有任何一行出错则整份不导入）",
)
def inspectees_import(request: HttpRequest, department_id: int, body: PoolImportIn) -> dict[str, Any]:
    department = _department(department_id)
    roles.require_editor(_actor(request), department, "导入检查对象名录库")  # before the file is read
    try:
        content = base64.b64decode(body.file_base64, validate=True)
    except (binascii.Error, ValueError):
        raise QingdanError("file_base64 不是有效的 Base64 编码。") from None
    name = body.file_name.strip() or "上传文件"
    result = pool.import_inspectee_bytes(_actor(request), department, name, content, replace=body.replace)
    return result.as_json()


@router.get(
    "/departments/{department_id}/inspectors", summary="执法检查人员名录库：某日执法证是否有效与回避申报"
)
def inspectors(request: HttpRequest, department_id: int, on: str = "") -> dict[str, Any]:
    day = None
    if on:
        try:
            day = dt.date.fromisoformat(on.strip())
        except ValueError:
            raise QingdanError(f"on「{on}」不是日期：请写成 YYYY-MM-DD") from None
    return pool.roster_for(_actor(request), _department(department_id), day)


# --- 随机抽查事项清单 (qingdan/inspection/catalog.py) -----------------------------------------


@public_router.get(
    "/departments/{department_id}/inspection-items",
    response=dict[str, Any],
    summary="一个部门现行发布的随机抽查事项清单（版本号、发布时间、各事项的比例频次及其原文），以及历次版本",
)
def inspection_items(
    request: HttpRequest, department_id: int, version: int = Query(0, ge=0, le=2**31 - 1)
) -> dict[str, Any]:
    """``version``: an older published version (0 or absent: the current one)."""
    from qingdan.inspection.catalog import catalog_json, public_catalog, published_versions

    department = _department(department_id)
    return {
        **catalog_json(public_catalog(department, version or None)),
        "versions": published_versions(department),
    }


class ItemFieldsIn(Schema):
    """The fields of a 随机抽查事项 to set; those left out are not changed."""

    name: str | None = None
    code: str | None = None
    basis: str | None = None
    subject: str | None = None
    targets: str | None = None
    content: str | None = None
    methods: str | None = None
    ratio: str | float | None = Field(None, description='0.2 或 "20%"；空字符串表示未规定')
    frequency: str | None = None
    per_year: int | str | None = Field(None, description="整数；空字符串表示未规定")
    min_inspectors: int | str | None = Field(None, description="至少 2")


def _given(fields: ItemFieldsIn) -> dict[str, Any]:
    return {k: v for k, v in fields.dict().items() if v is not None}


@router.get("/departments/{department_id}/inspection-items/draft", summary="随机抽查事项清单草稿")
def inspection_items_draft(request: HttpRequest, department_id: int) -> dict[str, Any]:
    from qingdan.inspection import catalog, roles

    department = _department(department_id)
    roles.require_see(_actor(request), department)
    return catalog.catalog_json(catalog.require_draft(department))


@router.post(
    "/departments/{department_id}/inspection-items/derive",
    summary="从现行责任清单生成随机抽查事项清单草稿（本部门填报员、系统管理员）",
)
def inspection_items_derive(request: HttpRequest, department_id: int) -> dict[str, Any]:
    from qingdan.inspection import catalog

    return catalog.catalog_json(catalog.derive_catalog(_actor(request), _department(department_id)))


@router.post(
    "/departments/{department_id}/inspection-items/draft",
    summary="在现行发布的随机抽查事项清单基础上新建草稿（本部门填报员、系统管理员）",
)
def inspection_items_new_draft(request: HttpRequest, department_id: int) -> dict[str, Any]:
    from qingdan.inspection import catalog

    return catalog.catalog_json(catalog.new_draft(_actor(request), _department(department_id)))


@router.post(
    "/departments/{department_id}/inspection-items/draft/items",
    summary="在草稿末尾添加事项（本部门填报员、系统管理员）",
)
def inspection_items_add(request: HttpRequest, department_id: int, fields: ItemFieldsIn) -> dict[str, Any]:
    from qingdan.inspection import catalog

    return catalog.item_json(catalog.add_item(_actor(request), _department(department_id), **_given(fields)))


@router.patch(
    "/departments/{department_id}/inspection-items/draft/items/{position}",
    summary="修改草稿中的一个事项（只改给出的字段；本部门填报员、系统管理员）",
)
def inspection_items_edit(
    request: HttpRequest, department_id: int, position: int, fields: ItemFieldsIn
) -> dict[str, Any]:
    from qingdan.inspection import catalog

    item = catalog.find_item(_department(department_id), position)
    return catalog.item_json(catalog.edit_item(_actor(request), item, **_given(fields)))


@router.delete(
    "/departments/{department_id}/inspection-items/draft/items/{position}",
    summary="从草稿中删除一个事项（本部门填报员、系统管理员）",
)
def inspection_items_remove(request: HttpRequest, department_id: int, position: int) -> dict[str, Any]:
    from qingdan.inspection import catalog

    item = catalog.find_item(_department(department_id), position)
    catalog.remove_item(_actor(request), item)
    return {"removed": position, "name": item.name}


@router.post(
    "/departments/{department_id}/inspection-items/publish",
    summary="发布随机抽查事项清单草稿（执法科室负责人、主管局长、主要负责人）",
)
def inspection_items_publish(request: HttpRequest, department_id: int) -> dict[str, Any]:
    from qingdan.inspection import catalog

    return catalog.catalog_json(catalog.publish_catalog(_actor(request), _department(department_id)))


class PlanIn(Schema):
    department_id: int
    item: str | int  # 序号 or name in the published 随机抽查事项清单
    period_start: str
    period_end: str
    ratios: str = ""  # A=0.05,B=0.1,C=0.2,D=1 — empty: the item's own ratio
    inspectors: int | None = None
    industry: str = ""
    title: str = ""


class CommitIn(Schema):
    seed_source: str
    draw_on: str


class RunIn(Schema):
    seed: str


class CancelIn(Schema):
    reason: str


class JoinIn(Schema):
    department_id: int
    item: str | int


def _plan(plan_id: int) -> InspectionPlan:
    found = (
        InspectionPlan.objects.select_related("department", "item").filter(pk=plan_id).first()
        if 0 < plan_id <= MAX_ID
        else None
    )
    if found is None:
        raise NotFound(f"没有编号为 {plan_id} 的抽查计划")
    return found


@router.get("/inspection/plans", summary="部门的抽查计划（分页，每页 50 个；草拟的只对可查看的人显示）")
def plan_list(
    request: HttpRequest, department_id: int, page: int = Query(1, ge=1, le=2**31 - 1)
) -> dict[str, Any]:
    return plans.plan_list(_actor(request), _department(department_id), page=page)


@router.post("/inspection/plans", summary="草拟抽查计划")
def create(request: HttpRequest, body: PlanIn) -> dict[str, Any]:
    department = _department(body.department_id)
    plan = plans.create_plan(
        _actor(request),
        department,
        item=plans.find_item(department, body.item),
        title=body.title,
        period_start=convert_date(body.period_start, "period_start"),
        period_end=convert_date(body.period_end, "period_end"),
        ratios=body.ratios,
        inspectors=body.inspectors,
        industry=body.industry,
    )
    return plans.plan_detail(_actor(request), plan)


@router.post("/inspection/plans/{plan_id}/join", summary="联合抽查：另一部门以其抽查事项加入")
def join(request: HttpRequest, plan_id: int, body: JoinIn) -> dict[str, Any]:
    plan = _plan(plan_id)
    department = _department(body.department_id)
    plans.join_plan(_actor(request), plan, item=plans.find_item(department, body.item))
    return plans.plan_detail(_actor(request), plan)


@router.post("/inspection/plans/{plan_id}/commit", summary="公布：锁定名单，公布摘要和随机数来源")
def commit(request: HttpRequest, plan_id: int, body: CommitIn) -> dict[str, Any]:
    plan = plans.commit(
        _actor(request),
        _plan(plan_id),
        seed_source=body.seed_source,
        draw_on=convert_date(body.draw_on, "draw_on"),
    )
    return plans.plan_detail(_actor(request), plan)


@router.post("/inspection/plans/{plan_id}/run", summary="抽取（只能一次）")
def run(request: HttpRequest, plan_id: int, body: RunIn) -> dict[str, Any]:
    plan = plans.run(_actor(request), _plan(plan_id), seed=body.seed)
    return plans.plan_detail(_actor(request), plan)


@router.post("/inspection/plans/{plan_id}/cancel", summary="撤销抽取前的计划")
def cancel(request: HttpRequest, plan_id: int, body: CancelIn) -> dict[str, Any]:
    plan = plans.cancel(_actor(request), _plan(plan_id), reason=body.reason)
    return plans.plan_detail(_actor(request), plan)


@public_router.get(
    "/inspection/plans/{plan_id}/draw", summary="公开的抽取文件 draw.json（qingdan-draw/1，见 docs/draw.md）"
)
def draw_document(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plans.published(_plan(plan_id))


# --- 检查任务, results, 结果公示, burden (qingdan.inspection.tasks) ------------------------------


PAGE = Query(1, ge=1, le=2**31 - 1)


class ResultIn(Schema):
    result: str
    findings: str
    inspected_on: str
    rectify_due: str = ""
    title: str = ""


class RectifiedIn(Schema):
    on: str = ""
    note: str = ""


class ReferIn(Schema):
    title: str
    on: str = ""


class PublishIn(Schema):
    on: str = ""


def _optional_date(value: str, name: str) -> Any:
    return convert_date(value, name) if value.strip() else None


def _task(request: HttpRequest, task_id: int) -> InspectionTask:
    found = tasks.find_task(task_id)
    actor = _actor(request)
    if not tasks.may_see(actor, found):
        raise PermissionDenied(f"{actor}无权查看检查任务 {found.pk}。")
    return found


def _page(rows: Any, page: int, key: str, shape: Any) -> dict[str, Any]:
    chunk, shown, pages, count = tasks.paged(rows, page)
    return {"count": count, "page": shown, "pages": pages, key: [shape(row) for row in chunk]}


@router.get(
    "/inspection/tasks", summary="检查任务：我被抽中的，或某一计划的（分页，每页 50 项，未办结的在前）"
)
def task_list(request: HttpRequest, plan: str = "", mine: bool = False, page: int = PAGE) -> dict[str, Any]:
    actor = _actor(request)
    rows = tasks.mine(actor) if mine or not plan else tasks.of_plan(actor, tasks.find_plan(plan))
    if mine and plan:
        rows = rows.filter(plan=tasks.find_plan(plan))
    return _page(rows, page, "tasks", lambda t: tasks.task_json(t, full=False))


@router.get("/inspection/tasks/{task_id}", summary="一项检查任务：检查对象、检查人员、结果、整改、公示期限")
def task_detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return tasks.task_json(_task(request, task_id))


@router.post("/inspection/tasks/{task_id}/result", summary="登记检查结果（抽中的检查人员）")
def task_result(request: HttpRequest, task_id: int, body: ResultIn) -> dict[str, Any]:
    done = tasks.record_result(
        _actor(request),
        _task(request, task_id),
        result=body.result,
        findings=body.findings,
        inspected_on=convert_date(body.inspected_on, "inspected_on"),
        rectify_due=_optional_date(body.rectify_due, "rectify_due"),
        title=body.title,
    )
    return tasks.task_json(done)


@router.post("/inspection/tasks/{task_id}/rectified", summary="确认整改完成（抽中的检查人员）")
def task_rectified(request: HttpRequest, task_id: int, body: RectifiedIn) -> dict[str, Any]:
    done = tasks.confirm_rectified(
        _actor(request), _task(request, task_id), on=_optional_date(body.on, "on"), note=body.note
    )
    return tasks.task_json(done)


@router.post(
    "/inspection/tasks/{task_id}/refer", summary="逾期未整改或整改不到位：移交立案（抽中的检查人员）"
)
def task_refer(request: HttpRequest, task_id: int, body: ReferIn) -> dict[str, Any]:
    done = tasks.refer(
        _actor(request), _task(request, task_id), on=_optional_date(body.on, "on"), title=body.title
    )
    return tasks.task_json(done)


@router.post(
    "/inspection/plans/{plan_id}/publish-results", summary="公示计划中尚未公示的检查结果（部门负责人）"
)
def publish_results(request: HttpRequest, plan_id: int, body: PublishIn) -> dict[str, Any]:
    done = tasks.publish_results(_actor(request), tasks.find_plan(plan_id), on=_optional_date(body.on, "on"))
    return {"published": len(done), "tasks": [t.pk for t in done]}


@router.get(
    "/inspection/burden", summary="企业受检负担：一年内被各部门抽中的次数，标出同月多部门检查（分页）"
)
def burden(
    request: HttpRequest, year: int = 0, jurisdiction_id: int = 0, flagged: bool = False, page: int = PAGE
) -> dict[str, Any]:
    from django.utils import timezone

    from qingdan.core.models import Jurisdiction
    from qingdan.errors import NotFound

    place = None
    if jurisdiction_id:
        place = Jurisdiction.objects.filter(pk=jurisdiction_id).first() if jurisdiction_id < 2**63 else None
        if place is None:
            raise NotFound(f"没有编号为 {jurisdiction_id} 的地区")
    rows = tasks.burden(year or timezone.localdate().year, place)
    if flagged:
        rows = [r for r in rows if r["flag"]]
    return _page(rows, page, "enterprises", lambda r: r)


@public_router.get(
    "/departments/{department_id}/inspection-results",
    summary="部门参加的抽查计划已公示的检查结果（分页，每页 50 项；不含检查情况原文）",
)
def published_results(request: HttpRequest, department_id: int, page: int = PAGE) -> dict[str, Any]:
    from qingdan.api.staff import _department

    department = _department(department_id)
    data = _page(tasks.published(department.pk), page, "results", tasks.published_json)
    return {"department": department.name, **data}
