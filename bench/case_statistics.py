"""Case statistics aggregated in the database, beside the same figures computed in Python.

    .venv/bin/python bench/case_statistics.py [--cases 5000] [--runs 5]
    QINGDAN_DATABASE_URL=postgresql://…/scratch .venv/bin/python bench/case_statistics.py   (drop it after)

Builds, in a fresh SQLite data directory (or the PostgreSQL database named), ``--cases`` cases in
one department — a county's year is a few hundred; this is a city's several years — spread over
six 承办科室 and ten officers (two per case), each with the actions of its path through the
procedure (4–9 stage-changing actions and some that keep the stage) and three deadlines. Then
prints the median time of ``case_statistics`` by department, unit and officer, and as the
baseline, in the same run, the median time of reading the same rows into Python and computing
the same figures there (``python_statistics`` below), after checking both give the same answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATH = [
    ("submit_filing", "discovered", "filing"),
    ("review_filing", "filing", "filing"),
    ("approve_filing", "filing", "investigating"),
    ("notify", "investigating", "notified"),
    ("submit_decision", "notified", "deciding"),
    ("legal_review", "deciding", "deciding"),
    ("decide", "deciding", "decided"),
    ("serve", "decided", "served"),
    ("close", "served", "closed"),
    ("archive", "closed", "archived"),
]


def build(cases: int) -> Any:
    from qingdan.cases.models import CaseAction, CaseDeadline, CaseOfficer, PenaltyCase
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.enforcement.models import Officer

    rng = random.Random(12)
    place = Jurisdiction.objects.create(name="基准市")
    department = Department.objects.create(jurisdiction=place, name="基准市工业和信息化局")
    units = [f"执法{i}科" for i in range(1, 7)]
    officers = [
        Officer.objects.create(department=department, name=f"执法员{i}", certificate_number=f"B{i}")
        for i in range(10)
    ]
    start = dt.date(2024, 1, 1)
    made = PenaltyCase.objects.bulk_create(
        PenaltyCase(
            department=department,
            unit=rng.choice(units),
            title=f"案件{n}",
            source="inspection",
            occurred_on=start,
            party_kind="organisation",
            party_name="某公司",
        )
        for n in range(cases)
    )
    actions, deadlines, people = [], [], []
    for case in made:
        day = start + dt.timedelta(days=rng.randrange(700))
        steps = PATH[: rng.randrange(2, len(PATH) + 1)]
        for move, before, after in steps:
            day += dt.timedelta(days=rng.randrange(0, 20))
            actions.append(
                CaseAction(
                    case=case, move=move, stage_before=before, stage_after=after, actor_name="x", on=day
                )
            )
        case.stage = steps[-1][2]
        for officer in rng.sample(officers, 2):
            people.append(CaseOfficer(case=case, officer=officer, role="handler"))
        for _ in range(3):
            due = day + dt.timedelta(days=rng.randrange(-60, 60))
            status = rng.choice(["open", "open", "met", "missed", "cancelled"])
            deadlines.append(
                CaseDeadline(
                    department=department, case=case, rule="b", label="期限", basis="b",
                    start=day, days=7, unit="working", due=due, status=status,
                )
            )  # fmt: skip
    PenaltyCase.objects.bulk_update(made, ["stage"], batch_size=1000)
    CaseAction.objects.bulk_create(actions, batch_size=2000)
    CaseOfficer.objects.bulk_create(people, batch_size=2000)
    CaseDeadline.objects.bulk_create(deadlines, batch_size=2000)
    return department, len(actions)


def python_statistics(
    department: Any, by: str, today: dt.date
) -> dict[Any, tuple[dict[str, int], int, dict[str, float]]]:
    """The baseline: every row read into Python, the same figures computed there."""
    from qingdan.cases.models import CaseAction, CaseDeadline, CaseOfficer, PenaltyCase

    cases = {c.pk: c for c in PenaltyCase.objects.filter(department=department).only("unit", "stage")}
    officers: dict[int, set[int]] = defaultdict(set)
    for case_id, officer_id in CaseOfficer.objects.filter(case__department=department).values_list(
        "case_id", "officer_id"
    ):
        officers[case_id].add(officer_id)

    def keys(case_id: int) -> list[Any]:
        if by == "department":
            return [None]
        return [cases[case_id].unit] if by == "unit" else sorted(officers[case_id])

    stages: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pk, case in cases.items():
        for key in keys(pk):
            stages[key][case.stage] += 1
    overdue: dict[Any, int] = defaultdict(int)
    for d in CaseDeadline.objects.filter(department=department).only("case_id", "status", "due"):
        if d.status == "missed" or (d.status == "open" and d.due < today):
            for key in keys(d.case_id):
                overdue[key] += 1
    spans: dict[Any, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    moves: dict[int, list[Any]] = defaultdict(list)
    for a in CaseAction.objects.filter(case__department=department).order_by("acted_at", "id"):
        if a.stage_before != a.stage_after:
            moves[a.case_id].append(a)
    for case_id, row in moves.items():
        for enter, leave in itertools.pairwise(row):
            if leave.stage_before == enter.stage_after:
                for key in keys(case_id):
                    spans[key][enter.stage_after].append((leave.on - enter.on).days)
    return {
        key: (
            dict(stages[key]),
            overdue[key],
            {s: round(sum(v) / len(v), 1) for s, v in spans[key].items()},
        )
        for key in set(stages) | set(overdue)
    }


def median_seconds(runs: int, work: Any) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QINGDAN_DATA", tempfile.mkdtemp(prefix="qingdan-bench-stats-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from django.db import connection

    from qingdan.cases.statistics import case_statistics
    from qingdan.core.schema import ensure_schema

    ensure_schema()
    began = time.perf_counter()
    department, actions = build(args.cases)
    print(
        f"{connection.vendor}: {args.cases} cases, {actions} actions built in {time.perf_counter() - began:.1f} s"
    )
    today = dt.date(2025, 6, 1)
    for by in ("department", "unit", "officer"):
        stats = case_statistics([department], by, today)
        ours = {
            (None if by == "department" else g.name): (
                dict(g.by_stage),
                g.overdue,
                {d.stage: d.average for d in g.stage_days},
            )
            for g in stats.groups
        }
        theirs = python_statistics(department, by, today)
        if by == "officer":
            from qingdan.enforcement.models import Officer

            names = dict(Officer.objects.values_list("pk", "name"))
            theirs = {names[k]: v for k, v in theirs.items()}
        assert ours == theirs, f"{by}: the database and Python disagree"
        db = median_seconds(args.runs, lambda by=by: case_statistics([department], by, today))
        py = median_seconds(args.runs, lambda by=by: python_statistics(department, by, today))
        print(
            f"  by {by:10}  case_statistics {db * 1000:7.1f} ms   Python baseline {py * 1000:7.1f} ms   ×{py / db:.1f}"
        )


if __name__ == "__main__":
    main()
