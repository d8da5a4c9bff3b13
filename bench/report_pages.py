"""清单体检 report pages served from storage, beside computing the checks inline (the old path).

    .venv/bin/python bench/report_pages.py [--tasks 20000] [--runs 21] [--baseline-runs 3]

In a fresh SQLite data directory, imports seed 002 (湘阴县科技局) grown to ``--tasks`` tasks
(duties of 100 tasks, task text recombining 2–3 clauses cut from the seed documents, deterministic)
and, in the same county, seed 002 itself as a second department, so the county's overlap check
has two lists to compare. Then:

1. the background cost, paid once per publication: ``run_checks`` of the big list (the
   ``checks`` work) and ``check_crossing`` of the county (the ``crossing`` work);
2. ``--runs`` anonymous GETs of ``/d/<id>/check/`` and of ``/j/<id>/check/`` served from
   storage (median, and a check that no GET wrote: no INSERT/UPDATE/DELETE);
3. baseline, ``--baseline-runs`` times: the old path, where the page computed before it rendered
   — ``run_checks`` then the department page, ``crossing_findings`` then the county page.

Prints the medians and the ratio baseline / stored.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
from overlap import clauses  # noqa: E402  (bench/ is on the path when run as a script)

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def big_list(tasks: int):  # type: ignore[no-untyped-def]
    """Seed 002 with its duties replaced by ``tasks`` generated tasks, 100 to a duty."""
    from qingdan.ingest import load_path
    from qingdan.ingest.records import DutyRecord, TaskRecord

    record = load_path(next(SEEDS.glob("002_*.txt"))).record
    units = [u.name for u in record.units]
    pool = clauses()
    rng = random.Random("20240301-report-pages")
    duties = []
    for d in range(0, tasks, 100):
        made = [
            TaskRecord("，".join(rng.sample(pool, rng.choice((2, 3)))) + "。", [rng.choice(units)])
            for _ in range(min(100, tasks - d))
        ]
        duties.append(DutyRecord(str(d // 100 + 1), "负责" + rng.choice(pool) + "。", made))
    record.duties = duties
    record.department = "湘阴县大清单局"
    record.stated_department = ""
    return record


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--baseline-runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["QINGDAN_DATA"] = tempfile.mkdtemp(prefix="qingdan-bench-reports-")
    os.environ["QINGDAN_TASKS"] = "database"  # nothing settles behind the timing's back
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from qingdan.core.schema import ensure_schema

    setup_test_environment()
    ensure_schema()
    from qingdan.catalog.services import import_list
    from qingdan.checks.services import check_crossing, crossing_findings, run_checks
    from qingdan.core.models import Department, PendingWork
    from qingdan.ingest import load_path

    start = time.perf_counter()
    import_list(big_list(args.tasks))
    import_list(load_path(next(SEEDS.glob("002_*.txt"))).record)
    PendingWork.objects.all().delete()  # the search index is not what this measures
    dept = Department.objects.get(name="湘阴县大清单局")
    version = dept.versions.get()
    place = dept.jurisdiction
    print(f"{args.tasks:,} tasks imported in {time.perf_counter() - start:.1f} s (SQLite)")

    checks = timed(lambda: run_checks(version))
    for other in Department.objects.exclude(pk=dept.pk):
        run_checks(other.versions.get())
    crossing = timed(lambda: check_crossing({place.pk}))
    print(f"background, once per publication: 清单体检 {checks:.2f} s, 跨部门体检 {crossing:.2f} s")

    client = Client()
    pages = {"department": f"/d/{dept.pk}/check/", "jurisdiction": f"/j/{place.pk}/check/"}
    inline: dict[str, Callable[[], object]] = {
        "department": lambda: run_checks(version),
        "jurisdiction": lambda: crossing_findings(place),
    }
    print(
        f"{'page':13} {'stored (median of ' + str(args.runs) + ')':>22} {'inline, old path':>18} {'ratio':>7}"
    )
    for name, url in pages.items():
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            stored = statistics.median(timed(partial(client.get, url)) for _ in range(args.runs))
        writes = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert not writes, writes[:1]
        old = statistics.median(
            timed(inline[name]) + timed(partial(client.get, url)) for _ in range(args.baseline_runs)
        )
        print(f"{name:13} {stored * 1000:19.0f} ms {old * 1000:15.0f} ms {old / stored:6.0f}×")
    print("no GET wrote to the database")


if __name__ == "__main__":
    main()
