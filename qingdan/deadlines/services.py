"""The work calendar's and the deadline rules' service functions. Administrators write (each write
one transaction with one audit entry, owing ``PendingWork.DEADLINES`` for the years it touches, so
every open deadline is recomputed after commit); everyone signed in reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from qingdan.core import outbox
from qingdan.core.audit import log
from qingdan.core.models import PendingWork
from qingdan.core.permissions import Actor, require
from qingdan.deadlines.calendars import current
from qingdan.deadlines.engine import UNITS, Calendar, uncovered_warning
from qingdan.deadlines.models import CalendarDay, DeadlineRule, HolidayNotice
from qingdan.deadlines.notice import ParsedNotice, parse_notice
from qingdan.errors import NotFound, QingdanError

KIND_LABELS = dict(CalendarDay.KINDS)
MAX_NAME = 50


def _require_admin(actor: Actor, what: str) -> None:
    require(actor.is_admin, actor, what)


def _owe(years: set[int]) -> None:
    outbox.owe(PendingWork.DEADLINES, years)


def _label(calendar: Calendar, day: dt.date) -> str:
    info = calendar.day(day)
    if info.kind == CalendarDay.WORKDAY:
        return f"调休上班（{info.name}）" if info.name else "调休上班"
    if info.kind == CalendarDay.HOLIDAY:
        return f"休息（{info.name}）" if info.name else "休息"
    return "工作日" if info.working else "周末"


@dataclass
class NoticeImport:
    """What a notice brings: its days, and how each differs from the calendar as it stands."""

    parsed: ParsedNotice
    changes: list[tuple[dt.date, str, str]] = field(default_factory=list)  # rest ↔ work: date, now, after
    kept: list[dt.date] = field(default_factory=list)  # days an administrator set: they stay
    notice: HolidayNotice | None = None

    def summary(self) -> str:
        head = (
            f"{self.parsed.year} 年：放假 {len(self.parsed.holidays())} 天，"
            f"调休上班 {len(self.parsed.workdays())} 天；与现有日历不同的 {len(self.changes)} 天"
        )
        if self.kept:
            head += f"；管理员单独设定的 {len(self.kept)} 天保持不变"
        return head + "。"


def preview_notice(text: str, year: int | None = None) -> NoticeImport:
    """Parse a notice and compare it with the current calendar; writes nothing."""
    parsed = parse_notice(text, year)
    calendar = current()
    admin = set(
        CalendarDay.objects.filter(
            source=CalendarDay.ADMIN, date__in=[d.date for d in parsed.days]
        ).values_list("date", flat=True)
    )
    result = NoticeImport(parsed, kept=sorted(admin))
    after = _calendar_after(parsed, admin)
    for day in _days_of(parsed, calendar):
        if calendar.is_working_day(day) != after.is_working_day(day):
            result.changes.append((day, _label(calendar, day), _label(after, day)))
    return result


def _days_of(parsed: ParsedNotice, calendar: Calendar) -> list[dt.date]:
    """Every day the notice names, and every day the calendar has for the year (a day the old data
    had as a holiday that the notice does not name is a change too)."""
    days = {d.date for d in parsed.days}
    days |= {info.date for info in calendar.special_days(parsed.year)}
    return sorted(days)


def _calendar_after(parsed: ParsedNotice, admin: set[dt.date]) -> Calendar:
    """The calendar as it will be once the notice is stored (for the preview)."""
    from qingdan.deadlines.calendars import package_data
    from qingdan.deadlines.engine import from_sources

    package, years = package_data()
    notice_years = {*HolidayNotice.objects.values_list("year", flat=True), parsed.year}
    rows = [
        row
        for row in CalendarDay.objects.values_list("date", "kind", "name", "source")
        if not (row[3] == CalendarDay.NOTICE and row[0].year == parsed.year)
    ]
    rows += [(d.date, d.kind, d.name, CalendarDay.NOTICE) for d in parsed.days if d.date not in admin]
    return from_sources(package, years, notice_years, sorted(rows, key=lambda r: r[3] == CalendarDay.ADMIN))


def import_notice(
    actor: Actor, text: str, year: int | None = None, *, dry_run: bool = False, document_number: str = ""
) -> NoticeImport:
    """Store a State Council notice for its year: its days replace the package's and any earlier
    notice's for that year; days an administrator set by hand stay. ``dry_run``: preview only."""
    _require_admin(actor, "录入节假日安排通知")
    if not text.strip():
        raise QingdanError("通知内容为空：请粘贴国务院办公厅关于节假日安排的通知全文。")
    result = preview_notice(text, year)
    if dry_run:
        return result
    parsed = result.parsed
    with transaction.atomic():
        notice = HolidayNotice.objects.create(
            year=parsed.year,
            title=parsed.title or f"{parsed.year} 年部分节假日安排",
            document_number=document_number or parsed.document_number,
            published_on=parsed.published_on,
            text=text,
            created_by_name=str(actor),
        )
        old = CalendarDay.objects.filter(source=CalendarDay.NOTICE, date__year=parsed.year)
        replaced = old.count()
        old.delete()
        # a notice's day outside its year (a December 调休 of the year before) replaces that day only
        CalendarDay.objects.filter(
            source=CalendarDay.NOTICE, date__in=[d.date for d in parsed.days if d.date.year != parsed.year]
        ).delete()
        kept = set(result.kept)
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    date=d.date,
                    kind=d.kind,
                    name=d.name[:MAX_NAME],
                    source=CalendarDay.NOTICE,
                    notice=notice,
                    updated_by_name=str(actor),
                )
                for d in parsed.days
                if d.date not in kept
            ]
        )
        log(
            actor,
            "calendar_notice",
            notice,
            after={
                "year": parsed.year,
                "document_number": notice.document_number,
                "holidays": len(parsed.holidays()),
                "workdays": len(parsed.workdays()),
                "replaced": replaced,
                "kept": [str(d) for d in result.kept],
            },
        )
        _owe({parsed.year, *(d.date.year for d in parsed.days)})
    result.notice = notice
    return result


def _day_json(row: CalendarDay | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"date": str(row.date), "kind": row.kind, "name": row.name, "source": row.source}


def set_day(actor: Actor, day: dt.date, kind: str, name: str = "") -> CalendarDay:
    """Make one day a holiday or a 调休 working day, whatever the package or a notice says."""
    _require_admin(actor, "修改工作日历")
    if kind not in KIND_LABELS:
        raise QingdanError(f"类别「{kind}」不是 holiday（休息日）或 workday（调休上班）。")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise QingdanError(f"名称「{name[:20]}…」超过 {MAX_NAME} 个字。")
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = _day_json(row)
        row = row or CalendarDay(date=day)
        row.kind, row.name, row.source, row.notice = kind, name, CalendarDay.ADMIN, None
        row.updated_by_name = str(actor)
        row.save()
        log(actor, "calendar_day_set", row, before=before, after=_day_json(row))
        _owe({day.year})
    return row


def remove_day(actor: Actor, day: dt.date) -> None:
    """Forget what the table says of one day: it reverts to the package (or the plain week)."""
    _require_admin(actor, "修改工作日历")
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise NotFound(
                f"日历中没有单独设定 {day}（软件包提供的日子不能删除，可用「设为休息日/调休上班」改正）。"
            )
        log(actor, "calendar_day_remove", row, before=_day_json(row))
        row.delete()
        _owe({day.year})


@dataclass(frozen=True)
class YearView:
    year: int
    covered: bool
    source: str  # "package", "notice", ""
    days: list[Any]
    notices: list[HolidayNotice]

    @property
    def source_label(self) -> str:
        return {"package": "软件包 chinese-calendar", "notice": "国务院通知（管理员录入）"}.get(
            self.source, "未录入"
        )


def year_view(year: int) -> YearView:
    """The year's holidays and 调休 working days, whether it is covered and from where."""
    if not 1900 <= year <= 2200:
        raise QingdanError(f"年份 {year} 不在 1900 到 2200 之间。")
    calendar = current()
    notices = list(HolidayNotice.objects.filter(year=year))
    return YearView(
        year, calendar.covered(year), calendar.coverage(year), calendar.special_days(year), notices
    )


def year_json(view: YearView) -> dict[str, Any]:
    return {
        "year": view.year,
        "covered": view.covered,
        "source": view.source,
        "source_label": view.source_label,
        "holidays": [
            {"date": str(d.date), "name": d.name, "source": d.source}
            for d in view.days
            if d.kind == "holiday"
        ],
        "workdays": [
            {"date": str(d.date), "name": d.name, "source": d.source}
            for d in view.days
            if d.kind == "workday"
        ],
        "notices": [
            {
                "title": n.title,
                "document_number": n.document_number,
                "published_on": str(n.published_on or ""),
            }
            for n in view.notices
        ],
        "warnings": [] if view.covered else [uncovered_warning(view.year)],
    }


# -- deadline rules ------------------------------------------------------------------------------

RULE_FIELDS = ("label", "days", "unit", "basis", "note")


def rule_json(rule: DeadlineRule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "label": rule.label,
        "days": rule.days,
        "period_unit": rule.unit,
        "basis": rule.basis,
        "note": rule.note,
    }


def find_rule(code: str) -> DeadlineRule:
    rule = DeadlineRule.objects.filter(code=code.strip()).first()
    if rule is None:
        raise NotFound(f"没有代码为「{code}」的期限规则。")
    return rule


def save_rule(actor: Actor, code: str, **changes: Any) -> DeadlineRule:
    """Change a rule's label, length, unit, basis or note (the cases read it when they open a period)."""
    _require_admin(actor, "修改期限规则")
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise QingdanError(f"期限规则没有这些字段：{'、'.join(sorted(unknown))}。")
    if "unit" in changes and changes["unit"] not in UNITS:
        raise QingdanError(f"期限单位「{changes['unit']}」不是 {'、'.join(UNITS)} 之一。")
    if "days" in changes and not (isinstance(changes["days"], int) and 0 < changes["days"] <= 36_600):
        raise QingdanError(f"期限数「{changes['days']}」应是 1 到 36600 之间的整数。")
    for key in ("label", "basis"):
        if key in changes and not str(changes[key]).strip():
            raise QingdanError(f"期限规则的{'名称' if key == 'label' else '依据'}不能为空。")
    with transaction.atomic():
        rule = DeadlineRule.objects.select_for_update().filter(code=code.strip()).first()
        if rule is None:
            raise NotFound(f"没有代码为「{code}」的期限规则。")
        before = rule_json(rule)
        for key, value in changes.items():
            setattr(rule, key, value)
        rule.updated_by_name = str(actor)
        rule.save()
        log(actor, "deadline_rule_save", rule, before=before, after=rule_json(rule))
    return rule
