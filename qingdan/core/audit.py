"""Write and check the audit log.

``record`` appends one entry inside the caller's transaction, so the entry commits or rolls back
with the change it describes. Each entry's ``hash`` is the SHA-256 of its content and of the
previous entry's hash, so changing, deleting or inserting a row anywhere breaks the chain from
there on; ``verify`` walks the log in id order and names every break.

What is hashed must read back identically from SQLite and PostgreSQL: keys are sorted (jsonb
reorders them), times are UTC with microseconds, integral floats are written as integers (jsonb
prints ``1e20`` as ``100000000000000000000``), and the auto-increment id is left out (it is not
known before the insert) — entries chain in id order instead.

Appends are serialised so the chain never forks: on PostgreSQL a transaction-scoped advisory lock
is taken before the last entry is read; on SQLite the transaction already holds the write lock
(``transaction_mode`` IMMEDIATE in the settings).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

from qingdan.core.models import AuditEntry
from qingdan.core.permissions import Actor, require

GENESIS = "0" * 64
# pg_advisory_xact_lock key for appends: any constant no other code uses ("qingdan audit")
LOCK_KEY = 0x71696E67_61756474
MAX_PROBLEMS = 100
LIMITS = {"action": 50, "object_type": 50, "object_id": 64}


class AuditUsageError(RuntimeError):
    """``record`` was called in a way that could leave the log out of step with the data."""


@dataclass
class Verification:
    ok: bool
    count: int
    problems: list[str] = field(default_factory=list)
    head: str = GENESIS  # hash of the last entry: note it down elsewhere to detect a cut-off tail


def record(
    action: str,
    *,
    object_type: str,
    object_id: str | int,
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    actor: Any = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry; must run inside the ``transaction.atomic()`` of the write it describes."""
    connection = connections[router.db_for_write(AuditEntry)]
    if not connection.in_atomic_block:
        raise AuditUsageError(
            "audit.record() must be called inside transaction.atomic(), together with the change "
            "it records, so that both commit or roll back together."
        )
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) is not None else None,
        actor_name=_actor_name(actor, actor_name),
        action=_checked("action", action),
        object_type=_checked("object_type", object_type),
        object_id=_checked("object_id", str(object_id)),
        object_repr=str(object_repr)[:300],
        before=_as_json(before),
        after=_as_json(after),
    )
    _lock(connection)
    entry.prev_hash = _last_hash(connection.alias)
    entry.hash = digest(entry)
    entry.save(using=connection.alias)
    return entry


def verify(using: str | None = None, expect: str = "") -> Verification:
    """Recompute every entry's hash and link, in id order, streaming the log.

    The chain alone cannot show that its newest entries were cut off (restoring an old backup
    does exactly that). ``expect`` is a head hash written down earlier, outside the database:
    if no entry has it any more, the end of the log was lost."""
    rows = AuditEntry.objects.using(using or router.db_for_read(AuditEntry)).order_by("id")
    result = Verification(ok=True, count=0)
    previous: AuditEntry | None = None
    broken = 0
    seen_expected = not expect
    for entry in rows.iterator(chunk_size=2000):
        result.count += 1
        seen_expected = seen_expected or entry.hash == expect
        for problem in _problems(entry, previous):
            broken += 1
            if broken <= MAX_PROBLEMS:
                result.problems.append(problem)
        previous = entry
    if not seen_expected:
        broken += 1
        result.problems.insert(
            0, f"记录过的摘要 {expect[:16]}… 不在日志中：日志末尾的记录可能被删去（或恢复了更早的备份）。"
        )
    if broken > MAX_PROBLEMS:
        result.problems.append(f"另有 {broken - MAX_PROBLEMS} 处问题未一一列出。")
    result.ok = broken == 0
    result.head = previous.hash if previous else GENESIS
    return result


def digest(entry: AuditEntry) -> str:
    """The SHA-256 (hex) of an entry's content and its predecessor's hash."""
    payload = {
        "at": _utc(entry.at),
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": _canonical(entry.before),
        "after": _canonical(entry.after),
        "prev_hash": entry.prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _problems(entry: AuditEntry, previous: AuditEntry | None) -> list[str]:
    found = []
    if digest(entry) != entry.hash:
        found.append(f"第 {entry.pk} 条记录的内容与其摘要不符（已被改动）。")
    if previous is None and entry.prev_hash != GENESIS:
        found.append(f"第 {entry.pk} 条记录是现存的第一条，但它的前一摘要不是全零（前面的记录被删除）。")
    elif previous is not None and entry.prev_hash != previous.hash:
        found.append(f"第 {entry.pk} 条记录的前一摘要与第 {previous.pk} 条不符（中间有记录被删除或插入）。")
    return found


def _lock(connection: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _last_hash(using: str) -> str:
    last = AuditEntry.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


def _actor_name(actor: Any, name: str) -> str:
    if not name and actor is not None:
        name = actor.get_username() if hasattr(actor, "get_username") else str(actor)
    return name[:150]


def _checked(name: str, value: str) -> str:
    if not value or len(value) > LIMITS[name]:
        raise ValueError(f"audit {name} must be 1–{LIMITS[name]} characters, got {value!r}")
    return value


def _as_json(value: Any) -> Any:
    """The value as it will read back from a JSONField (dates become strings, tuples lists)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, allow_nan=False))


def _canonical(value: Any) -> Any:
    """Integral floats as ints, recursively: PostgreSQL's jsonb may print 1e20 without a point."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _utc(moment: datetime) -> str:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def recent(actor: Actor, limit: int = 20) -> list[AuditEntry]:
    """The newest entries, newest first (administrators only)."""
    require(actor.is_admin, actor, "查看审计日志")
    return list(AuditEntry.objects.order_by("-id")[: max(limit, 0)])


def log(
    actor: Actor,
    action: str,
    obj: Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry about ``obj`` (a version, a department, a user …) by ``actor``, in the caller's
    transaction: what the service layer calls after every write."""
    return record(
        action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        actor=actor.user,
        actor_name=str(actor),
    )
