"""Who recomputes deadlines after the calendar changes. An app that stores due dates (the cases)
registers a function ``fn(years) -> int`` that recomputes its open deadlines touching those years
and returns how many it changed; the outbox handler of ``PendingWork.DEADLINES`` calls them all."""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("qingdan.deadlines")

Recompute = Callable[[set[int]], int]
_registered: list[Recompute] = []


def register(fn: Recompute) -> Recompute:
    """Add a recompute function (usable as a decorator); registering twice keeps one."""
    if fn not in _registered:
        _registered.append(fn)
    return fn


def unregister(fn: Recompute) -> None:
    if fn in _registered:
        _registered.remove(fn)


def calendar_changed(years: set[int]) -> int:
    """The outbox handler: forget the cached calendar, then let every registered app recompute."""
    from qingdan.deadlines.calendars import invalidate

    invalidate()
    changed = 0
    for fn in list(_registered):
        changed += fn(set(years))
    if changed:
        logger.info("日历变更后重算了 %s 个期限（%s 年）", changed, "、".join(map(str, sorted(years))))
    return changed
