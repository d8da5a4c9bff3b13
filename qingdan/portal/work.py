"""The 工作台 for signed-in staff: edit a department's draft, import a file as a draft, submit it,
review it (法制审核 → 编办审核), read the audit log. Every action calls the service layer, which
checks permissions; these views only turn forms into calls and refusals into messages.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy

from qingdan.catalog.editing import (
    FIELDS,
    KIND_LABELS,
    Edit,
    collection_at,
    edit_draft,
    locate,
    start_draft,
)
from qingdan.catalog.history import version_diff
from qingdan.catalog.models import ListVersion
from qingdan.catalog.review import REASON_LABELS, STAGES, approve, send_back, submit
from qingdan.catalog.services import import_export, import_list, plan_export, record_for, record_of
from qingdan.checks.services import draft_findings
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import (
    Actor,
    actor_of,
    can_decide,
    can_edit,
    can_review,
    can_see_drafts,
    require,
)
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from qingdan.ingest.records import UNIT_KINDS, ListRecord


def _actor(request: HttpRequest) -> Actor:
    return actor_of(request.user)


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """What this person can do now: their department's list, or the versions awaiting them."""
    actor = _actor(request)
    departments = Department.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name")
    mine = [] if actor.is_admin else [d for d in departments if can_edit(actor, d)]
    waiting = [
        v
        for v in ListVersion.objects.unpublished()
        .exclude(status=ListVersion.DRAFT)
        .select_related("department__jurisdiction")
        .order_by("updated_at")
        if can_review(actor, v.department, STAGES[v.status][1])
    ]
    unpublished = {v.department_id: v for v in ListVersion.objects.unpublished()}
    visible = [(d, unpublished.get(d.pk)) for d in departments if can_see_drafts(actor, d)]
    from qingdan.enforcement.staff import warning_days
    from qingdan.enforcement.views import certificate_counts
    from qingdan.laws.reminders import visible_reminders

    reminders = [(r, can_edit(actor, r.department)) for r in visible_reminders(actor)[:50]]
    from qingdan.cases.views import desk_deadlines  # 期限 of 行政处罚案件 (#12)
    from qingdan.inspection.views import desk_inspection  # 双随机抽查 (#13)
    from qingdan.inspection.views_tasks import desk_tasks  # 检查任务 (#13)

    return render(
        request,
        "portal/work/desk.html",
        {
            "actor": actor,
            "mine": mine,
            "waiting": waiting,
            "departments": visible,
            "reminders": reminders,
            "certificates": certificate_counts(actor),
            "warning_days": warning_days(),
            "deadlines": desk_deadlines(request, actor),
            "inspection_tasks": desk_tasks(actor),
            "inspection": desk_inspection(actor),
        },
    )


@login_required
def draft(request: HttpRequest, department_id: int) -> HttpResponse:
    """The department's unpublished version, editable while it is a draft."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = _actor(request)
    if not can_see_drafts(actor, department):
        return _forbidden(request, f"{actor}无权查看{department.name}的草稿。")
    if request.method == "POST":
        try:
            start_draft(actor, department)
        except QingdanError as exc:
            messages.error(request, exc.message)
        return redirect("work-draft", department.pk)
    version = department.versions.unpublished().first()
    context: dict[str, Any] = {
        "department": department,
        "version": version,
        "actor": actor,
        "can_edit": can_edit(actor, department),
        "can_decide": can_decide(actor, department),
        "reasons": REASON_LABELS.items(),
    }
    if version is not None:
        record = record_of(version)
        context["sections"] = editable_sections(record)
        context["findings"] = draft_findings(version, record)
        context["steps"] = version.review_steps.all()
        context["diff"] = version_diff(actor, department, new=version.number)
        stage = STAGES.get(version.status)
        context["can_review"] = stage is not None and can_review(actor, department, stage[1])
    return render(request, "portal/work/draft.html", context)


def editable_sections(record: ListRecord) -> list[dict[str, Any]]:
    """The list as sections of items, each with its path, for the draft page's controls."""

    def item(
        path: str, title: str, detail: str = "", children: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        return {
            "path": path,
            "anchor": _anchor(path, False),
            "title": title,
            "detail": detail,
            "children": children or [],
        }

    def section(key: str, title: str, items: list[dict[str, Any]], child: str = "") -> dict[str, Any]:
        return {"key": key, "title": title, "label": KIND_LABELS[key], "items": items, "child": child}

    units = [
        item(f"units[{i}]", u.name, f"{u.kind} · {'、'.join(u.phones) or '无电话'}")
        for i, u in enumerate(record.units)
    ]
    duties = [
        item(
            f"duties[{i}]",
            f"{d.no} {d.text}".strip(),
            children=[
                item(
                    f"duties[{i}].tasks[{j}]",
                    t.text or "（未列具体事项）",
                    "承办：" + ("、".join(t.units) or "—"),
                )
                for j, t in enumerate(d.tasks)
            ],
        )
        for i, d in enumerate(record.duties)
    ]
    boundaries = [
        item(
            f"boundaries[{i}]",
            b.matter,
            children=[
                item(f"boundaries[{i}].shares[{j}]", s.department, s.division[:80])
                for j, s in enumerate(b.shares)
            ],
        )
        for i, b in enumerate(record.boundaries)
    ]
    services = [item(f"services[{i}]", s.name, "、".join(s.units)) for i, s in enumerate(record.services)]
    regimes = [item(f"supervision[{i}]", r.matter) for i, r in enumerate(record.supervision)]
    powers = [
        item(f"powers[{i}]", p.name, " · ".join(x for x in (p.code, p.type) if x))
        for i, p in enumerate(record.powers)
    ]
    return [
        section("units", "科室与联系方式", units),
        section("duties", "主要职责与具体工作事项", duties, "tasks"),
        section("boundaries", "与相关部门的职责边界", boundaries, "shares"),
        section("services", "公共服务事项", services),
        section("supervision", "事中事后监管制度", regimes),
        section("powers", "权力事项", powers),
    ]


@login_required
def draft_item(request: HttpRequest, department_id: int) -> HttpResponse:
    """One item's form (``?path=duties[2].tasks[0]``), or a new item's (``?add=duties[2].tasks``)."""
    department = get_object_or_404(Department, pk=department_id)
    actor = _actor(request)
    version = department.versions.unpublished().first()
    if version is None or not can_edit(actor, department):
        return _forbidden(request, f"{actor}无权修改{department.name}的清单，或该部门没有草稿。")
    source = request.POST if request.method == "POST" else request.GET
    adding = "add" in source
    path = source.get("add") or source.get("path") or ""
    record = record_of(version)
    error = ""
    if request.method == "POST":
        try:
            revision = request.POST.get("revision", "")
            edit = _edit_from(request, path, adding, record)
            edit_draft(actor, version, int(revision) if revision.isdigit() else -1, edit)
        except QingdanError as exc:  # a stale revision (EditConflict) included: the form comes back as typed
            error = exc.message
        else:
            messages.success(request, "已保存。")
            return redirect(reverse("work-draft", args=[department.pk]) + "#" + _anchor(path, adding))
    try:
        form = _form(record, path, adding, request.POST if error else None)
    except QingdanError as exc:
        messages.error(request, exc.message)
        return redirect("work-draft", department.pk)
    return render(
        request,
        "portal/work/item.html",
        {
            "department": department,
            "version": version,
            "path": path,
            "adding": adding,
            "error": error,
            "revision": request.POST.get("revision") if error else version.revision,
            **form,
        },
    )


def _anchor(path: str, adding: bool) -> str:
    return (path.split("[")[0] if adding else path).replace("[", "-").replace("]", "").replace(".", "-")


def _edit_from(request: HttpRequest, path: str, adding: bool, record: ListRecord) -> Edit:
    op = request.POST.get("op", "save")
    if adding:
        return Edit("add", path, _values(request, path, adding, record))
    if op in ("up", "down"):
        return Edit("move", path, delta=-1 if op == "up" else 1)
    if op == "remove":
        return Edit("remove", path)
    parent = request.POST.get("parent", "")
    current = path.rsplit(".", 1)[0] if "." in path else ""
    return Edit("save", path, _values(request, path, adding, record), to=parent if parent != current else "")


def _kind(path: str, adding: bool) -> str:
    last = path.rsplit(".", 1)[-1]
    return last if adding else last.split("[")[0]


def _values(request: HttpRequest, path: str, adding: bool, record: ListRecord) -> dict[str, Any]:
    kind = _kind(path, adding)
    if kind not in FIELDS:
        raise QingdanError(f"路径「{path}」不是清单中的一项")
    _, specs = FIELDS[kind]
    return {
        s.name: request.POST.getlist(s.name) if s.widget == "units" else request.POST.get(s.name, "")
        for s in specs
    }


def _form(record: ListRecord, path: str, adding: bool, posted: Any) -> dict[str, Any]:
    """The fields of the item at ``path`` with their current (or just-posted) values."""
    kind = _kind(path, adding)
    if kind not in FIELDS:
        raise QingdanError(f"路径「{path}」不是清单中的一项")
    if adding:
        collection_at(record, path)
        current: dict[str, Any] = {}
    else:
        items, index, _ = locate(record, path)
        current = asdict(items[index])
    fields = []
    for spec in FIELDS[kind][1]:
        value = (
            (posted.getlist(spec.name) if spec.widget == "units" else posted.get(spec.name, ""))
            if posted
            else current.get(spec.name, "")
        )
        if spec.widget == "lines" and isinstance(value, list):
            value = "\n".join(value)
        fields.append({"spec": spec, "value": value})
    parents: list[tuple[str, str]] = []
    if kind == "tasks":
        parents = [(f"duties[{i}]", f"{d.no} {d.text[:40]}") for i, d in enumerate(record.duties)]
    elif kind == "shares":
        parents = [(f"boundaries[{i}]", b.matter[:40]) for i, b in enumerate(record.boundaries)]
    return {
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "fields": fields,
        "unit_names": [u.name for u in record.units],
        "unit_kinds": UNIT_KINDS,
        "parents": parents if not adding else [],
        "parent": path.rsplit(".", 1)[0] if "." in path else "",
    }


@login_required
def draft_import(request: HttpRequest, department_id: int) -> HttpResponse:
    """A file imported as this department's draft (its content replaces the draft's)."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    upload = request.FILES.get("file")
    if request.method != "POST" or upload is None:
        messages.error(request, "请选择要导入的文件")
        return redirect("work-draft", department.pk)
    try:
        # refuse before reading: any signed-in user could otherwise make a worker parse a file
        require(can_edit(_actor(request), department), _actor(request), f"修改{department.name}的清单")
        data = upload.read()
        loaded = load_bytes(upload.name or "上传文件", data, department.name, department.jurisdiction.name)
        record = record_for(loaded, department)
        renamed = record.stated_department if request.POST.get("renamed") else ""
        digest = hashlib.sha256(data).hexdigest()
        result = import_list(record, upload.name or "", digest, _actor(request), True, renamed)
    except QingdanError as exc:
        messages.error(request, f"{upload.name}：未导入。{exc.message}")
    else:
        if result.created:
            messages.success(request, f"已导入 {upload.name}，作为第 {result.version.number} 版草稿。")
        else:
            messages.info(request, f"{upload.name} 与第 {result.version.number} 版相同，没有变化。")
    return redirect("work-draft", department.pk)


@login_required
def act(request: HttpRequest, department_id: int) -> HttpResponse:
    """Submit, approve or return the department's unpublished version (POST only)."""
    department = get_object_or_404(Department, pk=department_id)
    version = department.versions.unpublished().first()
    if request.method != "POST" or version is None:
        return redirect("work-draft", department.pk)
    actor, post = _actor(request), request.POST
    action = post.get("action")
    try:
        if action == "submit":
            version = submit(
                actor, version, post.get("reason", ""), post.get("basis", ""), post.get("comment", "")
            )
        elif action == "approve":
            version = approve(actor, version, post.get("comment", ""))
        elif action == "return":
            version = send_back(actor, version, post.get("comment", ""))
        else:
            raise QingdanError(f"未知操作「{action}」")
    except QingdanError as exc:
        messages.error(request, exc.message)
        return redirect("work-draft", department.pk)
    messages.success(request, f"{version}：{version.get_status_display()}")
    if version.status == ListVersion.PUBLISHED:
        return redirect("changes", department.pk)
    return redirect("work-draft", department.pk) if action == "submit" else redirect("work-desk")


class PasswordChange(auth_views.PasswordChangeView):
    """Staff change their own password (the one createuser printed, first of all)."""

    template_name = "portal/work/password.html"
    success_url = reverse_lazy("work-desk")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            log(actor_of(form.user), "password_change", form.user)
        messages.success(self.request, "密码已修改。")
        return response


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The newest audit entries and whether the hash chain holds (administrators only)."""
    from qingdan.core.audit import verify
    from qingdan.core.models import AuditEntry

    actor = _actor(request)
    if not actor.is_admin:
        return _forbidden(request, f"{actor}无权查看审计日志。")
    entries = AuditEntry.objects.order_by("-id")[:200]
    return render(request, "portal/work/audit.html", {"entries": entries, "verification": verify()})


@login_required
def power_export(request: HttpRequest) -> HttpResponse:
    """导入多部门权力清单: a city's or county's export, split by 实施主体. 试运行 shows the
    breakdown; 导入 stores one list per department, all or nothing (POST only)."""
    actor = _actor(request)
    if not actor.is_admin:
        return _forbidden(request, "只有系统管理员可以导入多部门的权力清单。")
    context: dict[str, Any] = {"actor": actor}
    upload = request.FILES.get("file")
    if request.method == "POST" and upload is not None:
        context.update(_power_export(request, actor, upload.name or "上传文件", upload.read()))
    return render(request, "portal/work/power_export.html", context)


def _power_export(request: HttpRequest, actor: Actor, name: str, data: bytes) -> dict[str, Any]:
    post = request.POST
    try:
        loaded = load_bytes(
            name, data, post.get("department", "").strip(), post.get("jurisdiction", "").strip()
        )
        if not loaded.is_multi:
            raise QingdanError("这份文件只含一个部门的清单：请在该部门的草稿页导入")
        breakdown = plan_export(loaded)
        if post.get("action") != "import":
            return {
                "breakdown": breakdown.as_json(),
                "name": name,
                "warnings": [str(w) for w in loaded.warnings],
            }
        done = import_export(breakdown, name, hashlib.sha256(data).hexdigest(), actor)
    except QingdanError as exc:
        messages.error(request, f"{name}：未导入。{exc.message}")
        return {}
    created = sum(r.created for r in done.values())
    messages.success(request, f"已导入 {name}：{len(done)} 个部门，新建版本 {created} 个。")
    return {"done": done}
