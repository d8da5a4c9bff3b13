"""双随机抽查 API: ``router`` for staff (token required), ``public_router`` for what the portal
publishes (the item catalogue, committed plans, draw documents, published results).

The plan steps run the same services as the command line and the pages (``inspection.plans``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from qingdan.api.staff import MAX_ID, TokenAuth, _actor, _department
from qingdan.cases.steps import convert_date
from qingdan.errors import NotFound
from qingdan.inspection import plans
from qingdan.inspection.models import InspectionPlan

router = Router(auth=TokenAuth(), tags=["双随机抽查（需要令牌）"])
public_router = Router(tags=["双随机抽查（公开）"])


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
