"""The process's current work calendar: built once from the package and the ``CalendarDay`` table,
rebuilt when the table (or a stored notice) changes. The check is one small query, so a page or
a command that asks many questions takes ``current()`` once and keeps the object."""

from __future__ import annotations

import datetime as dt
import threading
from functools import cache
from typing import Any

from django.db.models import Count, Max

from qingdan.deadlines.engine import Calendar, Due, Pause, from_sources

_lock = threading.Lock()
# the package's short names, as the State Council's notices write them
FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
_cached: list[Any] = [None, None]  # [stamp, Calendar]


@cache
def package_data() -> tuple[dict[dt.date, tuple[str, str]], tuple[int, ...]]:
    """chinese_calendar's holidays and 调休 working days (Chinese names), and the years it covers."""
    from chinese_calendar import constants

    def chinese(name: str) -> str:
        try:
            short = str(constants.Holiday(name).chinese)
        except ValueError:
            return name
        return FULL_NAMES.get(short, short)

    days = {day: ("holiday", chinese(name)) for day, name in constants.holidays.items()}
    days.update({day: ("workday", chinese(name)) for day, name in constants.workdays.items()})
    first, last = min(constants.holidays).year, max(constants.holidays).year
    return days, tuple(range(first, last + 1))


def _stamp() -> tuple[Any, ...]:
    from qingdan.deadlines.models import CalendarDay, HolidayNotice

    days = CalendarDay.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    notices = HolidayNotice.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (days["n"], days["last"], days["top"], notices["n"], notices["top"])


def build() -> Calendar:
    """A fresh calendar from the package and the database (no cache)."""
    from qingdan.deadlines.models import CalendarDay, HolidayNotice

    package, years = package_data()
    notice_years = set(HolidayNotice.objects.values_list("year", flat=True))
    table = CalendarDay.objects.values_list("date", "kind", "name", "source")
    return from_sources(package, years, notice_years, table)


def current() -> Calendar:
    """The calendar as the database holds it now (cached per process until the table changes)."""
    stamp = _stamp()
    with _lock:
        if _cached[1] is not None and _cached[0] == stamp:
            return _cached[1]  # type: ignore[no-any-return]
    calendar = build()
    with _lock:
        _cached[0], _cached[1] = stamp, calendar
    return calendar


def invalidate() -> None:
    with _lock:
        _cached[0] = _cached[1] = None


def due(start: dt.date, n: int, unit: str, pauses: tuple[Pause, ...] = ()) -> Due:
    """``Calendar.due`` on the current calendar: what the CLI, the API and the cases call."""
    return current().due(start, n, unit, pauses)
