"""The 执法责任制 pages: the public document beside the department's list (the document is
published by the office), and the import form for the department's editors under /work/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render

from qingdan.core.models import Department
from qingdan.core.permissions import actor_of, can_edit
from qingdan.enforcement.models import AssessmentScheme, ResponsibilitySystem
from qingdan.enforcement.responsibility import bases_of, digest_of, import_responsibility, read_file
from qingdan.enforcement.responsibility_checks import responsibility_findings
from qingdan.enforcement.responsibility_matching import match_duties
from qingdan.errors import QingdanError
from qingdan.ingest.problems import IngestError
from qingdan.ingest.readers.responsibility import describe


def responsibility(request: HttpRequest, department_id: int) -> HttpResponse:
    """The 执法责任制 laid out beside the list: each 职责 with the 主要职责 it matches."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    system = ResponsibilitySystem.objects.filter(department=department).first()
    if system is None:
        raise Http404("这个部门还没有导入行政执法责任制")
    matching = match_duties(system)
    rows = [(duty, matching.match_for(duty)) for duty in system.duties.all()]
    context: dict[str, Any] = {
        "department": department,
        "system": system,
        "bases": bases_of(system),
        "rows": rows,
        "matching": matching,
        "liabilities": system.liabilities.all(),
        "assessment": AssessmentScheme.objects.filter(system=system).first(),
        "findings": responsibility_findings(system),
        "can_import": can_edit(actor_of(request.user), department),
    }
    return render(request, "portal/responsibility.html", context)


@login_required
def responsibility_import(request: HttpRequest, department_id: int) -> HttpResponse:
    """GET: the form; POST: import the uploaded 实施办法 as the department's 执法责任制."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = actor_of(request.user)
    if not can_edit(actor, department):
        message = f"{actor}无权导入{department.name}的行政执法责任制。"
        return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)
    if request.method != "POST":
        return render(request, "portal/work/responsibility_import.html", {"department": department})
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的文件")
        return redirect("work-responsibility-import", department.pk)
    name = upload.name or "上传文件"
    try:
        data = upload.read()
        record = read_file(name, data)
        import_responsibility(actor, department, record, name, digest_of(data))
    except IngestError as exc:
        messages.error(request, f"{name}：未导入。" + "；".join(describe(p) for p in exc.problems))
        return redirect("work-responsibility-import", department.pk)
    except QingdanError as exc:
        messages.error(request, f"{name}：未导入。{exc.message}")
        return redirect("work-responsibility-import", department.pk)
    for warning in record.warnings:
        messages.warning(request, describe(warning))
    messages.success(request, f"已导入 {name}：{len(record.duties)} 项职责、{len(record.bases)} 项执法依据。")
    return redirect("responsibility", department.pk)
