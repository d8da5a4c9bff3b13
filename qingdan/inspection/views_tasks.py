"""检查任务 pages under /work/inspection/: the signed-in officer's tasks (open first, overdue 整改
marked; for a lead, the plans with results waiting to be published), one task with the forms its
state allows the signed-in inspector, the per-enterprise burden; and on the portal, a department's
published results (no findings text: see docs/inspection.md「检查任务与结果公示」).

A GET never writes; each form posts to the service function the CLI and the API call, and a
refusal comes back in Chinese on the form it was posted from, with what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from qingdan.cases.models import CaseDeadline, CaseRole
from qingdan.core.models import Department, Jurisdiction
from qingdan.core.permissions import Actor, PermissionDenied, actor_of
from qingdan.errors import QingdanError
from qingdan.inspection import roles, states, tasks
from qingdan.inspection.models import InspectionPlan, InspectionTask

FORM_LABELS = {"result": "登记检查结果", "rectified": "确认整改完成", "refer": "移交立案"}


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _date(value: str, label: str, required: bool = False) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise QingdanError(f"「{label}」：请填写日期。")
        return None
    try:
        day = parse_date(value)
    except ValueError:  # the shape of a date, not a day of the calendar (2026-02-30)
        day = None
    if day is None:
        raise QingdanError(f"「{label}」：「{value}」不是日期（如 2026-03-05）。")
    return day


def _waiting_plans(actor: Actor) -> list[tuple[InspectionPlan, int]]:
    """Drawn plans of the departments the actor leads with recorded results not yet published."""
    if actor.user is None:
        return []
    led = CaseRole.objects.filter(user=actor.user, role__in=roles.LEADS).values("department_id")
    counts = (
        InspectionTask.objects.filter(
            published_on__isnull=True, plan__state=states.DRAWN, plan__department_id__in=led
        )
        .exclude(state=states.ASSIGNED)
        .order_by()
        .values("plan_id")
        .annotate(n=Count("pk"))
    )
    waiting = {row["plan_id"]: row["n"] for row in counts}
    plans = InspectionPlan.objects.filter(pk__in=waiting).select_related("department").order_by("pk")
    return [(p, waiting[p.pk]) for p in plans]


def desk_tasks(actor: Actor) -> dict[str, Any] | None:
    """For the 工作台: how many of the actor's 检查任务 are open, and the 整改 overdue among them."""
    officers = tasks.officer_ids(actor)
    if not officers:
        return None
    mine = tasks.mine(actor)
    open_count = mine.exclude(state=states.DONE).count()
    if not open_count:
        return None
    overdue = tasks.overdue_rectifications(officers=officers)
    return {"open": open_count, "overdue_count": overdue.count(), "overdue": list(overdue[:20])}


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The signed-in officer's tasks (or, with ``?plan=``, a plan's), open first, overdue 整改
    marked; for a lead, the plans with results waiting to be published."""
    actor = actor_of(request.user)
    today = timezone.localdate()
    plan = None
    plan_id = request.GET.get("plan", "")
    if plan_id.isdigit() and len(plan_id) < 18:
        plan = get_object_or_404(InspectionPlan.objects.select_related("department"), pk=int(plan_id))
        try:
            rows = tasks.of_plan(actor, plan)
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
    else:
        rows = tasks.mine(actor)
    page = Paginator(rows, tasks.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "page": page,
        "today": today,
        "overdue": set(
            tasks.overdue_rectifications(today=today)
            .filter(pk__in=[t.pk for t in page.object_list])
            .values_list("pk", flat=True)
        ),
        "waiting": _waiting_plans(actor),
    }
    return render(request, "inspection/tasks_list.html", context)


def _inspects(actor: Actor, task: InspectionTask) -> bool:
    return bool(set(tasks.officer_ids(actor)) & set(task.inspectors.values_list("officer_id", flat=True)))


def _forms(task: InspectionTask, actor: Actor) -> list[str]:
    if not _inspects(actor, task):
        return []
    if task.state == states.ASSIGNED:
        return ["result"]
    if task.state == states.RECTIFYING:
        return ["rectified", "refer"]
    return []


def _run(actor: Actor, task: InspectionTask, form: str, data: Any) -> str:
    """Call the form's service; the message to show after it."""
    if form == "result":
        done = tasks.record_result(
            actor,
            task,
            result=data.get("result", ""),
            findings=data.get("findings", ""),
            inspected_on=_date(data.get("inspected_on", ""), "检查日期", required=True),  # type: ignore[arg-type]
            rectify_due=_date(data.get("rectify_due", ""), "整改期限"),
            title=data.get("title", ""),
        )
        return f"已登记检查结果：{tasks.RESULT_LABELS[done.result]}。"
    if form == "rectified":
        tasks.confirm_rectified(
            actor, task, on=_date(data.get("on", ""), "整改完成日期"), note=data.get("note", "")
        )
        return "已确认整改完成。"
    done = tasks.refer(actor, task, on=_date(data.get("on", ""), "移交日期"), title=data.get("title", ""))
    return f"已移交立案（案件 {done.case_id}）。"


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """One task: inspectee, plan, inspectors, result, 整改, publication deadline, the forms."""
    task = get_object_or_404(
        InspectionTask.objects.select_related("plan__department", "plan__item", "member__inspectee", "case"),
        pk=task_id,
    )
    actor = actor_of(request.user)
    if not tasks.may_see(actor, task):
        return _forbidden(request, f"{actor}无权查看检查任务 {task.pk}。")
    failed, error, status = "", "", 200
    if request.method == "POST":
        form = request.POST.get("form", "")
        if form not in FORM_LABELS:
            return redirect("inspection-task", task.pk)
        try:
            note = _run(actor, task, form, request.POST)
        except QingdanError as exc:
            failed, error = form, exc.message
            status = 403 if isinstance(exc, PermissionDenied) else 400
            task.refresh_from_db()
        else:
            messages.success(request, note)
            return redirect("inspection-task", task.pk)
    forms = _forms(task, actor)
    if failed and failed not in forms:
        forms = [failed, *forms]
    context = {
        "task": task,
        "plan": task.plan,
        "member": task.member,
        "inspectors": task.inspectors.select_related("officer", "part__department"),
        "deadline": CaseDeadline.objects.filter(case=None, subject=tasks.subject_of(task))
        .exclude(status=CaseDeadline.CANCELLED)
        .first(),
        "rectification": tasks.rectify_state(task),
        "overdue": task.state == states.RECTIFYING
        and bool(task.rectify_due and task.rectify_due < timezone.localdate()),
        "forms": forms,
        "failed": failed,
        "error": error,
        "posted": request.POST if failed else {},
        "results": InspectionTask.RESULTS,
        "today": timezone.localdate(),
        "inspected_on": request.POST.get("inspected_on", "") if failed else timezone.localdate().isoformat(),
    }
    return render(request, "inspection/tasks_detail.html", context, status=status)


@login_required
@require_POST
def publish_results(request: HttpRequest, plan_id: int) -> HttpResponse:
    """结果公示 of a plan (POST only), back to the page it came from."""
    plan = get_object_or_404(InspectionPlan.objects.select_related("department"), pk=plan_id)
    try:
        done = tasks.publish_results(
            actor_of(request.user), plan, on=_date(request.POST.get("on", ""), "公示日期")
        )
    except QingdanError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"计划{plan.number}：已公示 {len(done)} 项检查结果。")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/work/") else "inspection-tasks")


@login_required
def burden(request: HttpRequest) -> HttpResponse:
    """企业受检负担 of a year, in a jurisdiction or everywhere; 同月多部门检查 first."""
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    place_id = request.GET.get("jurisdiction", "")
    place = (
        Jurisdiction.objects.filter(pk=int(place_id)).first()
        if place_id.isdigit() and len(place_id) < 18
        else None
    )
    flagged = bool(request.GET.get("flagged"))
    rows = tasks.burden(year, place)
    if flagged:
        rows = [r for r in rows if r["flag"]]
    context = {
        "page": Paginator(rows, tasks.PAGE_SIZE).get_page(request.GET.get("page")),
        "year": year,
        "place": place,
        "flagged": flagged,
        "flagged_count": sum(1 for r in rows if r["flag"]),
        "jurisdictions": Jurisdiction.objects.order_by("name"),
    }
    return render(request, "inspection/tasks_burden.html", context)


def public_results(request: HttpRequest, department_id: int) -> HttpResponse:
    """The published results of the plans a department took part in (portal; no findings text)."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    page = Paginator(tasks.published(department.pk), tasks.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [tasks.published_json(t, today) for t in page.object_list]
    return render(
        request,
        "inspection/tasks_public_results.html",
        {"department": department, "page": page, "rows": rows},
    )
