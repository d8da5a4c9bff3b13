"""Pages for people, posts and the responsibility matrix.

Public: ``/d/<id>/matrix/`` (leaders and units as offices publish them; officers' names only
where ``Officer.public``). Staff: ``/work/staff/<id>/`` (officers with certificate flags, posts,
leaders, their forms and the import) and ``/work/staff/<id>/matrix/`` (full names, one person's
view). A GET never writes; every POST calls a service in ``staff``/``staff_import``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from qingdan.core.models import Department
from qingdan.core.permissions import Actor, actor_of
from qingdan.enforcement.matrix import KIND_LABELS, answers_for, matrix_entries, matrix_findings
from qingdan.enforcement.models import Leader, Officer, Post, PostItem
from qingdan.enforcement.staff import (
    STATUS_LABELS,
    can_edit_staff,
    can_see_staff,
    certificate_flag,
    known_of,
    remove_leader,
    remove_officer,
    remove_post,
    require_edit,
    save_leader,
    save_officer,
    save_post,
    split_units,
    warning_days,
)
from qingdan.enforcement.staff_import import import_staff
from qingdan.errors import QingdanError

PAGE_SIZE = 50


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _entries_page(request: HttpRequest, department: Department) -> dict[str, Any]:
    entries = matrix_entries(department)
    kinds = [(k, label, sum(e.kind == k for e in entries)) for k, label in KIND_LABELS.items()]
    kind = request.GET.get("kind", "")
    if kind in KIND_LABELS:
        entries = [e for e in entries if e.kind == kind]
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "kinds": [k for k in kinds if k[2]], "kind": kind}


def public_matrix(request: HttpRequest, department_id: int) -> HttpResponse:
    """The public matrix: who is responsible for each item, as the department publishes it."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    context = {"department": department, "full": False, **_entries_page(request, department)}
    return render(request, "enforcement/matrix.html", context)


@login_required
def staff_matrix(request: HttpRequest, department_id: int) -> HttpResponse:
    """The matrix with every name and flag, and one person's view (``?person=姓名``)."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = actor_of(request.user)
    if not can_see_staff(actor, department):
        return _forbidden(request, f"{actor}无权查看{department.name}的执法人员。")
    person = request.GET.get("person", "").strip()
    context: dict[str, Any] = {"department": department, "full": True, "person": person}
    if person:
        context["answers"] = answers_for(department, person)
    else:
        context.update(_entries_page(request, department))
    context["names"] = sorted(
        set(Officer.objects.filter(department=department).values_list("name", flat=True))
        | set(Leader.objects.filter(department=department).values_list("name", flat=True))
    )
    return render(request, "enforcement/matrix.html", context)


@login_required
def staff_page(request: HttpRequest, department_id: int) -> HttpResponse:
    """Officers (paged, with certificate flags), posts, leaders, gaps; forms for those who edit."""
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    actor = actor_of(request.user)
    if not can_see_staff(actor, department):
        return _forbidden(request, f"{actor}无权查看{department.name}的执法人员。")
    if request.method == "POST":
        return _act(request, actor, department)
    officers = Officer.objects.filter(department=department).select_related("post")
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(o, certificate_flag(o)) for o in page]
    flags = [certificate_flag(o) for o in officers]
    editing = _editing(request, department)
    known = known_of(department)
    context = {
        "department": department,
        "actor": actor,
        "can_edit": can_edit_staff(actor, department),
        "page": page,
        "rows": rows,
        "expiring": sum(f.code == "expiring" for f in flags),
        "expired": sum(f.code == "expired" for f in flags),
        "warning_days": warning_days(),
        "posts": Post.objects.filter(department=department).prefetch_related("items", "officers"),
        "leaders": Leader.objects.filter(department=department),
        "findings": matrix_findings(department),
        "units": known.units,
        "item_kinds": PostItem.KINDS,
        "states": STATUS_LABELS.items(),
        **editing,
    }
    return render(request, "enforcement/staff.html", context)


def _editing(request: HttpRequest, department: Department) -> dict[str, Any]:
    """The record an edit form is open on (``?officer=``, ``?post=``, ``?leader=``)."""
    out: dict[str, Any] = {}
    for key, model in (("officer", Officer), ("post", Post), ("leader", Leader)):
        pk = request.GET.get(key, "")
        if pk.isdigit():
            out[f"edit_{key}"] = model.objects.filter(department=department, pk=int(pk)).first()
    post = out.get("edit_post")
    if post is not None:
        out["edit_post_items"] = "\n".join(f"{i.kind}:{i.ref}" for i in post.items.all())
    return out


def _items_from(text: str) -> list[tuple[str, str]]:
    """Lines 「kind:事项」 (kind a code or its Chinese label; 具体工作事项 when left out)."""
    codes = {**{k: k for k in KIND_LABELS}, **{label: k for k, label in KIND_LABELS.items()}}
    items = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        head, sep, rest = line.replace("：", ":").partition(":")
        if sep and head.strip() in codes:
            items.append((codes[head.strip()], rest.strip()))
        else:
            items.append((PostItem.TASK, line))
    return items


def _act(request: HttpRequest, actor: Actor, department: Department) -> HttpResponse:
    post = request.POST
    action = post.get("action", "")
    back = reverse("work-staff", args=[department.pk])
    try:
        require_edit(actor, department)
        if action == "import":
            upload = request.FILES.get("file")
            if upload is None:
                raise QingdanError("请选择要导入的名册文件")
            name = upload.name or "上传文件"
            try:
                result = import_staff(actor, department, name, upload.read())
            except QingdanError as exc:
                raise QingdanError(f"{name}：未导入。{exc.message}") from exc
            messages.success(request, result.summary(name))
        elif action == "officer_save":
            officer = _own(Officer, department, post.get("pk"))
            values = {
                k: post.get(k, "")
                for k in (
                    "name",
                    "unit",
                    "post",
                    "certificate_number",
                    "category",
                    "area",
                    "valid_from",
                    "valid_until",
                    "status",
                )
            }
            values["legal_qualification"] = "是" if post.get("legal_qualification") else "否"
            values["public"] = "是" if post.get("public") else "否"
            saved = save_officer(actor, department, values, officer)
            messages.success(request, f"已保存执法人员{saved.name}。")
        elif action == "post_save":
            saved_post = save_post(
                actor,
                department,
                post.get("unit", ""),
                post.get("name", ""),
                _items_from(post.get("items", "")),
                post.get("description", ""),
                _own(Post, department, post.get("pk")),
            )
            messages.success(request, f"已保存岗位{saved_post}。")
        elif action == "leader_save":
            leader = save_leader(
                actor,
                department,
                post.get("name", ""),
                post.get("title", ""),
                post.getlist("units") or split_units(post.get("units_text", "")),
                leader=_own(Leader, department, post.get("pk")),
            )
            messages.success(request, f"已保存局领导{leader.name}。")
        elif action in ("officer_remove", "post_remove", "leader_remove"):
            model = {"officer_remove": Officer, "post_remove": Post, "leader_remove": Leader}[action]
            target = _own(model, department, post.get("pk"))
            if target is None:
                raise QingdanError("要删除的记录不存在")
            remover = {
                "officer_remove": remove_officer,
                "post_remove": remove_post,
                "leader_remove": remove_leader,
            }
            remover[action](actor, target)  # type: ignore[operator]
            messages.success(request, f"已删除{target}。")
        else:
            raise QingdanError(f"未知操作「{action}」")
    except QingdanError as exc:
        messages.error(request, exc.message)
    return redirect(back)


def _own(model: Any, department: Department, pk: str | None) -> Any:
    if not pk or not str(pk).isdigit():
        return None
    found = model.objects.filter(department=department, pk=int(pk)).first()
    if found is None:
        raise QingdanError("记录不存在或不属于本部门")
    return found


def certificate_counts(actor: Actor) -> list[tuple[Department, int, int]]:
    """For the 工作台: each visible department with officers whose certificates expire soon or
    have expired — (department, expiring, expired)."""
    counts: dict[int, list[int]] = {}
    departments: dict[int, Department] = {}
    for officer in Officer.objects.select_related("department__jurisdiction"):
        dept = officer.department
        if dept.pk not in departments:
            if not can_see_staff(actor, dept):
                continue
            departments[dept.pk] = dept
        code = certificate_flag(officer).code
        tally = counts.setdefault(dept.pk, [0, 0])
        if code == "expiring":
            tally[0] += 1
        elif code == "expired":
            tally[1] += 1
    return [(departments[k], v[0], v[1]) for k, v in counts.items() if k in departments and (v[0] or v[1])]
