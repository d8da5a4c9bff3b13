"""双随机抽查 on the portal: a department's published plans (committed, drawn, or cancelled after
their commit), one plan with everything needed to check its draw, and its draw.json. A GET never
writes; a plan never committed is not found."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from qingdan.core.models import Department
from qingdan.errors import NotFound
from qingdan.inspection import plans, states
from qingdan.inspection.models import InspectionPlan, TaskInspector

PAGE_SIZE = 50
REFERENCE_SCRIPT = Path(__file__).parent / "data" / "verify_draw.txt"


@cache
def reference_script() -> str:
    """docs/draw.md's reference script (the same text; tests/test_inspection_draw.py checks it)."""
    return REFERENCE_SCRIPT.read_text(encoding="utf-8")


def _public_plans(department: Department) -> QuerySet[InspectionPlan]:
    return InspectionPlan.objects.filter(department=department, committed_at__isnull=False).exclude(
        state=states.DRAFT
    )


def _plan(department_id: int, plan_id: int) -> InspectionPlan:
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    return get_object_or_404(
        _public_plans(department).select_related("department__jurisdiction", "item"),
        pk=plan_id,
    )


def percent(ratio: str) -> str:
    return f"{(Decimal(ratio) * 100).normalize():f}%"


def inspection(request: HttpRequest, department_id: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    rows = _public_plans(department).select_related("item").order_by("-committed_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspection/draw_public_list.html", {"department": department, "page": page})


def inspection_plan(request: HttpRequest, department_id: int, plan_id: int) -> HttpResponse:
    plan = _plan(department_id, plan_id)
    ratios = [(name, percent(value)) for name, value in sorted(plan.ratios.items())]
    population = list(
        plan.members.order_by("stratum").values("stratum").annotate(n=Count("id")).values_list("stratum", "n")
    )
    tasks = plan.tasks.select_related("member").prefetch_related(
        Prefetch(
            "inspectors",
            TaskInspector.objects.select_related("officer", "part__department").order_by(
                "part__position", "position"
            ),
        )
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "department": plan.department,
        "plan": plan,
        "parts": plan.parts.select_related("department", "item"),
        "ratios": ratios,
        "population": population,
        "total": sum(n for _, n in population),
        "page": page,
        "script": reference_script(),
    }
    return render(request, "inspection/draw_public_plan.html", context)


def inspection_draw(request: HttpRequest, department_id: int, plan_id: int) -> HttpResponse:
    plan = _plan(department_id, plan_id)
    try:
        document = plans.published(plan)
    except NotFound as error:
        raise Http404(error.message) from None
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{plan.pk}.json"'
    return response
