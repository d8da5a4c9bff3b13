"""双随机抽查 API: ``router`` for staff (token required), ``public_router`` for what the portal
publishes (the item catalogue, committed plans, draw documents, published results)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from qingdan.api.staff import TokenAuth, _actor
from qingdan.cases.steps import convert_date
from qingdan.core.permissions import PermissionDenied
from qingdan.inspection import tasks
from qingdan.inspection.models import InspectionTask

router = Router(auth=TokenAuth(), tags=["双随机抽查（需要令牌）"])
public_router = Router(tags=["双随机抽查（公开）"])


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
