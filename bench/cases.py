"""Deadlines at registry scale: the 工作台's due/overdue list and recomputing every open deadline
after a work-calendar edit, on generated cases, each beside a named baseline in the same run.

    .venv/bin/python bench/cases.py [--cases 100000] [--departments 10] [--runs 5] [--list-runs 50]

Setup (fresh data directory; SQLite unless QINGDAN_DATABASE_URL is set): ``--cases`` 行政处罚案件
spread over ``--departments`` departments, each with one to three open deadlines (立案 7 calendar
days, 作出决定 90 calendar days, 要求听证 5 working days, 送达 7 working days, 缴纳罚款 15 calendar
days) started on random days from 2026-06-01 to 2026-12-31 — so some run into 2027, which the
package does not cover — computed with the engine and bulk-inserted, then ANALYZE; no pauses.

1. The 工作台 list (``qingdan.cases.summary.desk_deadlines``, page 1, for the 主要负责人 of one
   department: every open deadline of the department due within seven days or overdue): p50 and
   p99 over ``--list-runs`` calls (target p50 < 50 ms). Baseline: the same answer the naive way —
   all the department's open deadlines loaded and filtered, counted and sorted in Python.
2. A calendar edit (an administrator makes Monday 2026-11-16 a holiday, then removes it again, in
   turn) through the service, and the owed work settled: ``recompute.calendar_changed`` → the cases
   app's ``recompute_open`` over every open deadline touching 2026, with the cached engine (target
   < 10 s; wall time, and this process's CPU time — on PostgreSQL the server's is not in it).
   Baseline: the same rows recomputed by counting day by day per deadline on
   ``chinese_calendar.is_workday`` plus the table's rows (no prebuilt calendar), writing the changed
   rows the same way. After each baseline run the engine is run again and must change nothing:
   both compute the same dates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RULES = [  # code, label, days, unit, share of cases that have it open
    ("case-filing", "立案", 7, "calendar", 0.3),
    ("decision", "作出行政处罚决定", 90, "calendar", 1.0),
    ("hearing-request", "要求听证", 5, "working", 0.3),
    ("service", "送达处罚决定书", 7, "working", 0.2),
    ("payment", "缴纳罚款", 15, "calendar", 0.2),
]
EDITED_DAY = dt.date(2026, 11, 16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="calendar edits timed (each side)")
    parser.add_argument("--list-runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    os.environ["QINGDAN_DATA"] = tempfile.mkdtemp(prefix="qingdan-bench-cases-")
    os.environ["QINGDAN_TASKS"] = "database"  # the edit owes the work; this script settles it, timed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from django.db import connection

    from qingdan.core.schema import ensure_schema

    ensure_schema()
    random.seed(args.seed)
    started = time.perf_counter()
    head, department, total = generate(args.cases, args.departments)
    print(
        f"{args.cases:,} cases, {total:,} open deadlines, {args.departments} departments "
        f"({connection.vendor}); generated in {time.perf_counter() - started:.0f} s"
    )
    print(f"load average {os.getloadavg()[0]:.1f}")
    desk_list(head, department, args.list_runs)
    recompute_after_edit(args.runs)


def generate(cases: int, departments: int):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from qingdan.cases.models import CaseDeadline, CaseRole, PenaltyCase
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.deadlines.calendars import current

    calendar = current()
    place = Jurisdiction.objects.create(name="基准县")
    depts = [Department.objects.create(jurisdiction=place, name=f"基准局{i:02}") for i in range(departments)]
    first = dt.date(2026, 6, 1)
    total = 0
    with transaction.atomic():
        for offset in range(0, cases, 5000):
            batch = [
                PenaltyCase(
                    department=depts[i % departments],
                    title=f"基准案件{i}",
                    source="inspection",
                    occurred_on=first + dt.timedelta(days=random.randrange(214)),
                    party_kind="organisation",
                    party_name=f"当事人{i}",
                    unit="执法科",
                    number=f"基准〔2026〕{i}号",
                )
                for i in range(offset, min(cases, offset + 5000))
            ]
            PenaltyCase.objects.bulk_create(batch)
            rows = []
            for case in batch:
                for code, label, days, unit, share in RULES:
                    if random.random() >= share:
                        continue
                    start = case.occurred_on + dt.timedelta(days=random.randrange(10))
                    result = calendar.due(start, days, unit)
                    rows.append(
                        CaseDeadline(
                            department_id=case.department_id,
                            case=case,
                            rule=code,
                            label=label,
                            basis="基准",
                            start=start,
                            days=days,
                            unit=unit,
                            due=result.date,
                            uncertain=result.uncertain,
                            warnings=result.warnings,
                            unit_name="执法科",
                        )
                    )
            CaseDeadline.objects.bulk_create(rows, batch_size=2000)
            total += len(rows)
        user = get_user_model().objects.create_user("bench-head")
        CaseRole.objects.create(department=depts[0], user=user, role=CaseRole.HEAD)
    from django.db import connection

    with connection.cursor() as cursor:
        # the planner's statistics, as autovacuum (PostgreSQL) would gather them soon after a bulk
        # load: without them PostgreSQL guesses one row per department and sorts all of them
        cursor.execute("ANALYZE")
    from qingdan.core.accounts import actor_named

    return actor_named("bench-head"), depts[0], total


def desk_list(head, department, runs: int) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from qingdan.cases.models import CaseDeadline
    from qingdan.cases.summary import desk_deadlines

    today = timezone.localdate()

    def naive() -> tuple[int, int, list[int]]:
        rows = list(CaseDeadline.objects.filter(department=department, status="open").select_related("case"))
        soon = [r for r in rows if r.due <= today + dt.timedelta(days=7)]
        soon.sort(key=lambda r: (r.due, r.id))
        return len(soon), sum(r.due < today for r in soon), [r.id for r in soon[:50]]

    answer = desk_deadlines(head, today=today)
    count, overdue, _ = naive()
    assert (answer["count"], answer["overdue"]) == (count, overdue), (answer["count"], count)
    ours = _times(lambda: desk_deadlines(head, today=today), runs)
    theirs = _times(naive, runs)
    print(
        f"\n工作台 due/overdue list, {department.name} ({count:,} due within 7 days or overdue, "
        f"{overdue:,} overdue), {runs} calls"
    )
    print(f"  desk_deadlines            p50 {_ms(ours, 50)}  p99 {_ms(ours, 99)}   (target p50 < 50 ms)")
    print(f"  baseline: load + filter   p50 {_ms(theirs, 50)}  p99 {_ms(theirs, 99)}")
    print(f"  ratio (p50)               {statistics.median(ours) / statistics.median(theirs):.3f}")
    web_pages(head, department, runs)


def web_pages(head, department, runs: int) -> None:  # type: ignore[no-untyped-def]
    """The web side (qingdan.cases.views): the 工作台's 期限 block (two paged lists, overdue and due
    within seven days) and page 1 of the department's case list filtered to overdue cases."""
    from django.core.paginator import Paginator
    from django.test import RequestFactory

    from qingdan.cases.views import PAGE_SIZE, desk_deadlines, filtered

    request = RequestFactory().get("/work/")

    def block() -> int:
        found = desk_deadlines(request, head)
        assert found is not None
        return sum(len(list(found[k]["page"].object_list)) for k in ("soon", "late"))

    def overdue_list() -> int:
        cases, _ = filtered(department, {"overdue": "1"})
        return len(list(Paginator(cases, PAGE_SIZE).get_page(1).object_list))

    desk = _times(block, runs)
    listed = _times(overdue_list, runs)
    print(
        f"  web 工作台 期限 block      p50 {_ms(desk, 50)}  p99 {_ms(desk, 99)}   (two pages of 20, counted)"
    )
    print(
        f"  web case list, overdue    p50 {_ms(listed, 50)}  p99 {_ms(listed, 99)}   (page 1 of 50, counted)"
    )


def recompute_after_edit(runs: int) -> None:
    from qingdan.core import outbox
    from qingdan.core.models import PendingWork
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.deadlines.recompute import calendar_changed
    from qingdan.deadlines.services import remove_day, set_day

    print(
        f"\nrecompute every open deadline after a calendar edit ({EDITED_DAY} holiday ↔ working day), {runs} runs"
    )
    ours: list[float] = []
    theirs: list[float] = []
    cpu_ours: list[float] = []
    cpu_theirs: list[float] = []
    changed_ours: list[int] = []
    changed_theirs: list[int] = []
    holiday = False
    for _ in range(runs):
        for side in ("engine", "baseline"):
            holiday = not holiday
            begin, cpu = time.perf_counter(), time.process_time()
            if holiday:
                set_day(COMMAND_LINE, EDITED_DAY, "holiday", "基准")
            else:
                remove_day(COMMAND_LINE, EDITED_DAY)
            if side == "engine":
                assert PendingWork.objects.filter(kind="deadlines").exists()
                changed_ours.append(_settled_changes(outbox, calendar_changed))
                ours.append(time.perf_counter() - begin)
                cpu_ours.append(time.process_time() - cpu)
            else:
                PendingWork.objects.filter(kind="deadlines").delete()  # the baseline does this work
                changed_theirs.append(naive_recompute({EDITED_DAY.year}))
                theirs.append(time.perf_counter() - begin)
                cpu_theirs.append(time.process_time() - cpu)
                again = calendar_changed({EDITED_DAY.year})
                assert again == 0, f"the engine disagrees with the baseline on {again} deadlines"
    print(
        f"  engine (cached calendar)  median {statistics.median(ours):6.2f} s wall, "
        f"{statistics.median(cpu_ours):6.2f} s CPU   changed {changed_ours}  (target < 10 s)"
    )
    print(
        f"  baseline: day by day      median {statistics.median(theirs):6.2f} s wall, "
        f"{statistics.median(cpu_theirs):6.2f} s CPU   changed {changed_theirs}"
    )
    print(f"  ratio (wall)              {statistics.median(ours) / statistics.median(theirs):.3f}")
    print(f"  load average              {os.getloadavg()[0]:.1f} (2 cores shared with other jobs)")


_counted: list[int] = []


def _settled_changes(outbox, calendar_changed) -> int:  # type: ignore[no-untyped-def]
    """Settle the owed work (the real path), returning how many deadlines the recompute changed."""
    from qingdan.deadlines import recompute

    # what the registered functions return is summed by calendar_changed and not kept: count it here
    original = list(recompute._registered)
    recompute._registered[:] = [_counting(fn) for fn in original]
    try:
        _counted.clear()
        outbox.settle()
    finally:
        recompute._registered[:] = original
    return sum(_counted)


def _counting(fn):  # type: ignore[no-untyped-def]
    def wrapped(years: set[int]) -> int:
        changed = fn(years)
        _counted.append(changed)
        return int(changed)

    return wrapped


def naive_recompute(years: set[int]) -> int:
    """The baseline: every open deadline touching the years, counted day by day on the package and
    the table, without the engine's prebuilt calendar; the changed rows written as the engine does."""
    import chinese_calendar
    from django.db.models import Q

    from qingdan.cases.models import CaseDeadline
    from qingdan.deadlines.engine import uncovered_warning
    from qingdan.deadlines.models import CalendarDay

    table = dict(CalendarDay.objects.values_list("date", "kind"))
    last_covered = max(chinese_calendar.constants.holidays).year

    def working(day: dt.date) -> bool:
        if day in table:
            return table[day] == "workday"
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    rows = CaseDeadline.objects.filter(status="open", start__lte=last).filter(
        Q(due__gte=first) | Q(unit="half_year")
    )
    changed = []
    for row in rows.only(
        "id", "start", "days", "extra_days", "unit", "due", "uncertain", "warnings"
    ).iterator(chunk_size=5000):
        n = row.days + row.extra_days
        day = row.start
        if row.unit == "working":
            while n:
                day += dt.timedelta(days=1)
                n -= working(day)
        else:
            day += dt.timedelta(days=n)
            while not working(day):
                day += dt.timedelta(days=1)
        missing = [y for y in range(row.start.year, day.year + 1) if y > last_covered]
        warnings = [uncovered_warning(y) for y in missing]
        if (day, bool(missing), warnings) != (row.due, row.uncertain, row.warnings):
            row.due, row.uncertain, row.warnings = day, bool(missing), warnings
            changed.append(row)
    CaseDeadline.objects.bulk_update(changed, ["due", "uncertain", "warnings"], batch_size=2000)
    return len(changed)


def _times(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        fn()
        times.append(time.perf_counter() - begin)
    return times


def _ms(times: list[float], q: int) -> str:
    ordered = sorted(times)
    value = ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]
    return f"{value * 1000:7.1f} ms"


if __name__ == "__main__":
    main()
