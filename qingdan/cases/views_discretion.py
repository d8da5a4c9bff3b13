"""Pages for 裁量基准 and case statistics, with their own URL patterns.

Public: ``/d/<id>/discretion/`` (the standards are published documents; each level shows the
amount the engine proposes). Staff: ``/work/discretion/<id>/`` (upload → 试运行 preview with every
problem by row and column → confirm, the previewed file kept in the session meanwhile; the
department's editors) and ``/work/cases/statistics/``
(whoever may see a department's statistics). A GET never writes; the confirm POST calls the same
service as the command line and the API.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from qingdan.cases.amounts import yuan_text
from qingdan.cases.discretion import (
    CIRCUMSTANCE_LABELS,
    can_edit_standards,
    find_standard,
    import_standards_bytes,
    level_text,
    propose,
    remove_standard,
)
from qingdan.cases.models import DiscretionStandard
from qingdan.cases.statistics import GROUPINGS, can_see_statistics, case_statistics, visible_departments
from qingdan.core.models import Department
from qingdan.core.permissions import actor_of
from qingdan.errors import QingdanError
from qingdan.ingest.problems import IngestError

PAGE_SIZE = 30


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def standards_page(request: HttpRequest, department_id: int) -> HttpResponse:
    """A department's 裁量基准, paged, each level with its range and the proposed amount."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    rows = (
        DiscretionStandard.objects.filter(department=department)
        .select_related("law")
        .prefetch_related("levels")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    standards = []
    for standard in page:
        levels = []
        for level in standard.levels.all():
            try:
                proposed = propose(standard, level.circumstance).amount
            except QingdanError:  # a bad proposal setting must not take the published page down
                proposed = None
            amount = yuan_text(proposed) if proposed is not None else None
            levels.append((level, CIRCUMSTANCE_LABELS.get(level.circumstance, ""), level_text(level), amount))
        standards.append((standard, levels))
    context = {
        "department": department,
        "page": page,
        "standards": standards,
        "can_import": can_edit_standards(actor_of(request.user), department),
    }
    return render(request, "cases/discretion.html", context)


@login_required
def import_page(request: HttpRequest, department_id: int) -> HttpResponse:
    """GET: the upload form. POST ``preview``: a dry run showing what would be stored or every
    problem; POST ``confirm``: the same file (carried in the form) imported for real."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = actor_of(request.user)
    if not can_edit_standards(actor, department):
        return _forbidden(request, f"{actor}无权修改{department.name}的行政处罚裁量基准。")
    context: dict[str, Any] = {
        "department": department,
        "current": DiscretionStandard.objects.filter(department=department).prefetch_related("levels"),
    }
    if request.method != "POST":
        return render(request, "cases/discretion_import.html", context)
    if request.POST.get("action") == "remove":
        return _remove(request, actor, department)
    confirm = request.POST.get("action") == "confirm"
    key = f"discretion-preview-{department.pk}"
    try:
        name, data = _file_of(request, confirm, key)
        result = import_standards_bytes(actor, department, name, data, dry_run=not confirm)
    except IngestError as exc:
        context.update(problems=exc.problems, name=_upload_name(request))
        return render(request, "cases/discretion_import.html", context)
    except QingdanError as exc:
        messages.error(request, exc.message)
        return redirect("work-discretion-import", department.pk)
    if confirm:
        request.session.pop(key, None)
        messages.success(request, result.summary())
        return redirect("discretion", department.pk)
    digest = hashlib.sha256(data).hexdigest()
    # kept for the confirmation in the session (stored in the database), not in the form
    request.session[key] = {"name": name, "sha256": digest, "data": base64.b64encode(data).decode("ascii")}
    context.update(result=result, name=name, digest=digest)
    return render(request, "cases/discretion_import.html", context)


def _remove(request: HttpRequest, actor: Any, department: Department) -> HttpResponse:
    try:
        standard = find_standard(department, request.POST.get("code", ""))
        remove_standard(actor, standard)
        messages.success(request, f"已删除裁量基准「{standard.code}」。")
    except QingdanError as exc:
        messages.error(request, exc.message)
    return redirect("work-discretion-import", department.pk)


def _upload_name(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    return (upload.name or "上传文件") if upload is not None else ""


def _file_of(request: HttpRequest, confirm: bool, key: str) -> tuple[str, bytes]:
    """The file to read: the upload, or on confirm the file previewed in this session (read and
    checked again in full); the form names it by its SHA-256, so a second preview in another tab
    cannot be confirmed by mistake."""
    if confirm:
        kept = request.session.get(key) or {}
        if not kept or kept.get("sha256") != request.POST.get("sha256"):
            raise QingdanError("没有找到刚才检查的文件（可能已在其他窗口重新检查或已导入），请重新上传并检查")
        return str(kept["name"]), base64.b64decode(kept["data"])
    upload = request.FILES.get("file")
    if upload is None:
        raise QingdanError("请选择要导入的裁量基准表")
    if upload.size is not None and upload.size > settings.QINGDAN_MAX_FILE_BYTES:
        raise QingdanError(f"文件「{upload.name}」超过大小上限（设置 QINGDAN_MAX_FILE_BYTES）")
    return upload.name or "上传文件", upload.read()


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Case statistics of the departments the user may see (or one, ``?department=``), by
    department, unit or officer (``?by=``)."""
    actor = actor_of(request.user)
    departments = visible_departments(actor)
    if not departments:
        return _forbidden(request, f"{actor}无权查看案件统计。")
    chosen = request.GET.get("department", "")
    selected = [d for d in departments if str(d.pk) == chosen] if chosen else departments
    if chosen and not selected:
        department = Department.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if department is None or not can_see_statistics(actor, department):
            return _forbidden(request, f"{actor}无权查看这个部门的案件统计。")
        selected = [department]
    by = request.GET.get("by", "department")
    by = by if by in GROUPINGS else "department"
    stats = case_statistics(selected, by)
    page = Paginator(stats.groups, 50).get_page(request.GET.get("page"))
    context = {
        "stats": stats,
        "page": page,
        "departments": departments,
        "chosen": chosen,
        "by": by,
        "groupings": GROUPINGS.items(),
    }
    return render(request, "cases/statistics.html", context)


urlpatterns = [
    path("d/<int:department_id>/discretion/", standards_page, name="discretion"),
    path("work/discretion/<int:department_id>/", import_page, name="work-discretion-import"),
    path("work/cases/statistics/", statistics_page, name="work-case-statistics"),
]
