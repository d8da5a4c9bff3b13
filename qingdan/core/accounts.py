"""Users, roles and API tokens. The CLI's createuser/token commands and the admin call these."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qingdan.core.audit import log
from qingdan.core.models import ApiToken, Department, Jurisdiction, Profile, Role
from qingdan.core.permissions import Actor, actor_of, require
from qingdan.errors import NotFound, QingdanError

TOKEN_PREFIX = "qd_"


@dataclass
class NewUser:
    username: str
    role: str
    password: str  # the one generated, when none was given; shown once


def actor_named(username: str) -> Actor:
    """The actor for ``qingdan --user NAME``."""
    user = get_user_model().objects.filter(username=username).select_related("profile").first()
    if user is None or not user.is_active:
        raise NotFound(f"没有用户「{username}」。用 qingdan createuser 创建。")
    return actor_of(user)


def create_user(
    by: Actor,
    username: str,
    role: str,
    department: Department | None = None,
    jurisdiction: Jurisdiction | None = None,
    password: str = "",
    full_name: str = "",
) -> NewUser:
    """A user with one role: 填报员 need a department; 审核员 a jurisdiction (a department's will do)."""
    require(by.is_admin, by, "创建用户")
    if role not in Role.values:
        labels = "、".join(f"{r.value}（{r.label}）" for r in Role)
        raise QingdanError(f"角色「{role}」无效，应为：{labels}")
    if role == Role.FILLER and department is None:
        raise QingdanError("部门填报员必须指定部门（--department）")
    if role in (Role.LEGAL, Role.APPROVER):
        jurisdiction = jurisdiction or (department.jurisdiction if department else None)
        if jurisdiction is None:
            raise QingdanError("审核员必须指定地区（--jurisdiction）")
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        raise QingdanError(f"用户「{username}」已存在")
    if password:
        check_password_policy(password, model(username=username, first_name=full_name[:150]))
    password = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        user = model.objects.create_user(
            username=username,
            password=password,
            first_name=full_name[:150],
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        Profile.objects.create(
            user=user,
            role=role,
            department=department if role == Role.FILLER else None,
            jurisdiction=jurisdiction,
        )
        log(by, "createuser", user, after={"role": role, "department": str(department or "")})
    return NewUser(username, role, password)


def set_password(by: Actor, username: str, password: str) -> None:
    """A new password for ``username`` (the user themself or an administrator), if the policy allows it."""
    actor = actor_named(username)
    require(by.is_admin or by.user == actor.user, by, f"为「{username}」设置密码")
    check_password_policy(password, actor.user)
    with transaction.atomic():
        actor.user.set_password(password)
        actor.user.save(update_fields=["password"])
        log(by, "password_set", actor.user)


def check_password_policy(password: str, user: Any) -> None:
    """Refuse a password the settings' AUTH_PASSWORD_VALIDATORS reject, with their own words."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise QingdanError("密码不符合要求：" + "".join(exc.messages)) from None


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its error in Chinese: Django 5.2 formats it with ``%d`` while the zh_Hans
    catalogue has it under ``%(min_length)d``, so the translation is never found."""

    def get_error_message(self) -> str:
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"


def create_token(by: Actor, username: str, name: str = "") -> str:
    """A new API key for ``username`` (the user themself or an administrator may)."""
    actor = actor_named(username)
    require(by.is_admin or by.user == actor.user, by, f"为「{username}」创建 API 令牌")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=actor.user, name=name[:100], prefix=key[:8], key_sha256=_digest(key))
        log(by, "createtoken", actor.user, after={"token": key[:8], "name": name})
    return key


def actor_for_token(key: str) -> Actor | None:
    """The actor an API key belongs to, or None for an unknown or revoked key."""
    token = ApiToken.objects.filter(key_sha256=_digest(key)).select_related("user__profile").first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return actor_of(token.user)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
