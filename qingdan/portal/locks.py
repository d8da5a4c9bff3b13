"""The 工作台 page where administrators see the accounts and addresses locked after repeated
sign-in failures, and lift a lock: the same service functions as ``qingdan unlock``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qingdan.core.permissions import PermissionDenied, actor_of
from qingdan.core.signin import current_locks, unlock, unlock_address
from qingdan.errors import QingdanError
from qingdan.portal.work import _forbidden


@login_required
def locks(request: HttpRequest) -> HttpResponse:
    """The current locks, each with a button that lifts it (administrators only)."""
    actor = actor_of(request.user)
    if request.method == "POST":
        username, address = request.POST.get("username", ""), request.POST.get("address", "")
        try:
            if username:
                cleared = unlock(actor, username)
                messages.success(request, f"已解除账号「{username}」的锁定（清除 {cleared} 次失败记录）。")
            else:
                cleared = unlock_address(actor, address)
                messages.success(request, f"已解除地址「{address}」的锁定（清除 {cleared} 次失败记录）。")
        except PermissionDenied as exc:
            return _forbidden(request, exc.message)
        except QingdanError as exc:
            messages.error(request, exc.message)
        return redirect("work-locks")
    if not actor.is_admin:
        return _forbidden(request, f"{actor}无权查看登录锁定。")
    return render(request, "portal/work/locks.html", {"locks": current_locks()})
