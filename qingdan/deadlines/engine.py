"""The deadline engine: pure date arithmetic over the official work calendar.

A ``Calendar`` knows which days are rest days: Saturdays and Sundays, the holidays the State
Council announces, minus the 调休 Saturdays and Sundays that are working days. Its data comes from
the maintained package (``chinese_calendar``) for the years it covers, replaced year by year by a
notice an administrator stored, and finally by single days an administrator set (those win).

``due(start, n, unit)`` is the one function the cases call:

- the start day is not counted (民事诉讼法 第85条: 期间开始的日，不计算在期间内);
- ``working``: the n-th working day after the start (行政处罚法 第85条: 二日、三日、五日、七日 are
  working days);
- ``calendar``: start + n days; a last day that is a rest day — a weekend or a holiday, but not a
  调休 working day — moves to the next working day (民事诉讼法 第85条; weekends count as rest days,
  as the courts read 节假日);
- ``month``: the same day number n months later (the month's last day when it has no such day),
  then the rest-day rule;
- ``half_year``: the last day of the n-th month after the half-year the start falls in
  (重大行政处罚 half-year report: 一月底、七月底前); no rest-day rule — it is a fixed date, not a
  period.

``pauses`` (inclusive date ranges, e.g. a 中止 or the time of an expert opinion) are not counted:
the count stops the day a pause begins and resumes the day after it ends. A case that learns of a
pause later simply calls ``due`` again with the pause added.

A period that touches a year the calendar does not cover is still computed, from weekends alone,
and comes back ``uncertain`` with a Chinese warning naming the year. Working days are answered
from a cumulative count over a span of years built once, so ``due`` is a binary search.
"""

from __future__ import annotations

import calendar as _month_calendar
import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

WORKING = "working"
CALENDAR = "calendar"
MONTH = "month"
HALF_YEAR = "half_year"
UNITS = (WORKING, CALENDAR, MONTH, HALF_YEAR)
UNIT_LABELS = {WORKING: "工作日", CALENDAR: "自然日", MONTH: "个月", HALF_YEAR: "半年报"}
MAX_PERIOD = 36_600  # a hundred years of days: beyond that a period is a typing error
SPAN_FIRST_YEAR = 2000
SPAN_YEARS_AHEAD = 30  # the precomputed span reaches this far past the last covered year

Pause = tuple[dt.date, dt.date]


class PeriodError(ValueError):
    """A period the engine cannot count (unknown unit, negative length, beyond any calendar)."""


def uncovered_warning(year: int) -> str:
    return f"{year} 年的节假日安排尚未录入，到期日按周末推算，可能不准确"


@dataclass(frozen=True)
class Due:
    date: dt.date
    warnings: list[str] = field(default_factory=list)
    uncertain: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"due": self.date.isoformat(), "warnings": list(self.warnings), "uncertain": self.uncertain}


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says of one day: rest or work, why, and whether its year is covered."""

    date: dt.date
    working: bool
    name: str  # 国庆节 …; "" for a plain weekday or weekend
    kind: str  # "holiday", "workday" (调休), "" (plain week)
    source: str  # "package", "notice", "admin", ""


class Calendar:
    """The work calendar at one moment: build once, ask many times (it never touches the database)."""

    def __init__(
        self,
        days: dict[dt.date, tuple[str, str, str]],
        covered: dict[int, str],
    ) -> None:
        """``days``: date → (kind "holiday"|"workday", name, source); ``covered``: year → source."""
        self._days = days
        self._covered = covered
        last = max([*covered, dt.date.today().year])
        self._base = dt.date(SPAN_FIRST_YEAR, 1, 1)
        self._end = dt.date(last + SPAN_YEARS_AHEAD, 12, 31)
        self._cumulative = self._count_working_days()

    @classmethod
    def weekends_only(cls) -> Calendar:
        """A calendar that knows no holidays at all (the naive Mon–Fri reference)."""
        return cls({}, {})

    def _count_working_days(self) -> list[int]:
        counts: list[int] = []
        total = 0
        day = self._base
        one = dt.timedelta(days=1)
        while day <= self._end:
            total += self._is_working(day)
            counts.append(total)
            day += one
        return counts

    # -- single days ---------------------------------------------------------------------------

    def _is_working(self, day: dt.date) -> bool:
        entry = self._days.get(day)
        if entry is not None:
            return entry[0] == "workday"
        return day.weekday() < 5

    def is_working_day(self, day: dt.date) -> bool:
        return self._is_working(day)

    def covered(self, year: int) -> bool:
        """Whether the year's holidays are known (from the package or a stored notice)."""
        return year in self._covered

    def coverage(self, year: int) -> str:
        """Where the year's holidays come from: "package", "notice" or "" (not covered)."""
        return self._covered.get(year, "")

    def covered_years(self) -> list[int]:
        return sorted(self._covered)

    def day(self, day: dt.date) -> DayInfo:
        kind, name, source = self._days.get(day, ("", "", ""))
        return DayInfo(day, self._is_working(day), name, kind, source)

    def special_days(self, year: int) -> list[DayInfo]:
        """The year's holidays and 调休 working days, in date order."""
        return [self.day(d) for d in sorted(d for d in self._days if d.year == year)]

    # -- periods -------------------------------------------------------------------------------

    def due(self, start: dt.date, n: int, unit: str, pauses: Iterable[Pause] = ()) -> Due:
        """When a period of ``n`` ``unit`` counted from ``start`` (not itself counted) ends."""
        if unit not in UNITS:
            raise PeriodError(f"期限单位「{unit}」不是 {'、'.join(UNITS)} 之一")
        if not 0 <= n <= MAX_PERIOD:
            raise PeriodError(f"期限数 {n} 不在 0 到 {MAX_PERIOD} 之间")
        gaps = _merged(pauses, start)
        if unit == WORKING:
            end = self._working_with_pauses(start, n, gaps)
        elif unit == HALF_YEAR:
            end = _half_year_report(start, n)
        else:
            end = _plus_days(start, n) if unit == CALENDAR else _plus_months(start, n)
            end = self._stretch_over_pauses(start, end, gaps)
            end = self.next_working_day(end)
        return self._with_warnings(start, end)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The day itself when it is a working day, else the first working day after it."""
        one = dt.timedelta(days=1)
        for _ in range(MAX_PERIOD):
            if self._is_working(day):
                return day
            day += one
        raise PeriodError(f"{day} 之后一百年内没有工作日：日历数据有误")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days in (start, end]: the start not counted, the end counted."""
        if end <= start:
            return 0
        if self._in_span(start) and self._in_span(end):
            return self._cumulative[self._index(end)] - self._cumulative[self._index(start)]
        return sum(self._is_working(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))

    def _working(self, start: dt.date, n: int) -> dt.date:
        if n == 0:
            return start
        if self._in_span(start):
            target = self._cumulative[self._index(start)] + n
            index = bisect_left(self._cumulative, target)
            if index < len(self._cumulative):
                return self._base + dt.timedelta(days=index)
        return _count_day_by_day(self._is_working, start, n)

    def _working_with_pauses(self, start: dt.date, n: int, gaps: list[Pause]) -> dt.date:
        position, left = start, n
        for first, last in gaps:
            end = self._working(position, left)
            if end < first:
                return end
            left -= self.working_days_between(position, first - dt.timedelta(days=1))
            position = max(position, last)
        return self._working(position, left)

    def _stretch_over_pauses(self, start: dt.date, end: dt.date, gaps: list[Pause]) -> dt.date:
        for first, last in gaps:
            if first > end:
                break
            end += dt.timedelta(days=(last - max(first, start + dt.timedelta(days=1))).days + 1)
        return end

    def _in_span(self, day: dt.date) -> bool:
        return self._base <= day <= self._end

    def _index(self, day: dt.date) -> int:
        return (day - self._base).days

    def _with_warnings(self, start: dt.date, end: dt.date) -> Due:
        missing = [y for y in range(start.year, end.year + 1) if y not in self._covered]
        return Due(end, [uncovered_warning(y) for y in missing], bool(missing))


def _merged(pauses: Iterable[Pause], start: dt.date) -> list[Pause]:
    """The pauses after the start, sorted, overlapping ones joined; a reversed range is an error."""
    spans: list[Pause] = []
    for first, last in sorted(pauses):
        if last < first:
            raise PeriodError(f"暂停期间 {first} 至 {last}：结束日早于开始日")
        if last <= start:
            continue
        first = max(first, start + dt.timedelta(days=1))
        if spans and first <= spans[-1][1] + dt.timedelta(days=1):
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        else:
            spans.append((first, last))
    return spans


def _plus_days(start: dt.date, n: int) -> dt.date:
    try:
        return start + dt.timedelta(days=n)
    except OverflowError:
        raise PeriodError(f"{start} 加 {n} 日超出了可以计算的日期范围") from None


def _plus_months(start: dt.date, n: int) -> dt.date:
    months = start.year * 12 + start.month - 1 + n
    year, month = divmod(months, 12)
    if year > dt.MAXYEAR - 1:
        raise PeriodError(f"{start} 加 {n} 个月超出了可以计算的日期范围")
    last = _month_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def _half_year_report(start: dt.date, n: int) -> dt.date:
    """The last day of the n-th month after the half-year containing ``start`` ends."""
    half_end_month = 6 if start.month <= 6 else 12
    months = start.year * 12 + half_end_month - 1 + n
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, _month_calendar.monthrange(year, month + 1)[1])


def _count_day_by_day(is_working: Any, start: dt.date, n: int) -> dt.date:
    day = start
    one = dt.timedelta(days=1)
    while n > 0:
        day += one
        n -= is_working(day)
    return day


def from_sources(
    package: dict[dt.date, tuple[str, str]],
    package_years: Sequence[int],
    notice_years: Iterable[int],
    table: Iterable[tuple[dt.date, str, str, str]],
) -> Calendar:
    """Join the sources: the package's days for the years it covers and no notice replaced; then
    the table's rows (a notice's days and an administrator's days), which win."""
    replaced = set(notice_years)
    days: dict[dt.date, tuple[str, str, str]] = {
        day: (kind, name, "package") for day, (kind, name) in package.items() if day.year not in replaced
    }
    for day, kind, name, source in table:
        days[day] = (kind, name, source)
    covered = {year: "package" for year in package_years}
    covered.update({year: "notice" for year in replaced})
    return Calendar(days, covered)
