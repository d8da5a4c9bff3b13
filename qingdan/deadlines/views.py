"""``/work/calendar/``: the work calendar of a year for everyone signed in; administrators paste a
State Council notice (preview, then confirm) and set or unset single days. Every write calls
``qingdan.deadlines.services``, as the CLI and the API do; a GET never writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qingdan.core.permissions import Actor, PermissionDenied, actor_of
from qingdan.deadlines import services
from qingdan.errors import QingdanError


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponseForbidden(render(request, "portal/forbidden.html", {"message": message}).content)


def _year(text: str | None) -> int:
    try:
        year = int(text or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 1900), 2200)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise QingdanError(f"日期「{text}」不对：请写成 YYYY-MM-DD。") from None


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The year view; POST (administrators): preview or store a notice, set or unset a day."""
    actor = actor_of(request.user)
    year = _year(request.GET.get("year") or request.POST.get("year"))
    context: dict[str, Any] = {"error": "", "preview": None, "text": ""}
    if request.method == "POST":
        try:
            done = _act(actor, request.POST, context)
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
        except QingdanError as exc:
            context["error"] = exc.message
        else:
            if done:
                messages.success(request, done)
                return redirect(f"{reverse('work-calendar')}?year={year}")
    view = services.year_view(year)
    context |= {
        "view": view,
        "year": year,
        "actor": actor,
        "holidays": [d for d in view.days if d.kind == "holiday"],
        "workdays": [d for d in view.days if d.kind == "workday"],
        "warning": "" if view.covered else services.uncovered_warning(year),
    }
    return render(request, "deadlines/calendar.html", context, status=400 if context["error"] else 200)


def _act(actor: Actor, post: Any, context: dict[str, Any]) -> str:
    """Do what the form asks; returns the message after a write, "" after a preview."""
    action = post.get("action", "")
    if action in ("preview", "notice"):
        text = post.get("text", "")
        year = int(post["notice_year"]) if post.get("notice_year", "").strip().isdigit() else None
        result = services.import_notice(actor, text, year, dry_run=action == "preview")
        if action == "preview":
            context["preview"], context["text"] = result, text
            return ""
        return f"已录入：{result.summary()}"
    if action == "set":
        row = services.set_day(actor, _date(post.get("date", "")), post.get("kind", ""), post.get("name", ""))
        return f"已设定：{row}"
    if action == "unset":
        day = _date(post.get("date", ""))
        services.remove_day(actor, day)
        return f"已删除对 {day} 的单独设定。"
    raise QingdanError("不明白要做什么。")
