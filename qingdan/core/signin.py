"""Sign-in throttling: an account, or an address, that fails too often in a short time is locked.

Every attempt is a ``LoginAttempt`` row. An account is locked when ``QINGDAN_LOGIN_FAILURES``
failures (since its last success) fall within ``QINGDAN_LOGIN_WINDOW_MINUTES`` of the latest one,
for ``QINGDAN_LOGIN_LOCK_MINUTES`` after that latest failure; an address likewise after
``QINGDAN_LOGIN_ADDRESS_FAILURES``. Attempts while locked count as failures, so guessing on keeps
the lock. An administrator lifts a lock with ``unlock`` (``qingdan unlock``, 工作台 → 登录锁定).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qingdan.core.audit import log, record
from qingdan.core.models import LoginAttempt
from qingdan.core.permissions import Actor, require
from qingdan.errors import NotFound, QingdanError


@dataclass(frozen=True)
class Lock:
    what: str  # "account" or "address"
    name: str  # the username or the address
    failures: int
    until: datetime

    @property
    def message(self) -> str:
        local = timezone.localtime(self.until).strftime("%H:%M")
        who = "该账号" if self.what == "account" else "您所在的地址"
        return (
            f"{who}登录失败次数过多，已暂时锁定，请在 {local} 以后再试，"
            "或请系统管理员解除锁定（qingdan unlock）。"
        )


def _minutes(name: str) -> timedelta:
    return timedelta(minutes=getattr(settings, name))


def _lock(what: str, name: str, failures: QuerySet[LoginAttempt], threshold: int) -> Lock | None:
    window, duration = _minutes("QINGDAN_LOGIN_WINDOW_MINUTES"), _minutes("QINGDAN_LOGIN_LOCK_MINUTES")
    now = timezone.now()
    times = list(failures.filter(at__gt=now - window - duration).order_by("-at").values_list("at", flat=True))
    if not times:
        return None
    latest = times[0]
    count = sum(1 for t in times if t > latest - window)
    if count < threshold or latest + duration <= now:
        return None
    return Lock(what, name, count, latest + duration)


def account_lock(username: str) -> Lock | None:
    failures = LoginAttempt.objects.filter(username=username, succeeded=False)
    success = LoginAttempt.objects.filter(username=username, succeeded=True).order_by("-at").first()
    if success is not None:
        failures = failures.filter(at__gt=success.at)
    return _lock("account", username, failures, settings.QINGDAN_LOGIN_FAILURES)


def address_lock(address: str) -> Lock | None:
    if not address:
        return None
    failures = LoginAttempt.objects.filter(address=address, succeeded=False)
    return _lock("address", address, failures, settings.QINGDAN_LOGIN_ADDRESS_FAILURES)


def lock_for(username: str, address: str) -> Lock | None:
    """The lock that stops this attempt, if any."""
    return account_lock(username) or address_lock(address)


def record_attempt(username: str, address: str, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=username[:150], address=address[:64], succeeded=succeeded)


def client_address(request: Any) -> str:
    """The address a request comes from; behind the HTTPS proxy, the one the proxy appended."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def current_locks() -> list[Lock]:
    """Accounts and addresses locked now, for the administrators' page."""
    window, duration = _minutes("QINGDAN_LOGIN_WINDOW_MINUTES"), _minutes("QINGDAN_LOGIN_LOCK_MINUTES")
    recent = LoginAttempt.objects.filter(succeeded=False, at__gt=timezone.now() - window - duration)
    usernames = sorted(set(recent.values_list("username", flat=True)))
    addresses = sorted(set(recent.values_list("address", flat=True)))
    locks = [account_lock(u) for u in usernames] + [address_lock(a) for a in addresses]
    return [lock for lock in locks if lock is not None]


def unlock(by: Actor, username: str) -> int:
    """Lift the lock on an account (administrators only); returns the failures cleared."""
    require(by.is_admin, by, "解除账号的登录锁定")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"没有用户「{username}」。")
    lock = account_lock(username)
    if lock is None:
        raise QingdanError(f"账号「{username}」没有被锁定。")
    with transaction.atomic():
        cleared, _ = LoginAttempt.objects.filter(username=username, succeeded=False).delete()
        log(by, "unlock", user, before={"failures": lock.failures, "until": lock.until})
    return cleared


def unlock_address(by: Actor, address: str) -> int:
    """Lift the lock on an address (administrators only); returns the failures cleared."""
    require(by.is_admin, by, "解除地址的登录锁定")
    lock = address_lock(address.strip())
    if lock is None:
        raise QingdanError(f"地址「{address}」没有被锁定。")
    with transaction.atomic():
        cleared, _ = LoginAttempt.objects.filter(address=lock.name, succeeded=False).delete()
        record(
            "unlock_address",
            object_type="address",
            object_id=lock.name,
            object_repr=lock.name,
            before={"failures": lock.failures, "until": lock.until},
            actor=by.user,
            actor_name=str(by),
        )
    return cleared


class ThrottledBackend(ModelBackend):
    """Django's username-and-password check, refused while the account or address is locked;
    every attempt through it (the sign-in page, the admin's) is recorded."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request) if request is not None else ""
        lock = lock_for(username, address)
        if lock is not None:
            record_attempt(username, address, False)
            raise PermissionDenied(lock.message)  # stops authenticate() here, whatever the password
        user = super().authenticate(request, username=username, password=password, **kwargs)
        record_attempt(username, address, user is not None)
        return user


class ThrottledFormMixin:
    """Say that the account or address is locked instead of "wrong password" when it is."""

    request: Any
    cleaned_data: dict[str, Any]
    locked_message = ""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc, no-any-return]
        except ValidationError:
            username = self.cleaned_data.get("username") or ""
            address = client_address(self.request) if self.request is not None else ""
            lock = lock_for(username, address)
            if lock is not None:
                self.locked_message = lock.message
                raise ValidationError(lock.message, code="locked") from None
            raise


class SignInForm(ThrottledFormMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledFormMixin, AdminAuthenticationForm):
    pass
