"""Case pages for a department's staff, under /work/cases/: the list (filters: stage, unit, officer,
overdue; paged), a case's page (its people, timeline, running deadlines, evidence, hearing,
discussion, payments, documents) with the form of each move the case's stage allows and the
signed-in person's case role takes, and the 期限 block of the 工作台.

A GET never writes. A move's form posts to ``cases/steps.run`` (the way in the command line and the
API use, which calls the move's service); opening a case calls ``services.open_case``. A refusal
(QingdanError) comes back in Chinese on the form it was posted from, with what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from qingdan.cases import access, services, states, steps
from qingdan.cases.forms import (
    FORMS,
    OPEN_CASE,
    ROLE_LABELS,
    Field,
    choices_of,
    officers_of,
    params_from,
    presiders_of,
    today,
    values_from,
)
from qingdan.cases.models import CaseDeadline, CaseRole, Hearing, PenaltyCase
from qingdan.cases.roles import can_see_cases
from qingdan.cases.summary import desk_scope, filtered, late_deadlines, subject_link
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied, actor_of
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError

PAGE_SIZE = 50
DESK_PAGE_SIZE = 20
WEEK = 7  # 「本周到期」: due within the next seven days
STEP_LABELS = {"open": "登记案件线索（发现）"}  # the one recorded step that is not a move of states.MOVES


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _department(request: HttpRequest, department_id: int) -> tuple[Actor, Department, HttpResponse | None]:
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = actor_of(request.user)
    if not can_see_cases(actor, department):
        return actor, department, _forbidden(request, f"{actor}无权查看{department.name}的行政处罚案件。")
    return actor, department, None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The departments whose cases the signed-in person sees (straight to the list if one)."""
    departments = access.departments_with_cases(actor_of(request.user))
    if len(departments) == 1:
        return redirect("cases-list", departments[0].pk)
    return render(request, "cases/index.html", {"departments": departments})


# --- the list ------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest, department_id: int) -> HttpResponse:
    actor, department, refused = _department(request, department_id)
    if refused:
        return refused
    cases, chosen = filtered(department, request.GET)
    page = Paginator(cases.prefetch_related("officers__officer"), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [case.pk for case in page.object_list]
    late = set(late_deadlines(department).filter(case_id__in=shown).values_list("case_id", flat=True))
    roles = access.roles_in(actor, department)
    units = (
        PenaltyCase.objects.filter(department=department)
        .exclude(unit="")
        .order_by("unit")
        .values_list("unit", flat=True)
        .distinct()
    )
    context = {
        "department": department,
        "page": page,
        "late": late,
        "chosen": chosen,
        "stages": states.STAGES,
        "units": units,
        "officers": Officer.objects.filter(department=department),
        "roles": [ROLE_LABELS[r.role] for r in roles],
        "can_open": any(r.role == CaseRole.OFFICER for r in roles),
    }
    return render(request, "cases/list.html", context)


@login_required
def open_case(request: HttpRequest, department_id: int) -> HttpResponse:
    """发现: a new case (a lead until 立案). The form on GET, the service on POST."""
    actor, department, refused = _department(request, department_id)
    if refused:
        return refused
    error = ""
    if request.method == "POST":
        try:
            case = services.open_case(actor, department, **values_from(OPEN_CASE, request.POST, department))
        except QingdanError as exc:
            error = exc.message
        else:
            messages.success(request, f"已登记案件线索：{case}。")
            return redirect("case-detail", case.pk)
    context = {
        "department": department,
        "fields": _bound(OPEN_CASE, request.POST if error else None, department, None),
        "error": error,
    }
    return render(request, "cases/open.html", context, status=_status(error))


# --- one case ------------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(PenaltyCase.objects.select_related("department__jurisdiction"), pk=case_id)
    actor = actor_of(request.user)
    if not can_see_cases(actor, case.department):
        return _forbidden(request, f"{actor}无权查看{case.department.name}的行政处罚案件。")
    return _detail(request, actor, case)


@login_required
def case_move(request: HttpRequest, case_id: int, move: str) -> HttpResponse:
    """One move on a case (POST only): the form's values go to the move's service function."""
    case = get_object_or_404(PenaltyCase.objects.select_related("department__jurisdiction"), pk=case_id)
    actor = actor_of(request.user)
    if not can_see_cases(actor, case.department):
        return _forbidden(request, f"{actor}无权办理{case.department.name}的行政处罚案件。")
    if request.method != "POST" or move not in FORMS:
        return redirect("case-detail", case.pk)
    upload = request.FILES.get("file")
    try:
        params = params_from(FORMS[move], request.POST)
        if upload is not None:
            steps.run(actor, case, move, params, upload.read(), upload.name or "上传文件")
        else:
            steps.run(actor, case, move, params)
    except QingdanError as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 400
        return _detail(request, actor, case, failed=(move, exc.message), status=status)
    messages.success(request, f"已办理：{states.MOVE_LABELS[move]}。")
    return redirect(reverse("case-detail", args=[case.pk]) + "#timeline")


def _status(error: str) -> int:
    return 400 if error else 200


def _detail(
    request: HttpRequest,
    actor: Actor,
    case: PenaltyCase,
    failed: tuple[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    offered = access.offered_moves(actor, case)
    failed_move, error = failed or ("", "")
    if failed_move and failed_move not in offered:
        offered = [failed_move, *offered]  # the refusal shows on the form that was posted
    forms = [
        {
            "move": move,
            "label": states.MOVE_LABELS[move],
            "fields": _bound(
                FORMS[move], request.POST if move == failed_move else None, case.department, case
            ),
            "error": error if move == failed_move else "",
            "multipart": any(f.kind == "file" for f in FORMS[move]),
        }
        for move in offered
        if move in FORMS
    ]
    context = {
        "case": case,
        "department": case.department,
        "officers": case.officers.select_related("officer").order_by("role", "added_at"),
        "actions": [
            (a, STEP_LABELS.get(a.move) or a.label, ROLE_LABELS.get(a.role, a.role), _facts(a.data))
            for a in case.actions.all()
        ],
        "deadlines": _deadlines(case),
        "evidence": case.evidence.all(),
        "preservations": case.preservations.all(),
        "recusals": case.recusals.select_related("officer"),
        "hearing": Hearing.objects.filter(case=case).first(),
        "discussions": case.discussions.all(),
        "suspensions": case.suspensions.all(),
        "payments": case.payments.all(),
        "installments": case.installments.all(),
        "documents": case.documents.defer("content"),
        "forms": forms,
        "roles": [ROLE_LABELS[r.role] for r in access.roles_in(actor, case.department)],
    }
    return render(request, "cases/detail.html", context, status=status)


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    """What a step recorded, for people: its Chinese keys (those starting with _ are for programs)."""

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return str(value)

    return [(key, shown(value)) for key, value in data.items() if not key.startswith("_")]


def _deadlines(case: PenaltyCase) -> list[dict[str, Any]]:
    day = today()
    return [
        {
            "deadline": d,
            "overdue": d.status == CaseDeadline.OPEN and d.due < day,
            "left": (d.due - day).days,
            "late_by": (day - d.due).days,
        }
        for d in case.deadlines.all()
    ]


def _bound(
    fields: tuple[Field, ...], posted: Any, department: Department, case: PenaltyCase | None
) -> list[dict[str, Any]]:
    """Each field with the choices it offers and the value to show (as posted after a refusal)."""
    out = []
    officers: list[Officer] | None = None
    for field in fields:
        choices: list[tuple[str, str]] = list(field.choices)
        if field.kind in ("officers", "officer"):
            officers = officers if officers is not None else officers_of(department)
            choices = [(str(o.pk), f"{o.name}（{o.unit or '未定科室'}）") for o in officers]
        elif field.kind == "pick" and case is not None:
            choices = choices_of(field, case)
        elif field.kind == "user" and case is not None:
            choices = presiders_of(case)
        value: Any = ""
        if posted is not None:
            many = field.kind in ("officers", "codes")
            value = posted.getlist(field.name) if many else posted.get(field.name, "")
        out.append({"field": field, "choices": choices, "value": value, "id": f"{field.name}"})
    return out


# --- the 工作台's 期限 block ------------------------------------------------------------------


def _pager(request: HttpRequest, page: Page, param: str) -> dict[str, Any]:
    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return query.urlencode()

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def _linked(page: Page) -> Page:
    """Each department-level deadline of the page with the page of its subject (``link``)."""
    page.object_list = list(page.object_list)
    for deadline in page.object_list:
        deadline.link = subject_link(deadline.subject) if deadline.subject else None
    return page


def desk_deadlines(request: HttpRequest, actor: Actor) -> dict[str, Any] | None:
    """期限 for the 工作台: what falls due within the week and what is overdue, paged."""
    if actor.user is None or not CaseRole.objects.filter(user=actor.user).exists():
        return None
    day = today()
    # whose deadlines: the scope the API and the command line use (summary.desk_deadlines)
    running = desk_scope(actor).filter(status=CaseDeadline.OPEN).select_related("case", "department")
    soon = running.filter(due__gte=day, due__lte=day + dt.timedelta(days=WEEK)).order_by("due", "id")
    late = running.filter(due__lt=day).order_by("due", "id")
    return {
        "soon": _pager(
            request,
            _linked(Paginator(soon, DESK_PAGE_SIZE).get_page(request.GET.get("soon_page"))),
            "soon_page",
        ),
        "late": _pager(
            request,
            _linked(Paginator(late, DESK_PAGE_SIZE).get_page(request.GET.get("late_page"))),
            "late_page",
        ),
        "today": day,
        "week": WEEK,
        "departments": access.departments_with_cases(actor),
    }
