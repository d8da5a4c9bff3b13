"""双随机抽查 pages of the 工作台, under /work/inspection/: the departments whose inspection work the
signed-in person sees, a department's 抽查计划 (paged, with the form to draft one for a lead), and a
plan's page with the form of each step its state allows and the signed-in person's role takes —
join (联合抽查), commit (公布), run (抽取), cancel (撤销) — and, after the draw, its tasks.

A GET never writes. Each step's form posts to the one service function in ``plans.py`` that the
command line and the API call, so the page offers what the service allows and a form posted by
someone the page does not offer it to is refused there, in Chinese, on the form it came from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from qingdan.cases.access import departments_with_cases
from qingdan.cases.models import CaseRole
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied, actor_of
from qingdan.errors import QingdanError
from qingdan.inspection import draw, plans, roles, states
from qingdan.inspection.models import InspectionItem, InspectionPlan, ItemCatalog

PAGE_SIZE = 50
RATIO_HINT = "A=0.05,B=0.1,C=0.2,D=1 或 0.2"
STEPS = {"join": "加入联合抽查", "commit": "公布检查对象并锁定", "run": "抽取", "cancel": "撤销计划"}
OPEN_TASK_STATES = (states.ASSIGNED, states.RECTIFYING)


def link(name: str, *args: Any, fallback: str) -> str:
    """The page of another part by its URL name, or its agreed path while that part is not built."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _visible_departments(actor: Actor) -> list[Department]:
    """The departments whose inspection work the actor sees: as for cases, plus, for an
    administrator, every department that keeps an item catalogue or plans."""
    found = {d.pk: d for d in departments_with_cases(actor)}
    if actor.is_admin:
        for d in Department.objects.filter(
            Q(inspection_catalogs__isnull=False) | Q(inspection_plans__isnull=False)
        ).select_related("jurisdiction"):
            found.setdefault(d.pk, d)
    shown = [d for d in found.values() if roles.can_see(actor, d)]
    return sorted(shown, key=lambda d: (d.jurisdiction.name, d.name))


def _links(department: Department) -> dict[str, str]:
    d = department.pk
    base = f"/work/inspection/d/{d}"
    return {
        "items": link("inspection-items", d, fallback=f"{base}/items/"),
        "pool": link("inspection-pool", d, fallback=f"{base}/pool/"),
        "inspectors": link("inspection-inspectors", d, fallback=f"{base}/inspectors/"),
        "public": link("public-inspection", d, fallback=f"/d/{d}/inspection/"),
    }


def tasks_link() -> str:
    return link("inspection-tasks", fallback="/work/inspection/tasks/")


# --- the index ------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The departments whose inspection work the signed-in person sees, with their plans by state."""
    actor = actor_of(request.user)
    departments = _visible_departments(actor)
    counts: dict[int, Counter[str]] = {d.pk: Counter() for d in departments}
    for row in (
        InspectionPlan.objects.filter(department__in=counts)
        .values("department_id", "state")
        .annotate(n=Count("id"))
    ):
        counts[row["department_id"]][row["state"]] = row["n"]
    rows = [
        {
            "department": d,
            "counts": [(label, counts[d.pk][code]) for code, label in states.PLAN_STATES],
            "total": sum(counts[d.pk].values()),
            "links": _links(d),
            "lead": roles.is_lead(actor, d),
        }
        for d in departments
    ]
    return render(request, "inspection/web_index.html", {"rows": rows, "tasks_href": tasks_link()})


# --- a department's plans -------------------------------------------------------------------


def published_items(department: Department) -> list[InspectionItem]:
    """The items of the department's current published 随机抽查事项清单."""
    catalog = (
        ItemCatalog.objects.filter(department=department, state=ItemCatalog.PUBLISHED)
        .order_by("-number")
        .first()
    )
    return list(catalog.items.order_by("position")) if catalog else []


def item_label(item: InspectionItem) -> str:
    """An item as the plan form offers it: its name with the frequency and ratio its text states."""
    said = [item.frequency] if item.frequency else []
    if item.ratio is not None:
        said.append(f"抽查比例 {draw.ratio_text(draw.ratio_of(str(item.ratio)))}")
    return f"{item.name}（{'，'.join(said)}）" if said else item.name


def _date(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise QingdanError(f"请填写{label}（格式如 2026-12-06）。") from None


def _int(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise QingdanError(f"{label}应为整数，「{value}」不是。") from None


def _item(value: str, department: Department | None = None) -> InspectionItem:
    found = (
        InspectionItem.objects.select_related("catalog__department").filter(pk=value).first()
        if value.strip().isdigit()
        else None
    )
    if found is None or (department is not None and found.catalog.department_id != department.pk):
        raise QingdanError("请选择抽查事项。")
    return found


def _create(actor: Actor, department: Department, data: Any) -> InspectionPlan:
    return plans.create_plan(
        actor,
        department,
        item=_item(data.get("item", ""), department),
        title=data.get("title", ""),
        period_start=_date(data.get("period_start", ""), "抽查期间开始日期"),
        period_end=_date(data.get("period_end", ""), "抽查期间结束日期"),
        ratios=data.get("ratios", ""),
        inspectors=_int(data.get("inspectors", ""), "每组检查人员"),
        industry=data.get("industry", ""),
    )


@login_required
def department_plans(request: HttpRequest, department_id: int) -> HttpResponse:
    """The department's plans (those it leads and the 联合抽查 it joined), newest first, 50 a page;
    a lead drafts a new one here (POST)."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = actor_of(request.user)
    if not roles.can_see(actor, department):
        return _forbidden(request, f"{actor}无权查看{department.name}的双随机抽查工作。")
    error, status = "", 200
    if request.method == "POST":
        try:
            plan = _create(actor, department, request.POST)
        except QingdanError as exc:
            error, status = exc.message, 403 if isinstance(exc, PermissionDenied) else 400
        else:
            messages.success(request, f"已草拟抽查计划：{plan.number}。")
            return redirect("inspection-plan", plan.pk)
    found = (
        InspectionPlan.objects.filter(Q(department=department) | Q(parts__department=department))
        .distinct()
        .select_related("item", "department")
        .annotate(size=Count("members", distinct=True), drawn=Count("tasks", distinct=True))
        .order_by("-created_at", "-id")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    posted = request.POST if error else {}
    context = {
        "department": department,
        "page": page,
        "lead": roles.is_lead(actor, department),
        "items": [(i.pk, item_label(i)) for i in published_items(department)],
        "links": _links(department),
        "tasks_href": tasks_link(),
        "ratio_hint": RATIO_HINT,
        "error": error,
        "posted": posted,
        "default_start": posted.get("period_start") or f"{today:%Y-%m-%d}",
        "default_end": posted.get("period_end") or f"{today.year}-12-31",
    }
    return render(request, "inspection/web_department.html", context, status=status)


# --- one plan -------------------------------------------------------------------------------


def _joinable(actor: Actor, plan: InspectionPlan) -> list[tuple[Department, list[InspectionItem]]]:
    """The departments of the plan's jurisdiction the actor leads, not yet in the plan, with their
    published items: what the join form offers."""
    if actor.user is None or plan.state != states.DRAFT:
        return []
    taking_part = set(plan.parts.values_list("department_id", flat=True))
    ids = set(
        CaseRole.objects.filter(user=actor.user, role__in=roles.LEADS)
        .exclude(department_id__in=taking_part)
        .filter(department__jurisdiction_id=plan.department.jurisdiction_id)
        .values_list("department_id", flat=True)
    )
    out = []
    for department in Department.objects.filter(pk__in=ids).order_by("name"):
        items = published_items(department)
        if items:
            out.append((department, items))
    return out


def _may_see(actor: Actor, plan: InspectionPlan) -> bool:
    if roles.can_see(actor, plan.department):
        return True
    if any(roles.can_see(actor, p.department) for p in plan.parts.select_related("department")):
        return True
    return bool(_joinable(actor, plan))


def _offered(actor: Actor, plan: InspectionPlan) -> list[str]:
    """The steps whose form the page shows this person (the service decides in the end)."""
    offered = []
    if _joinable(actor, plan):
        offered.append("join")
    if roles.is_lead(actor, plan.department):
        for step in ("commit", "run", "cancel"):
            if plan.state in states.PLAN_MOVES[step][0]:
                offered.append(step)
    return offered


def _tasks(request: HttpRequest, plan: InspectionPlan) -> tuple[Page, list[dict[str, Any]]]:
    """One page (50) of the plan's tasks in the draw's order, with their inspectors by name."""
    found = plan.tasks.select_related("member").prefetch_related(
        "inspectors__officer", "inspectors__part__department"
    )
    page = Paginator(found.order_by("order"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for task in page.object_list:
        links = sorted(task.inspectors.all(), key=lambda t: (t.part.position, t.position))
        rows.append(
            {
                "task": task,
                "inspectors": [
                    f"{t.officer.name}（{t.officer.certificate_number}）"
                    + (f"·{t.part.department.name}" if t.part.position else "")
                    for t in links
                ],
                "href": link("inspection-task", task.pk, fallback=""),
            }
        )
    return page, rows


def _detail(
    request: HttpRequest,
    actor: Actor,
    plan: InspectionPlan,
    failed: tuple[str, str] = ("", ""),
    status: int = 200,
) -> HttpResponse:
    failed_step, error = failed
    offered = _offered(actor, plan)
    if failed_step and failed_step not in offered:
        offered = [failed_step, *offered]  # the refusal shows on the form that was posted
    page, rows = _tasks(request, plan) if plan.state == states.DRAWN else (None, [])
    d = plan.department_id
    context = {
        "plan": plan,
        "department": plan.department,
        "parts": plan.parts.select_related("department", "item").order_by("position"),
        "ratios": sorted(plan.ratios.items()),
        "strata": [
            (name, count)
            for name, count in plan.members.values_list("stratum").annotate(n=Count("id")).order_by("stratum")
        ],
        "size": plan.members.count(),
        "forms": [
            {"step": s, "label": STEPS[s], "error": error if s == failed_step else ""} for s in offered
        ],
        "posted": request.POST if failed_step else {},
        "joinable": _joinable(actor, plan),
        "page": page,
        "tasks": rows,
        "lead": roles.is_lead(actor, plan.department),
        "today": f"{timezone.localdate():%Y-%m-%d}",
        "public_href": link(
            "public-inspection-plan", d, plan.pk, fallback=f"/d/{d}/inspection/plans/{plan.pk}/"
        ),
        "draw_href": link(
            "public-inspection-draw", d, plan.pk, fallback=f"/d/{d}/inspection/plans/{plan.pk}/draw.json"
        ),
        "links": _links(plan.department),
    }
    return render(request, "inspection/web_plan.html", context, status=status)


def _plan(plan_id: int) -> InspectionPlan:
    return get_object_or_404(
        InspectionPlan.objects.select_related("department__jurisdiction", "item"), pk=plan_id
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(plan_id)
    actor = actor_of(request.user)
    if not _may_see(actor, plan):
        return _forbidden(request, f"{actor}无权查看{plan.department.name}的双随机抽查工作。")
    return _detail(request, actor, plan)


def _run_step(actor: Actor, plan: InspectionPlan, step: str, data: Any) -> str:
    """Call the step's service with the form's values; the confirmation to show."""
    if step == "join":
        part = plans.join_plan(actor, plan, item=_item(data.get("item", "")))
        return f"{part.department.name}已加入联合抽查：{part.item.name}。"
    if step == "commit":
        plans.commit(
            actor,
            plan,
            seed_source=data.get("seed_source", ""),
            draw_on=_date(data.get("draw_on", ""), "抽取日期"),
        )
        return "已公布检查对象名单及其摘要，等待抽取。"
    if step == "run":
        done = plans.run(actor, plan, seed=data.get("seed", ""))
        return f"已用随机数「{done.seed}」抽取，抽中 {done.tasks.count()} 户。"
    plans.cancel(actor, plan, reason=data.get("reason", ""))
    return "已撤销抽查计划。"


@login_required
def plan_step(request: HttpRequest, plan_id: int, step: str) -> HttpResponse:
    """One step on a plan (POST only): the form's values go to the step's service function."""
    plan = _plan(plan_id)
    actor = actor_of(request.user)
    if request.method != "POST" or step not in STEPS:
        return redirect("inspection-plan", plan.pk)
    if not _may_see(actor, plan):
        return _forbidden(request, f"{actor}无权办理{plan.department.name}的双随机抽查工作。")
    try:
        done = _run_step(actor, plan, step, request.POST)
    except QingdanError as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 400
        return _detail(request, actor, _plan(plan_id), failed=(step, exc.message), status=status)
    messages.success(request, done)
    return redirect("inspection-plan", plan.pk)


# --- the 工作台's 双随机抽查 block --------------------------------------------------------------


def desk_inspection(actor: Actor) -> dict[str, Any] | None:
    """For the 工作台: the plans awaiting their draw in the departments the actor leads (an
    inspector's own tasks are the 检查任务 block, views_tasks.desk_tasks). None for a non-lead."""
    if actor.user is None:
        return None
    led = set(
        CaseRole.objects.filter(user=actor.user, role__in=roles.LEADS).values_list("department_id", flat=True)
    )
    if not led:
        return None
    awaiting = list(
        InspectionPlan.objects.filter(department__in=led, state=states.COMMITTED)
        .select_related("department")
        .order_by("draw_on", "id")[:20]
    )
    drafts = InspectionPlan.objects.filter(department__in=led, state=states.DRAFT).count()
    return {"awaiting": awaiting, "drafts": drafts, "lead": True}
