"""Pages for a case's 执法文书 and for the templates they are made from.

``/work/cases/<id>/documents/``: the kinds that can be made now (a POST makes one, then the
browser is sent to its download) and the documents already made. ``/work/templates/``: each
kind's template in force (本部门, 共用 or 默认), with upload, removal and download of the one in
force to edit in Word. A GET never writes; every POST calls a service in ``documents``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from qingdan.api.case_documents import docx_response
from qingdan.cases.documents import (
    KIND_LABELS,
    available_kinds,
    can_manage_templates,
    can_see_case,
    document_file_name,
    major_filing_report,
    make_document,
    remove_template,
    template_for,
    upload_template,
)
from qingdan.cases.models import CaseDocument, DocumentTemplate, PenaltyCase
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied, actor_of
from qingdan.errors import QingdanError


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _case(case_id: int) -> PenaltyCase:
    return get_object_or_404(PenaltyCase.objects.select_related("department__jurisdiction"), pk=case_id)


@login_required
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(case_id)
    actor = actor_of(request.user)
    if not can_see_case(actor, case):
        return _forbidden(request, f"{actor}无权查看{case}的执法文书。")
    if request.method == "POST":
        try:
            document = make_document(actor, case, request.POST.get("kind", ""))
        except QingdanError as exc:
            messages.error(request, exc.message)
            return redirect("case-documents", case_id=case.pk)
        return redirect("case-document-file", case_id=case.pk, document_id=document.pk)
    made = case.documents.defer("content").order_by("-made_at", "-id")
    context = {
        "case": case,
        "kinds": available_kinds(case),
        "made": [(d, KIND_LABELS[d.kind]) for d in made[:100]],
    }
    return render(request, "cases/documents.html", context)


@login_required
def case_document_file(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    case = _case(case_id)
    actor = actor_of(request.user)
    if not can_see_case(actor, case):
        return _forbidden(request, f"{actor}无权查看{case}的执法文书。")
    document = get_object_or_404(CaseDocument.objects.select_related("case"), case=case, pk=document_id)
    return docx_response(bytes(document.content), document_file_name(document), document.sha256)


def _scope(request: HttpRequest, actor: Actor) -> Department | None:
    """The templates a page is about: ``?department=`` (or the 填报员's own), else the shared ones."""
    value = request.POST.get("department") or request.GET.get("department") or ""
    if value.isdigit() and len(value) < 19:
        return get_object_or_404(Department, pk=int(value))
    if not actor.is_admin and actor.department_id:
        return Department.objects.get(pk=actor.department_id)
    return None


def _rows(department: Department | None) -> list[dict[str, Any]]:
    uploaded = {
        t.kind: t
        for t in DocumentTemplate.objects.filter(department=department).defer("content").order_by("id")
    }
    rows = []
    for kind, label in KIND_LABELS.items():
        template = template_for(department, kind)
        rows.append({"kind": kind, "label": label, "template": template, "own": uploaded.get(kind)})
    return rows


@login_required
def templates_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request.user)
    department = _scope(request, actor)
    if not can_manage_templates(actor, department):
        where = department.name if department else "共用"
        return _forbidden(request, f"{actor}无权管理{where}的文书模板。")
    if request.method == "POST":
        _act(request, actor, department)
        back = reverse("work-templates")
        return redirect(f"{back}?department={department.pk}" if department else back)
    context = {"department": department, "rows": _rows(department)}
    return render(request, "cases/templates.html", context)


def _act(request: HttpRequest, actor: Actor, department: Department | None) -> None:
    kind = request.POST.get("kind", "")
    label = KIND_LABELS.get(kind, kind)
    try:
        if request.POST.get("action") == "remove":
            remove_template(actor, kind, department)
            messages.success(request, f"已删除「{label}」模板，恢复使用上一级模板。")
            return
        upload = request.FILES.get("file")
        if upload is None:
            raise QingdanError("请选择要上传的模板文件（.docx）。")
        row = upload_template(actor, kind, upload.name or "模板.docx", upload.read(), department)
        messages.success(request, f"已上传「{label}」模板 {row.file_name}（SHA-256 {row.sha256[:16]}…）。")
    except QingdanError as exc:
        messages.error(request, f"「{label}」：{exc.message}")


@login_required
def template_file(request: HttpRequest, kind: str) -> HttpResponse:
    """The template in force for ``kind`` (the default when none was uploaded), to edit in Word."""
    actor = actor_of(request.user)
    department = _scope(request, actor)
    if kind not in KIND_LABELS:
        return render(request, "portal/forbidden.html", {"message": f"没有「{kind}」这种文书。"}, status=404)
    if not can_manage_templates(actor, department):
        return _forbidden(request, f"{actor}无权下载文书模板。")
    template = template_for(department, kind)
    return docx_response(
        template.content, f"{KIND_LABELS[kind]}（{template.source}模板）.docx", template.sha256
    )


@login_required
def major_report(request: HttpRequest, department_id: int) -> HttpResponse:
    """The half-year 重大行政处罚决定备案报告 (``?year=2026&half=1``); a read, so a GET."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    year, half = request.GET.get("year", ""), request.GET.get("half", "")
    try:
        if not (year.isdigit() and half in ("1", "2")):
            raise QingdanError("请写明年度（如 2026）和半年度（1 = 上半年，2 = 下半年）。")
        content = major_filing_report(actor_of(request.user), department, int(year), int(half))
    except QingdanError as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 400
        return render(request, "portal/forbidden.html", {"message": exc.message}, status=status)
    name = f"{department.name}{year}年{'上' if half == '1' else '下'}半年重大行政处罚决定备案报告.docx"
    return docx_response(content, name)
