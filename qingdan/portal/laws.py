"""The 工作台 pages of the law registry (administrators: the list, one law's facts, amendments,
repeal and articles, the unresolved cited titles) and the 依据变更提醒 button. Every write calls
``qingdan.laws.services`` / ``qingdan.laws.reminders``, as the CLI does; a GET never writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qingdan.core.permissions import PermissionDenied, actor_of
from qingdan.errors import QingdanError
from qingdan.laws import services
from qingdan.laws.models import Law
from qingdan.laws.reminders import close_reminder, reminder_for, start_revision
from qingdan.portal.work import _forbidden

PER_PAGE = 50


def _day(text: str, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise QingdanError(f"{label}「{text}」不是日期：请写成 YYYY-MM-DD。") from None


@login_required
def laws(request: HttpRequest) -> HttpResponse:
    """``/work/laws/``: the registry, searchable and paged, and the form for a new law."""
    actor = actor_of(request.user)
    if not actor.is_admin:
        return _forbidden(request, f"{actor}无权管理法律法规库。")
    error = ""
    if request.method == "POST":
        try:
            post = request.POST
            record = services.LawRecord(
                title=post.get("title", "").strip(),
                aliases=[a for a in post.get("aliases", "").replace("、", " ").split() if a],
                level=post.get("level", ""),
                issuer=post.get("issuer", "").strip(),
                document_number=post.get("document_number", "").strip(),
                promulgated=_day(post.get("promulgated", ""), "公布日期"),
                effective=_day(post.get("effective", ""), "施行日期"),
                source=post.get("source", "").strip(),
            )
            law = services.create_law(actor, record)
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
        except QingdanError as exc:
            error = exc.message
        else:
            messages.success(request, f"已登记{law}。")
            return redirect("work-law", law.pk)
    query = request.GET.get("q", "")
    page = Paginator(services.search_laws(query), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "levels": Law.LEVELS, "error": error}
    return render(request, "portal/work/laws.html", context, status=400 if error else 200)


@login_required
def law(request: HttpRequest, law_id: int) -> HttpResponse:
    """``/work/laws/<id>/``: edit a law's facts, add an amendment or an article, repeal it."""
    actor = actor_of(request.user)
    if not actor.is_admin:
        return _forbidden(request, f"{actor}无权管理法律法规库。")
    found = get_object_or_404(Law.objects.select_related("successor"), pk=law_id)
    error = ""
    if request.method == "POST":
        try:
            done = _act(actor, found, request.POST)
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
        except QingdanError as exc:
            error = exc.message
        else:
            messages.success(request, done)
            return redirect("work-law", found.pk)
    context = {"law": found, "levels": Law.LEVELS, "error": error}
    return render(request, "portal/work/law.html", context, status=400 if error else 200)


def _act(actor: Any, law: Law, post: Any) -> str:
    action = post.get("action")
    if action == "edit":
        services.edit_law(
            actor,
            law,
            aliases=post.get("aliases", "").replace("、", " ").split(),
            title=post.get("title", law.title),
            level=post.get("level", law.level),
            issuer=post.get("issuer", ""),
            document_number=post.get("document_number", ""),
            promulgated_on=_day(post.get("promulgated", ""), "公布日期"),
            effective_on=_day(post.get("effective", ""), "施行日期"),
            source=post.get("source", ""),
            note=post.get("note", ""),
        )
        return "已保存。"
    if action == "amend":
        adopted = _day(post.get("adopted", ""), "通过日期")
        if adopted is None:
            raise QingdanError("请填写修改的通过日期。")
        services.add_amendment(
            actor,
            law,
            adopted,
            _day(post.get("effective", ""), "施行日期"),
            post.get("name", ""),
            post.get("source", ""),
        )
        return f"已登记 {adopted} 的修改；引用它的清单将收到依据变更提醒。"
    if action == "repeal":
        on = _day(post.get("repealed", ""), "废止日期")
        if on is None:
            raise QingdanError("请填写废止日期。")
        successor = services.find_law(post["successor"]) if post.get("successor", "").strip() else None
        services.repeal_law(actor, law, on, successor)
        return f"已登记 {on} 废止；引用它的清单将收到依据变更提醒。"
    if action == "article":
        article = services.add_article(actor, law, post.get("number", "").strip(), post.get("text", ""))
        return f"已登记{article}。"
    raise QingdanError("不认识的操作。")


@login_required
def unresolved(request: HttpRequest) -> HttpResponse:
    """``/work/laws/unresolved/``: cited titles no registered law has, each with a link form."""
    actor = actor_of(request.user)
    if not actor.is_admin:
        return _forbidden(request, f"{actor}无权管理法律法规库。")
    error = ""
    if request.method == "POST":
        try:
            title = request.POST.get("title", "")
            target = services.find_law(request.POST.get("law", ""))
            count = services.link_title(actor, title, target)
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
        except QingdanError as exc:
            error = exc.message
        else:
            messages.success(request, f"已关联：「{title}」→{target}，{count} 处引用。")
            return redirect("work-laws-unresolved")
    page = Paginator(services.unresolved_titles(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/work/laws_unresolved.html",
        {"page": page, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def reminder(request: HttpRequest, reminder_id: int) -> HttpResponse:
    """The 工作台 buttons of a 依据变更提醒: 开始修订（法律立改废） opens the draft; 关闭."""
    actor = actor_of(request.user)
    try:
        found = reminder_for(actor, reminder_id)
        if request.POST.get("action") == "close":
            close_reminder(actor, found, request.POST.get("note", ""))
            messages.success(request, "已关闭这条依据变更提醒。")
            return redirect("work-desk")
        draft = start_revision(actor, found)
    except PermissionDenied as exc:
        return _forbidden(request, exc.message)
    except QingdanError as exc:
        messages.error(request, exc.message)
        return redirect("work-desk")
    messages.success(request, f"已开始修订：{draft}，调整原因「法律立改废」。")
    return redirect("work-draft", draft.department_id)
