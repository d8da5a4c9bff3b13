"""A case's running deadlines: started by the step that opens a period, finished by the step
that meets it, recomputed by the deadline engine (qingdan.deadlines) when a pause, an approved
extension or the work calendar changes. The rule (days, unit, basis) is copied onto the deadline
when it starts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from qingdan.cases import procedure
from qingdan.cases.models import CaseDeadline, PenaltyCase, Suspension
from qingdan.deadlines import calendars
from qingdan.deadlines.engine import Calendar
from qingdan.deadlines.models import DeadlineRule
from qingdan.deadlines.recompute import register
from qingdan.errors import QingdanError

OpenPause = tuple[dt.date, dt.date | None]  # a pause still running has no end yet


def rule_code(case: PenaltyCase, key: str) -> str:
    if key == "filing":
        rules = getattr(case.department, "case_rules", None)
        if rules is not None and rules.filing_rule:
            return rules.filing_rule
        from django.conf import settings

        return str(getattr(settings, "QINGDAN_CASE_FILING_RULE", "") or procedure.deadline_code("filing"))
    return procedure.deadline_code(key)


def rule(code: str) -> DeadlineRule:
    rule = DeadlineRule.objects.filter(code=code).first()
    if rule is None:
        raise QingdanError(f"期限规则「{code}」未登记，请在工作日历的期限规则中添加。")
    return rule


def start(case: PenaltyCase, key: str, day: dt.date) -> CaseDeadline:
    """Open the period ``key`` from ``day`` (a restart replaces a deadline of the same rule)."""
    found = rule(rule_code(case, key))
    case.deadlines.filter(rule=found.code, status=CaseDeadline.OPEN).update(status=CaseDeadline.CANCELLED)
    deadline = CaseDeadline(
        department_id=case.department_id,
        case=case,
        rule=found.code,
        label=found.label,
        basis=found.basis,
        start=day,
        days=found.days,
        unit=found.unit,
        unit_name=case.unit,
    )
    _compute(deadline, calendars.current(), _pauses(case, key))
    deadline.save()
    return deadline


def report_due(case: PenaltyCase, day: dt.date) -> CaseDeadline:
    """The department's 重大行政处罚决定备案 report for the half-year of ``day`` (due by the end of
    January or July): one deadline per department and half-year, whatever the number of cases."""
    found = rule(rule_code(case, "major_report"))
    half_start = dt.date(day.year, 1 if day.month <= 6 else 7, 1)
    existing = CaseDeadline.objects.filter(
        department_id=case.department_id, case=None, rule=found.code, start=half_start
    ).first()
    if existing is not None:
        return existing
    deadline = CaseDeadline(
        department_id=case.department_id,
        rule=found.code,
        label=f"{found.label}（{day.year}年{'上' if day.month <= 6 else '下'}半年）",
        basis=found.basis,
        start=half_start,
        days=found.days,
        unit=found.unit,
    )
    _compute(deadline, calendars.current(), [])
    deadline.save()
    return deadline


def start_subject(
    department_id: int, code: str, subject: str, day: dt.date, *, label: str = ""
) -> CaseDeadline:
    """A department-level deadline (no case) for ``subject`` — e.g. ``inspection-task:12`` — under
    the rule ``code``, from ``day``; a restart replaces the open one of the same subject and rule.
    The calendar recompute (``recompute_open``) covers it like any open deadline."""
    found = rule(code)
    CaseDeadline.objects.filter(case=None, subject=subject, rule=found.code, status=CaseDeadline.OPEN).update(
        status=CaseDeadline.CANCELLED
    )
    deadline = CaseDeadline(
        department_id=department_id,
        rule=found.code,
        label=(label or found.label)[:100],
        basis=found.basis,
        start=day,
        days=found.days,
        unit=found.unit,
        subject=subject,
    )
    _compute(deadline, calendars.current(), [])
    deadline.save()
    return deadline


def finish_subject(code: str, subject: str, day: dt.date) -> CaseDeadline | None:
    """Mark the open department-level deadline of ``subject`` met on ``day`` (or missed)."""
    deadline = CaseDeadline.objects.filter(
        case=None, subject=subject, rule=code, status=CaseDeadline.OPEN
    ).first()
    if deadline is None:
        return None
    deadline.status = CaseDeadline.MET if day <= deadline.due else CaseDeadline.MISSED
    deadline.done_on = day
    deadline.save(update_fields=["status", "done_on"])
    return deadline


def finish(case: PenaltyCase, key: str, day: dt.date) -> CaseDeadline | None:
    """Mark the open period ``key`` met on ``day`` (or missed, when ``day`` is after it was due)."""
    deadline = case.deadlines.filter(rule=rule_code(case, key), status=CaseDeadline.OPEN).first()
    if deadline is None:
        return None
    deadline.status = CaseDeadline.MET if day <= deadline.due else CaseDeadline.MISSED
    deadline.done_on = day
    deadline.save(update_fields=["status", "done_on"])
    return deadline


def cancel(case: PenaltyCase, keys: Iterable[str] | None = None) -> int:
    open_ = case.deadlines.filter(status=CaseDeadline.OPEN)
    if keys is not None:
        open_ = open_.filter(rule__in=[rule_code(case, key) for key in keys])
    return open_.update(status=CaseDeadline.CANCELLED)


def extend(case: PenaltyCase, key: str, days: int) -> CaseDeadline:
    deadline = case.deadlines.filter(rule=rule_code(case, key), status=CaseDeadline.OPEN).first()
    if deadline is None:
        raise QingdanError("本案没有正在计算的该项期限，无法延长。")
    deadline.extra_days += days
    _compute(deadline, calendars.current(), _pauses(case, key))
    deadline.save(update_fields=["extra_days", "due", "uncertain", "warnings"])
    return deadline


def recompute_case(case: PenaltyCase) -> int:
    """After a pause begins or ends: every open deadline of the case again."""
    changed = 0
    calendar = calendars.current()
    for deadline in case.deadlines.filter(status=CaseDeadline.OPEN):
        before = (deadline.due, deadline.uncertain)
        _compute(deadline, calendar, _pauses(case, _key_of(deadline.rule)))
        if (deadline.due, deadline.uncertain) != before:
            deadline.save(update_fields=["due", "uncertain", "warnings"])
            changed += 1
    return changed


@register
def recompute_open(years: set[int]) -> int:
    """Every open deadline whose period touches one of ``years``: what the worker runs after the
    calendar changes. Rows are read as plain tuples (no model objects for the many that do not
    move) and only the changed ones are written."""
    if not years:
        return 0
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    rows = CaseDeadline.objects.filter(status=CaseDeadline.OPEN, start__lte=last).filter(
        Q(due__gte=first) | Q(unit="half_year")
    )
    calendar = calendars.current()
    pauses = _all_pauses(rows)
    changed: list[CaseDeadline] = []
    fields = ("id", "case_id", "rule", "start", "days", "extra_days", "unit", "due", "uncertain", "warnings")
    for pk, case_id, code, start, days, extra, unit, due, uncertain, warnings in rows.values_list(
        *fields
    ).iterator(chunk_size=5000):
        now = _due(calendar, start, days + extra, unit, pauses.get((case_id, code), ()))
        if now != (due, uncertain, warnings):
            changed.append(CaseDeadline(pk=pk, due=now[0], uncertain=now[1], warnings=now[2]))
    CaseDeadline.objects.bulk_update(changed, ["due", "uncertain", "warnings"], batch_size=2000)
    return len(changed)


def _compute(deadline: CaseDeadline, calendar: Calendar, pauses: Iterable[OpenPause]) -> None:
    deadline.due, deadline.uncertain, deadline.warnings = _due(
        calendar, deadline.start, deadline.days + deadline.extra_days, deadline.unit, pauses
    )


def _due(
    calendar: Calendar, start: dt.date, days: int, unit: str, pauses: Iterable[OpenPause]
) -> tuple[dt.date, bool, list[str]]:
    """The due date, whether it is uncertain, and the warnings to show with it."""
    today = dt.date.today()
    open_since = [first for first, last in pauses if last is None]
    closed = tuple((first, last if last is not None else max(first, today)) for first, last in pauses)
    result = calendar.due(start, days, unit, closed)
    warnings = list(result.warnings)
    if open_since:
        # a pause still running: the period stands still; shown as if it ended today
        warnings.append(f"期限自 {min(open_since):%Y-%m-%d} 起中止，到期日按今日恢复计算")
    return result.date, result.uncertain, warnings


def _key_of(code: str) -> str:
    for key, value in procedure.rules()["deadlines"].items():
        if value == code:
            return key
    return "filing"


def _pauses(case: PenaltyCase, key: str) -> list[OpenPause]:
    kinds = procedure.pausing(key)
    if not kinds:
        return []
    return [(s.started_on, s.ended_on) for s in case.suspensions.filter(kind__in=kinds)]


def _all_pauses(rows: Iterable[CaseDeadline]) -> dict[tuple[int | None, str], list[OpenPause]]:
    """The pauses of every pausing rule, for the cases among ``rows``, in one query."""
    by_rule = {
        procedure.deadline_code(key): procedure.pausing(key)
        for key in procedure.rules()["pauses"]
        if key != "basis"
    }
    found: dict[tuple[int | None, str], list[OpenPause]] = defaultdict(list)
    if not by_rule:
        return found
    kinds = set().union(*by_rule.values())
    for s in Suspension.objects.filter(kind__in=kinds, case__deadlines__in=rows).distinct():
        for code, stops in by_rule.items():
            if s.kind in stops:
                found[(s.case_id, code)].append((s.started_on, s.ended_on))
    return found
