"""Pages of the 检查对象名录库 (``inspection-pool``: the paged list with risk and category filters,
and the import form showing every row error, for the department's editors) and of the
执法检查人员名录库 (``inspection-inspectors``: officers with their certificate on a day and their
回避, with the declare/withdraw form for the signed-in officer). A GET never writes; every POST
calls a service in ``pool``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render

from qingdan.core.models import Department
from qingdan.core.permissions import actor_of, can_edit
from qingdan.errors import QingdanError
from qingdan.ingest.problems import IngestError
from qingdan.inspection import pool, roles
from qingdan.inspection.models import Inspectee

RISKS = Inspectee.RISKS
CATEGORIES = Inspectee.CATEGORIES


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _department(department_id: int) -> Department:
    return get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)


@login_required
def pool_page(request: HttpRequest, department_id: int) -> HttpResponse:
    """GET: the 名录库, 50 a page (``?risk=A&category=key``); POST ``import``: a file imported
    whole or not at all, every bad row listed."""
    department = _department(department_id)
    actor = actor_of(request.user)
    if not roles.can_see(actor, department):
        return _forbidden(request, f"{actor}无权查看{department.name}的双随机抽查工作。")
    may_import = can_edit(actor, department)
    context: dict[str, Any] = {"department": department, "may_import": may_import}
    if request.method == "POST":
        upload = request.FILES.get("file")
        name = (upload.name or "上传文件") if upload is not None else ""
        try:
            roles.require_editor(actor, department, "导入检查对象名录库")  # before the file is read
            if upload is None:
                raise QingdanError("请选择要导入的名录库文件")
            result = pool.import_inspectee_bytes(
                actor, department, name, upload.read(), replace=request.POST.get("replace") == "1"
            )
        except IngestError as exc:
            context.update(problems=exc.problems, name=name)
        except QingdanError as exc:
            messages.error(request, exc.message)
            return redirect("inspection-pool", department.pk)
        else:
            messages.success(request, result.summary())
            return redirect("inspection-pool", department.pk)
    risk = request.GET.get("risk", "")
    category = request.GET.get("category", "")
    rows = Inspectee.objects.filter(department=department, active=True)
    if risk in dict(RISKS):
        rows = rows.filter(risk=risk)
    if category in dict(CATEGORIES):
        rows = rows.filter(category=category)
    context.update(
        page=Paginator(rows.order_by("uscc"), pool.PAGE_SIZE).get_page(request.GET.get("page")),
        risk=risk,
        category=category,
        risks=RISKS,
        categories=CATEGORIES,
        inactive=Inspectee.objects.filter(department=department, active=False).count(),
        columns=[(names[0], "、".join(names[1:])) for names in pool.COLUMNS.values()],
    )
    return render(request, "inspection/pool_list.html", context, status=400 if "problems" in context else 200)


@login_required
def inspectors_page(request: HttpRequest, department_id: int) -> HttpResponse:
    """GET: the roster on a day (``?on=YYYY-MM-DD``); POST ``declare`` / ``withdraw``: the signed-in
    officer's own 回避."""
    department = _department(department_id)
    actor = actor_of(request.user)
    if not roles.can_see(actor, department):
        return _forbidden(request, f"{actor}无权查看{department.name}的双随机抽查工作。")
    if request.method == "POST":
        action = request.POST.get("action", "")
        uscc = request.POST.get("uscc", "")
        try:
            # a lead names the officer (by id); an officer acts for themselves
            ref = request.POST.get("officer", "").strip()
            officer = pool.officer_named(department, ref) if ref.isdigit() else None
            if action == "declare":
                found = pool.declare_conflict(
                    actor, department, uscc, request.POST.get("reason", ""), officer=officer
                )
                messages.success(
                    request, f"已登记：{found.officer.name}回避统一社会信用代码为 {found.uscc} 的检查对象。"
                )
            elif action == "withdraw":
                pool.withdraw_conflict(actor, department, uscc, officer=officer)
                messages.success(
                    request, f"已撤回对统一社会信用代码为 {pool.check_uscc(uscc)} 的检查对象的回避申报。"
                )
            else:
                raise QingdanError("未知的操作")
        except QingdanError as exc:
            messages.error(request, exc.message)
        return redirect("inspection-inspectors", department.pk)
    day = None
    on = request.GET.get("on", "").strip()
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            messages.error(request, f"「{on}」不是日期：请写成 YYYY-MM-DD。")
    data = pool.roster(department, day)
    context = {
        "department": department,
        "roster": data,
        "own": pool.own_officer_id(actor, department),
        "lead": roles.is_lead(actor, department),
    }
    return render(request, "inspection/pool_inspectors.html", context)
