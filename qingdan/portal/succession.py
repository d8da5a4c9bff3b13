"""The 工作台 page where administrators record reorganisations (机构改革) — merges, splits and
renames — and undo a mistaken record. Both call the same service functions as the CLI and API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qingdan.catalog.succession import record_succession, undo_succession
from qingdan.core.lineage import abolished_notes
from qingdan.core.models import Department, Succession
from qingdan.core.permissions import PermissionDenied, actor_of
from qingdan.errors import NotFound, QingdanError
from qingdan.portal.work import _forbidden


@login_required
def successions(request: HttpRequest) -> HttpResponse:
    """Every recorded succession and the form for a new one (administrators only)."""
    actor = actor_of(request.user)
    if request.method != "POST" and not actor.is_admin:
        return _forbidden(request, f"{actor}无权记录机构沿革。")
    error = ""
    if request.method == "POST":
        try:
            done = _undo(request) if request.POST.get("action") == "undo" else _record(request)
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
        except QingdanError as exc:
            error = exc.message
        else:
            messages.success(request, done)
            return redirect("work-succession")
    return render(
        request, "portal/work/succession.html", _context(request, error), status=400 if error else 200
    )


def _record(request: HttpRequest) -> str:
    post = request.POST
    successor = _department(post.get("successor"))
    predecessors = [_department(pk) for pk in post.getlist("predecessors")]
    day = _date(post.get("effective_on", ""))
    rename = post.get("rename") == "on"
    record_succession(actor_of(request.user), successor, predecessors, post.get("basis", ""), day, rename)
    notes = abolished_notes(d.pk for d in predecessors)
    return "已记录：" + "；".join(f"{d.name}{notes.get(d.pk, '')}" for d in predecessors)


def _undo(request: HttpRequest) -> str:
    successor = _department(request.POST.get("successor"))
    predecessor = _department(request.POST.get("predecessor"))
    undo_succession(actor_of(request.user), successor, [predecessor])
    return f"已撤销沿革记录：{predecessor.name} → {successor.name}"


def _department(value: str | None) -> Department:
    dept = Department.objects.filter(pk=int(value)).first() if value and value.isdigit() else None
    if dept is None:
        raise NotFound("请选择部门" if not value else f"没有编号为 {value} 的部门")
    return dept


def _date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise QingdanError(f"撤并日期「{value}」不是 YYYY-MM-DD 格式的日期") from None


def _context(request: HttpRequest, error: str) -> dict[str, Any]:
    departments = list(
        Department.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name")
    )
    notes = abolished_notes(d.pk for d in departments)
    rows = Succession.objects.select_related("successor", "predecessor").order_by("-recorded_at")
    posted = request.POST if error else None
    return {
        "error": error,
        "successions": rows,
        "departments": [(d, notes.get(d.pk, "")) for d in departments],
        "posted": {
            "successor": posted.get("successor", "") if posted else "",
            "predecessors": posted.getlist("predecessors") if posted else [],
            "effective_on": posted.get("effective_on", "") if posted else "",
            "basis": posted.get("basis", "") if posted else "",
            "rename": bool(posted and posted.get("rename") == "on"),
        },
    }
