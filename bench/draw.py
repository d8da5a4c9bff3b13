"""The public draw ``qingdan-draw/1`` at county scale, and whether it is fair, each beside a named
baseline in the same run.

    .venv/bin/python bench/draw.py [--pool 100000] [--inspectors 200] [--runs 7] [--seeds 2000]
                                   [--fair-pool 500] [--fair-inspectors 20] [--skip-service]

(a) Speed: a pool of ``--pool`` inspectees in 4 strata (A–D, a quarter each) drawn at 20 % in every
    stratum with ``--inspectors`` inspectors, 2 per task (50 declared conflicts): ``draw.run`` timed
    ``--runs`` times, median (target < 1 s), split into the selection (every inspectee's ticket)
    and the assignment (every selected inspectee against every inspector). Baselines: hashing the
    population lines once (``draw.population_sha256``) and ``random.sample`` of the same number.
    Then the whole service path — ``plans.commit`` (freeze and hash the 名录库, store the members)
    and ``plans.run`` (draw, store the tasks and their inspectors) — into a fresh SQLite data
    directory, ``--service-runs`` times, median.
(b) Fairness: ``--seeds`` seeds on a pool of ``--fair-pool`` inspectees at 20 %: each inspectee's
    selection count against the expected seeds × 20 %; and, with ``--fair-inspectors`` inspectors 2
    per task, each inspector's assignment count against the expected share. Chi-square statistic
    Σ(O − E)² / (E(1 − p) · N/(N − 1)) — the variance of a count when every draw takes a fixed share
    p of N without replacement — with N − 1 degrees of freedom, against the 0.999 quantile by the
    Wilson–Hilferty approximation: PASS when below it.
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
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qingdan.inspection import draw  # noqa: E402

RATIO = Fraction(1, 5)


def uscc(n: int) -> str:
    from stdnum.cn import uscc as code

    body = f"91130185{n:09d}"
    return body + code.calc_check_digit(body)


def timed(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def chi_square_limit(df: int, q: float = 0.999) -> float:
    """The q quantile of chi-square with df degrees of freedom, by Wilson–Hilferty."""
    z = statistics.NormalDist().inv_cdf(q)
    c = 2 / (9 * df)
    return df * (1 - c + z * c**0.5) ** 3


def fairness(label: str, counts: Counter[str], members: list[str], draws: int, share: Fraction) -> bool:
    n = len(members)
    expected = draws * share
    scale = float(expected * (1 - share)) * n / (n - 1)
    statistic = sum((counts[m] - float(expected)) ** 2 for m in members) / scale
    limit = chi_square_limit(n - 1)
    observed = [counts[m] for m in members]
    verdict = "PASS" if statistic < limit else "FAIL"
    print(
        f"  {label}: expected {float(expected):.0f} each, observed {min(observed)}–{max(observed)} "
        f"(median {statistics.median(observed):.0f}); chi-square {statistic:.1f}, df {n - 1}, "
        f"0.999 limit {limit:.1f} (ratio {statistic / limit:.2f}) → {verdict}"
    )
    return statistic < limit


def speed(size: int, inspectors: int, runs: int) -> None:
    ids = [uscc(n) for n in range(1, size + 1)]
    strata = {name: (RATIO, ids[k::4]) for k, name in enumerate("ABCD")}
    certificates = [f"1301852{n:04d}" for n in range(inspectors)]
    pool = draw.Pool(
        "石家庄市鹿泉区工业和信息化局",
        2,
        certificates,
        {(certificates[n % inspectors], ids[n]) for n in range(50)},
    )
    seed = "382915"
    pairs = [(name, i) for name, (_, members) in strata.items() for i in members]
    picked = sum(draw.count(RATIO, len(m)) for _, m in strata.values())
    print(
        f"(a) {size:,} inspectees in 4 strata at 20 % → {picked:,} tasks; {inspectors} inspectors, 2 per task"
    )
    whole, result = timed(lambda: draw.run(seed, strata, [pool]), runs)
    assert len(result.order) == picked and all(len(v) == 2 for v in result.assignments.values())
    select, _ = timed(lambda: [draw.select(seed, n, r, m) for n, (r, m) in strata.items()], runs)
    hashed, _ = timed(lambda: draw.population_sha256(pairs), runs)
    sampled, _ = timed(lambda: random.Random(seed).sample(ids, picked), runs)
    print(
        f"  draw.run: median {whole:.3f} s over {runs} runs (target < 1 s: {'ok' if whole < 1 else 'MISSED'})"
    )
    print(
        f"    selection (tickets of {size:,}): {select:.3f} s; assignment ({picked:,} × {inspectors} "
        f"= {picked * inspectors:,} SHA-256): {whole - select:.3f} s"
    )
    print(f"  baseline population_sha256 of {size:,} lines: {hashed:.3f} s (draw.run ×{whole / hashed:.0f})")
    print(f"  baseline random.sample of {picked:,}: {sampled:.4f} s (draw.run ×{whole / sampled:.0f})")


def service(size: int, inspectors: int, runs: int) -> None:
    os.environ["QINGDAN_DATA"] = tempfile.mkdtemp(prefix="qingdan-bench-draw-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from qingdan.cases.roles import assign_role
    from qingdan.core.accounts import actor_named, create_user
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.core.schema import ensure_schema
    from qingdan.enforcement.models import Officer
    from qingdan.inspection import plans
    from qingdan.inspection.models import Inspectee, InspectionItem, ItemCatalog

    ensure_schema()
    place = Jurisdiction.objects.create(name="石家庄市鹿泉区")
    department = Department.objects.create(jurisdiction=place, name="石家庄市鹿泉区工业和信息化局")
    create_user(COMMAND_LINE, "head", "filler", department, None, password="pw-bench-draw-2026")
    assign_role(COMMAND_LINE, department, get_user_model().objects.get(username="head"), "head")
    Officer.objects.bulk_create(
        Officer(
            department=department,
            name=f"执法人员{n}",
            certificate_number=f"1301852{n:04d}",
            valid_from=dt.date(2020, 1, 1),
            valid_until=dt.date(2035, 12, 31),
        )
        for n in range(inspectors)
    )
    catalog = ItemCatalog.objects.create(department=department, number=1, state=ItemCatalog.PUBLISHED)
    item = InspectionItem.objects.create(catalog=catalog, position=1, name="技术转移机构监管", ratio="0.2")
    Inspectee.objects.bulk_create(
        (
            Inspectee(department=department, uscc=uscc(n), name=f"鹿泉第{n}科技有限公司", risk="ABCD"[n % 4])
            for n in range(1, size + 1)
        ),
        batch_size=5000,
    )
    head = actor_named("head")
    today = dt.date.today()
    commits, draws = [], []
    for _ in range(runs):
        plan = plans.create_plan(
            head,
            department,
            item=item,
            period_start=today,
            period_end=today,
            ratios="A=0.2,B=0.2,C=0.2,D=0.2",
        )
        started = time.perf_counter()
        plan = plans.commit(head, plan, seed_source="bench", draw_on=today)
        commits.append(time.perf_counter() - started)
        started = time.perf_counter()
        plans.run(head, plan, seed="382915")
        draws.append(time.perf_counter() - started)
    assert plan.tasks.count() == size // 5
    commit_median, run_median = statistics.median(commits), statistics.median(draws)
    print(
        f"  service path (SQLite): commit {commit_median:.2f} s + run {run_median:.2f} s "
        f"= {commit_median + run_median:.2f} s, medians of {runs}"
    )


def fair(seeds: int, size: int, inspectors: int) -> bool:
    ids = [uscc(n) for n in range(1, size + 1)]
    certificates = [f"1301852{n:04d}" for n in range(inspectors)]
    pool = draw.Pool("局", 2, certificates)
    picked, assigned, tasks = Counter[str](), Counter[str](), 0
    started = time.perf_counter()
    for s in range(seeds):
        result = draw.run(f"fair-{s}", {"all": (RATIO, ids)}, [pool])
        picked.update(i for _, i, _ in result.order)
        for chosen in result.assignments.values():
            assigned.update(chosen)
        tasks += len(result.order)
    print(
        f"(b) fairness: {seeds:,} seeds, {size} inspectees at 20 %, {inspectors} inspectors 2 per task "
        f"({time.perf_counter() - started:.1f} s)"
    )
    ok = fairness("inspectees", picked, ids, seeds, RATIO)
    return fairness("inspectors", assigned, certificates, tasks, Fraction(2, inspectors)) and ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--service-runs", type=int, default=3)
    parser.add_argument("--skip-service", action="store_true")
    parser.add_argument("--seeds", type=int, default=2000)
    parser.add_argument("--fair-pool", type=int, default=500)
    parser.add_argument("--fair-inspectors", type=int, default=20)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    speed(args.pool, args.inspectors, args.runs)
    if not args.skip_service:
        service(args.pool, args.inspectors, args.service_runs)
    ok = fair(args.seeds, args.fair_pool, args.fair_inspectors)
    print(f"load average {os.getloadavg()[0]:.1f}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
