"""Overlap detection (qingdan.checks.overlap) on a generated province, beside brute force.

    .venv/bin/python bench/overlap.py [--tasks 1000000] [--per-jurisdiction 10000] [--workers 2]
                                      [--sample 20000] [--planted 20]

1. Generates, deterministically and in memory (no database), ``--tasks`` task rows in
   jurisdictions of ``--per-jurisdiction`` tasks, 40 departments each. Task text recombines 2–3
   clauses cut from the seed documents (each department from its own 1/40 of them), so gram frequencies look like
   real lists. Each
   jurisdiction gets ``--planted`` near-duplicate pairs: a task copied to another department of the
   same jurisdiction with a small edit (a verb swapped, a clause dropped or a character changed).
2. Runs overlap detection per jurisdiction (``overlaps_in``, prefix-filtered TF-IDF cosine ≥ 0.5)
   in ``--workers`` processes: wall time, rows/s, pairs found, planted pairs found, peak RSS.
3. Baseline: on ``--sample`` tasks (one jurisdiction of that size), comparing every pair of
   different departments (``brute_force_pairs``) beside the blocked method: recall of the blocked
   method against brute force and the speed-up.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
DEPARTMENTS = 40
THRESHOLD = 0.5
VERBS = ["负责", "承担", "组织", "指导", "推进", "协调"]

from qingdan.checks.overlap import (  # noqa: E402
    Row,
    TfIdf,
    brute_force_pairs,
    overlaps_in,
    similar_pairs,
)


def clauses() -> list[str]:
    found: set[str] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        for piece in re.split(r"[，。；、：\n\t,;:（）()《》“”\"]+", path.read_text(encoding="utf-8")):
            piece = piece.strip(" \u3000")
            if 4 <= len(piece) <= 30 and re.search(r"[\u4e00-\u9fff]{4}", piece):
                found.add(piece)
    return sorted(found)


def jurisdiction(
    index: int, size: int, planted: int, pool: list[str]
) -> tuple[list[Row], set[tuple[str, str]]]:
    """One jurisdiction's task rows and its planted pairs (as text pairs)."""
    rng = random.Random(f"overlap-{index}")
    place = f"第{index}县"
    depts = [f"{place}部门{d}" for d in range(DEPARTMENTS)]
    rows = []
    for k in range(size - planted):
        d = k % DEPARTMENTS
        # Each department words its tasks from its own share of the clauses, as real ones do.
        text = "，".join(rng.sample(pool[d::DEPARTMENTS], rng.choice((2, 2, 3)))) + "。"
        rows.append(Row(depts[d], place, text, f"任务 {k}"))
    pairs = set()
    for _ in range(planted):
        source = rng.choice(rows)
        twin = _edit(source.text, rng)
        other = rng.choice([d for d in depts if d != source.department])
        rows.append(Row(other, place, twin, "planted"))
        pairs.add((source.text, twin))
    return rows, pairs


def _edit(text: str, rng: random.Random) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return rng.choice(VERBS) + text
    if choice == 1 and "，" in text:
        parts = text.rstrip("。").split("，")
        parts.pop(rng.randrange(len(parts)))
        return "，".join(parts) + "。"
    i = rng.randrange(len(text) - 1)
    return text[:i] + "的" + text[i + 1 :]


def run_one(args: tuple[int, int, int, list[str]]) -> tuple[int, int, int, int, float]:
    index, size, planted, pool = args
    rows, pairs = jurisdiction(index, size, planted, pool)
    start = time.perf_counter()
    found = overlaps_in(rows, THRESHOLD)
    seconds = time.perf_counter() - start
    texts = {(o.a.text, o.b.text) for o in found} | {(o.b.text, o.a.text) for o in found}
    return len(rows), len(found), len(pairs & texts), len(pairs), seconds


def mib(kib: int) -> float:
    return kib / 1024


def province(tasks: int, per: int, workers: int, planted: int, pool: list[str]) -> None:
    count = max(1, tasks // per)
    jobs = [(i, per, planted, pool) for i in range(count)]
    start = time.perf_counter()
    with Pool(workers) as p:
        results = p.map(run_one, jobs, chunksize=1)
    wall = time.perf_counter() - start
    rows = sum(r[0] for r in results)
    print(f"province: {rows:,} tasks in {count} jurisdictions × {DEPARTMENTS} departments, {workers} workers")
    print(
        f"  wall {wall:.1f} s ({rows / wall:,.0f} tasks/s); per jurisdiction median "
        f"{sorted(r[4] for r in results)[count // 2]:.2f} s CPU-bound"
    )
    print(
        f"  pairs ≥ {THRESHOLD}: {sum(r[1] for r in results):,}; planted found "
        f"{sum(r[2] for r in results)}/{sum(r[3] for r in results)}"
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"  peak RSS: parent {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss):.0f} MiB, "
        f"largest worker {mib(children):.0f} MiB"
    )


def baseline(sample: int, planted: int, pool: list[str]) -> None:
    rows, _ = jurisdiction(10_000_001, sample, planted, pool)
    start = time.perf_counter()
    model = TfIdf(r.text for r in rows)
    groups = [r.department for r in rows]
    vectorise = time.perf_counter() - start
    start = time.perf_counter()
    blocked = {(i, j) for i, j, _ in similar_pairs(model.vectors, model.df, groups, THRESHOLD)}
    t_blocked = time.perf_counter() - start
    start = time.perf_counter()
    brute = {(i, j) for i, j, _ in brute_force_pairs(model.vectors, groups, THRESHOLD)}
    t_brute = time.perf_counter() - start
    recall = len(blocked & brute) / len(brute) if brute else 1.0
    print(f"sample: {len(rows):,} tasks, one jurisdiction; vectorising {vectorise:.2f} s")
    print(f"  blocked (prefix filtering): {t_blocked:.2f} s, {len(blocked):,} pairs")
    print(f"  brute force (every pair):   {t_brute:.2f} s, {len(brute):,} pairs")
    print(f"  recall {recall:.4f}; speed-up ×{t_brute / t_blocked:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--per-jurisdiction", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--planted", type=int, default=20)
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    pool = clauses()
    print(f"{len(pool):,} clauses from {SEEDS}; load average {os.getloadavg()[0]:.1f}")
    if not args.skip_province:
        province(args.tasks, args.per_jurisdiction, args.workers, args.planted, pool)
    if not args.skip_baseline:
        baseline(args.sample, args.planted, pool)


if __name__ == "__main__":
    main()
