"""The permission rules, in one place. The service layer asks these before every write, so the
web UI, the API, the CLI and imports obey the same rules.

An ``Actor`` is who is acting: a user with a role, the command line (a system administrator unless
``--user`` names someone), or the anonymous public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qingdan.core.models import Department, Role
from qingdan.errors import QingdanError


class PermissionDenied(QingdanError):
    pass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str = ""  # "" is the anonymous public
    user: Any = None  # the auth user, or None for the command line and the public
    department_id: int | None = None
    jurisdiction_id: int | None = None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "公众"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_reviewer(self) -> bool:
        return self.role in (Role.LEGAL, Role.APPROVER)

    def __str__(self) -> str:
        return f"{self.name}（{self.role_label}）"


PUBLIC = Actor(name="公众")
COMMAND_LINE = Actor(name="命令行", role=Role.ADMIN)


def actor_of(user: Any) -> Actor:
    """The actor for an auth user (or AnonymousUser → the public)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    name = user.get_full_name() or user.get_username()
    if user.is_superuser:
        return Actor(name, Role.ADMIN, user)
    profile = getattr(user, "profile", None)
    if profile is None:
        return Actor(name, "", user)
    return Actor(name, profile.role, user, profile.department_id, profile.jurisdiction_id)


def _in_jurisdiction(actor: Actor, department: Department) -> bool:
    return actor.jurisdiction_id is not None and actor.jurisdiction_id == department.jurisdiction_id


def can_edit(actor: Actor, department: Department) -> bool:
    """Edit drafts (and import as a draft): the department's own 填报员, or an administrator."""
    if actor.is_admin:
        return True
    return actor.role == Role.FILLER and actor.department_id == department.pk


def can_review(actor: Actor, department: Department, role: str) -> bool:
    """Approve or return at the stage ``role`` (legal or approver) owns."""
    return actor.is_admin or (actor.role == role and _in_jurisdiction(actor, department))


def can_see_drafts(actor: Actor, department: Department) -> bool:
    """Drafts and versions under review: the editors and the reviewers of the department."""
    return can_edit(actor, department) or (actor.is_reviewer and _in_jurisdiction(actor, department))


def can_decide(actor: Actor, department: Department) -> bool:
    """Accept or dismiss a 清单体检 finding: the reviewers of the department's jurisdiction."""
    return actor.is_admin or (actor.is_reviewer and _in_jurisdiction(actor, department))


def require(allowed: bool, actor: Actor, what: str) -> None:
    """Refuse with a message that says who tried and what they may not do."""
    if not allowed:
        raise PermissionDenied(f"{actor}无权{what}。")
