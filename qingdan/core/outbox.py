"""Derived work — the search index, 清单体检 of a new version, the cross-department check of
its jurisdiction — owed by a write and done after it.

The registry is the truth; what is derived from it is owed, not done, inside the write's
transaction: ``owe`` records a ``PendingWork`` row in that transaction, so the debt commits or
rolls back with the change that caused it. After commit, ``settle`` does the work, one writer at
a time (a lock across processes), and deletes only the rows it read: a row committed while a
settle runs stays for the next one, and the work re-reads the registry, so any interleaving of
writers ends with the derived data agreeing with the registry. A failure leaves the rows (with
the error and the attempt count) for the next try: the worker process (``qingdan worker``,
started by ``qingdan serve``) settles whatever is owed every few seconds, and every command of
the CLI settles before it exits.

After commit, the write also enqueues the ``settle_pending`` task (django-tasks): under
``QINGDAN_TASKS=database`` a worker picks it up within a second; under ``immediate`` (the CLI's
default) it runs at once in the writing process.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from qingdan.core.models import PendingWork
from qingdan.errors import QingdanError

logger = logging.getLogger("qingdan.outbox")

BATCH = 500
LOCK_WAIT_SECONDS = 120.0
_ADVISORY_KEY = 0x71696E67  # "qing": one PostgreSQL advisory lock for every qingdan writer
_deferred: list[bool] = []
_held = [0]  # how deeply this process holds the writer lock (it is reentrant)


class Busy(QingdanError):
    """Another process held the writer lock for longer than we would wait."""


def owe(kind: str, keys: Iterable[int]) -> None:
    """Record derived work inside the current transaction; schedule it for after commit."""
    rows = [PendingWork(kind=kind, key=key) for key in sorted(set(keys))]
    if not rows:
        return
    PendingWork.objects.bulk_create(rows)
    transaction.on_commit(schedule)


def schedule() -> None:
    """Ask for the owed work to be done: a task for the worker (or, immediate, done right now).
    Never raises: what cannot be scheduled now is still owed, and the worker catches up."""
    if _deferred:
        return
    try:
        from qingdan.core.tasks import settle_pending

        settle_pending.enqueue()
    except Exception:
        logger.warning("后台工作未能排队，将由后台进程补做", exc_info=True)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Owe work inside the block without scheduling it; settle once at the end (a bulk import
    then pays for one index commit, not one per file)."""
    _deferred.append(True)
    try:
        yield
    finally:
        _deferred.pop()
        if not _deferred and (note := settle_quietly()):
            logger.warning(note)


def owed(kind: str | None = None) -> int:
    """How many pieces of derived work are still owed."""
    rows = PendingWork.objects.all()
    return (rows.filter(kind=kind) if kind else rows).count()


@contextlib.contextmanager
def writer(wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """One writer of derived data at a time, across processes: an advisory lock on PostgreSQL
    (several servers may share it), a file lock in the data directory on SQLite."""
    if _held[0]:
        _held[0] += 1
        try:
            yield
        finally:
            _held[0] -= 1
        return
    with _exclusive(wait):
        _held[0] = 1
        try:
            yield
        finally:
            _held[0] = 0


@contextlib.contextmanager
def _exclusive(wait: float) -> Iterator[None]:
    deadline = time.monotonic() + wait
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_KEY])
                if cursor.fetchone()[0]:
                    break
                _wait_or_give_up(deadline)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])
        return
    path = Path(settings.DATA_DIR) / "derived.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                _wait_or_give_up(deadline)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_or_give_up(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise Busy(
            "另一个进程正在更新检索索引或体检结果，已等待过久；未完成的工作仍在登记，稍后由后台进程补做。"
        )
    time.sleep(0.05)


def _handlers() -> dict[str, Callable[[set[int]], object]]:
    from qingdan.checks.services import check_crossing, check_published
    from qingdan.deadlines.recompute import calendar_changed
    from qingdan.laws.reminders import law_changed
    from qingdan.search import index_departments

    return {
        PendingWork.LAW: law_changed,
        PendingWork.INDEX: index_departments,
        PendingWork.CHECKS: check_published,
        PendingWork.CROSSING: check_crossing,
        PendingWork.DEADLINES: calendar_changed,
    }


def settle(wait: float = LOCK_WAIT_SECONDS) -> int:
    """Do all the owed work, one batch of one kind at a time, under the writer lock; returns
    how many rows were settled. A failed batch keeps its rows (attempts + 1, the error) and
    stops this settle, so one bad row cannot spin; the next settle tries again."""
    if not PendingWork.objects.exists():
        return 0
    done = 0
    with writer(wait):
        handlers = _handlers()
        # a law's change comes first: it runs the 清单体检 of the versions that cite the law itself
        kinds = (
            PendingWork.LAW,
            PendingWork.INDEX,
            PendingWork.CHECKS,
            PendingWork.CROSSING,
            PendingWork.DEADLINES,
        )
        for kind in kinds:
            failed: list[int] = []
            while rows := list(
                PendingWork.objects.filter(kind=kind).exclude(pk__in=failed).order_by("pk")[:BATCH]
            ):
                try:
                    handlers[kind]({row.key for row in rows})
                except Exception:
                    # one key at a time, so a key that cannot be done holds up no other
                    done += _one_by_one(handlers[kind], rows, failed)
                    continue
                PendingWork.objects.filter(pk__in=[row.pk for row in rows]).delete()
                done += len(rows)
    return done


def _one_by_one(handler: Callable[[set[int]], object], rows: list[PendingWork], failed: list[int]) -> int:
    done = 0
    for row in rows:
        try:
            handler({row.key})
        except Exception as exc:
            logger.exception("后台工作失败：%s，稍后重试", row)
            PendingWork.objects.filter(pk=row.pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            failed.append(row.pk)
        else:
            row.delete()
            done += 1
    return done


def settle_quietly(wait: float = LOCK_WAIT_SECONDS) -> str:
    """``settle`` for the end of a command: returns a Chinese note when work is left owed."""
    try:
        settle(wait)
    except Busy as exc:
        return exc.message
    except Exception as exc:  # logged; the rows stay owed
        logger.exception("后台工作失败")
        return f"检索索引或体检结果暂未更新（{type(exc).__name__}），已登记，稍后由后台进程补做。"
    left = owed()
    return f"还有 {left} 项后台工作未完成，已登记，稍后重试。" if left else ""


def forgive_index(up_to: int) -> None:
    """A full reindex has covered every index row up to this id."""
    PendingWork.objects.filter(kind=PendingWork.INDEX, pk__lte=up_to).delete()


def last_id() -> int:
    return PendingWork.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
