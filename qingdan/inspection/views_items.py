"""随机抽查事项清单 pages: the 工作台 page of a department's catalogue (the draft with an edit form
per item; derive, new draft and publish, each shown only to who may take it) and the portal page
of the published catalogue with the sentences its values were read from, and its older versions.

A GET never writes. Every form posts to the work page with an ``action``, which calls the
service of ``qingdan.inspection.catalog``; a refusal comes back in Chinese on the page, with what
was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from qingdan.core.models import Department
from qingdan.core.permissions import Actor, actor_of, can_edit
from qingdan.errors import NotFound, QingdanError
from qingdan.inspection import catalog, roles
from qingdan.inspection.models import InspectionItem, ItemCatalog

PAGE_SIZE = 50
# the edit form's fields: (name, label, kind)
FORM_FIELDS = [
    ("name", "抽查事项", "text"),
    ("code", "事项编码", "text"),
    ("ratio", "抽查比例", "ratio"),
    ("frequency", "抽查频次", "text"),
    ("per_year", "每年次数", "int"),
    ("min_inspectors", "每组检查人员", "int"),
    ("basis", "抽查依据", "textarea"),
    ("subject", "抽查主体", "text"),
    ("targets", "抽查对象", "textarea"),
    ("content", "抽查内容", "textarea"),
    ("methods", "抽查方式", "textarea"),
]


def _department(department_id: int) -> Department:
    return get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)


def _form_value(item: InspectionItem | None, name: str) -> str:
    if item is None:
        return "2" if name == "min_inspectors" else ""
    if name == "ratio":
        return catalog.percent(item.ratio)
    value = getattr(item, name)
    return "" if value is None else str(value)


def _fields(item: InspectionItem | None, typed: dict[str, str] | None = None) -> list[dict[str, Any]]:
    return [
        {"name": n, "label": label, "kind": kind, "value": typed[n] if typed else _form_value(item, n)}
        for n, label, kind in FORM_FIELDS
    ]


def _posted(request: HttpRequest) -> dict[str, str]:
    return {n: request.POST.get(n, "") for n, _, _ in FORM_FIELDS}


def _draft_item(department: Department, pk: str) -> InspectionItem:
    draft = catalog.require_draft(department)
    item = draft.items.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if item is None:
        raise NotFound("草稿中没有这一事项（可能已被删除），请刷新页面。")
    return item


def _act(actor: Actor, department: Department, request: HttpRequest) -> str:
    """Run the posted action; what to tell the user when it went through."""
    action = request.POST.get("action", "")
    if action == "derive":
        made = catalog.derive_catalog(actor, department)
        return f"已从清单第 {made.derived_from.number if made.derived_from else ''} 版生成{made}（{made.items.count()} 项）。"
    if action == "new_draft":
        return f"已新建{catalog.new_draft(actor, department)}。"
    if action == "publish":
        return f"已发布{catalog.publish_catalog(actor, department)}。"
    if action == "edit":
        item = catalog.edit_item(
            actor, _draft_item(department, request.POST.get("item", "")), **_posted(request)
        )
        return f"已保存第 {item.position} 项「{item.name}」。"
    if action == "add":
        item = catalog.add_item(actor, department, **_posted(request))
        return f"已添加第 {item.position} 项「{item.name}」。"
    if action == "remove":
        item = _draft_item(department, request.POST.get("item", ""))
        catalog.remove_item(actor, item)
        return f"已删除第 {item.position} 项「{item.name}」。"
    raise QingdanError("无法识别的操作。")


@login_required
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest, department_id: int) -> HttpResponse:
    department = _department(department_id)
    actor = actor_of(request.user)
    if not roles.can_see(actor, department):
        message = f"{actor}无权查看{department.name}的双随机抽查工作。"
        return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)
    error, typed = "", None
    if request.method == "POST":
        try:
            done = _act(actor, department, request)
        except QingdanError as exc:
            error, typed = (
                exc.message,
                {"item": request.POST.get("item", ""), "action": request.POST.get("action")},
            )
        else:
            messages.success(request, done)
            page = request.GET.get("page", "")
            return redirect(
                reverse("inspection-items", args=[department.pk])
                + (f"?page={page}" if page.isdigit() else "")
            )
    return render(
        request, "inspection/items_work.html", _work_context(actor, department, error, typed, request)
    )


def _work_context(
    actor: Actor, department: Department, error: str, typed: dict[str, Any] | None, request: HttpRequest
) -> dict[str, Any]:
    draft = catalog.draft_catalog(department)
    published = catalog.published_catalog(department)
    editable = can_edit(actor, department)
    failed = typed or {}
    shown = draft or published  # without a draft, the published catalogue is shown read-only
    page = Paginator(shown.items.all() if shown else InspectionItem.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for item in page.object_list if draft else []:
        retyped = (
            _posted(request)
            if failed.get("action") == "edit" and failed.get("item") == str(item.pk)
            else None
        )
        rows.append(
            {
                "item": item,
                "percent": catalog.percent(item.ratio),
                "fields": _fields(item, retyped),
                "error": error if retyped else "",
            }
        )
    adding = failed.get("action") == "add"
    return {
        "department": department,
        "draft": draft,
        "page": page,
        "rows": rows,
        "published_rows": [{"item": i, "percent": catalog.percent(i.ratio)} for i in page.object_list],
        "published": published,
        "versions": catalog.published_versions(department),
        "can_edit": editable,
        "can_publish": roles.is_lead(actor, department),
        "new_fields": _fields(None, _posted(request) if adding else None),
        "add_error": error if adding else "",
        "error": error,
    }


def public_items(request: HttpRequest, department_id: int) -> HttpResponse:
    """The published catalogue (or an older published version, ``?version=N``) for everyone."""
    department = _department(department_id)
    number = request.GET.get("version", "")
    try:
        shown: ItemCatalog | None = catalog.public_catalog(
            department, int(number) if number.isdigit() and len(number) < 10 else None
        )
    except NotFound:
        shown = None
    page = Paginator(shown.items.all() if shown else InspectionItem.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "department": department,
        "catalog": shown,
        "page": page,
        "items": [
            {"item": i, "percent": catalog.percent(i.ratio), "changed": catalog.changed_from_text(i)}
            for i in page.object_list
        ],
        "versions": catalog.published_versions(department),
    }
    return render(
        request, "inspection/items_public.html", context, status=200 if shown or not number else 404
    )
