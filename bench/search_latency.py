"""Search latency on a generated province-size registry, beside Datasette on the same rows.

    .venv/bin/python bench/search_latency.py [--tasks 1000000] [--jurisdictions 100] [--seconds 20]

1. Generates lists whose text is recombined from the clauses of the five seed documents (so word
   frequencies look like real lists), imports them with the service layer and builds the index:
   time, index size, peak memory.
2. In-process latency of qingdan.search.search over a fixed mix of queries: p50 and p99
   (targets 5 ms and 30 ms), after a warm-up.
3. Over HTTP: `qingdan serve` (gunicorn) on 127.0.0.1, loaded by wrk for --seconds with the same
   query mix against /api/v1/search: requests/s (target ≥ 300) and latency, server memory.
4. Baseline in the same run: the same task rows in SQLite with an FTS5 trigram index served by
   Datasette, loaded the same way (skipped with a message if datasette or wrk is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
QUERIES = [
    "技术合同认定登记找谁",
    "专利侵权投诉",
    "高新技术企业认定",
    "科技计划项目申报",
    "地震监测",
    "盐业管理",
    "民用爆炸物品",
    "中小企业融资",
    "工业用电",
    "知识产权保护",
    "抗震",
    "科普",
    "两化融合",
    "技术转移机构",
    "科技成果转化",
    "安全生产",
    "信息安全",
    "军民融合",
    "专项资金",
    "技術合同認定登記",
    "防震减灾宣传",
    "科技特派员",
    "淘汰落后产能",
    "工业设计",
    "统计工作",
]


def clause_pool() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    clauses = {c.strip(" \t\u3000") for c in re.split(r"[，。；、\n：:（）()]", text)}
    return sorted(c for c in clauses if 4 <= len(c) <= 30 and re.search(r"[\u4e00-\u9fff]{4}", c))


def generated(rng: random.Random, pool: list[str], j: int, d: int, tasks: int) -> dict[str, object]:
    units = [f"第{k}科" for k in range(1, rng.randint(4, 8))]
    duties, left = [], tasks
    while left > 0:
        n = min(left, rng.randint(2, 6))
        duties.append(
            {
                "no": str(len(duties) + 1),
                "text": "，".join(rng.sample(pool, 3)) + "。",
                "tasks": [
                    {
                        "text": "，".join(rng.sample(pool, rng.randint(1, 3))) + "。",
                        "units": [rng.choice(units)],
                    }
                    for _ in range(n)
                ],
            }
        )
        left -= n
    return {
        "format": "qingdan/1",
        "jurisdiction": f"第{j:03d}县",
        "department": f"第{j:03d}县第{d:03d}局",
        "units": [{"name": u, "phones": [str(rng.randint(2000000, 8999999))]} for u in units],
        "duties": duties,
    }


def build(tasks: int, jurisdictions: int) -> tuple[float, float, list[tuple[str, str, str, str]]]:
    from qingdan.catalog.services import import_list
    from qingdan.ingest import load_bytes
    from qingdan.search import deferred_indexing, reindex

    rng, pool = random.Random(7), clause_pool()
    per_list = 100
    lists = tasks // per_list
    rows: list[tuple[str, str, str, str]] = []
    start = time.perf_counter()
    with deferred_indexing():
        for i in range(lists):
            doc = generated(rng, pool, i % jurisdictions, i // jurisdictions, per_list)
            record = load_bytes(f"{i}.json", json.dumps(doc, ensure_ascii=False).encode()).record
            import_list(record, f"{i}.json")
            rows += [
                (t.text, d.text, record.department, "、".join(t.units))
                for d in record.duties
                for t in d.tasks
            ]
    stored = time.perf_counter() - start
    start = time.perf_counter()
    reindex()
    return stored, time.perf_counter() - start, rows


def existing_rows() -> list[tuple[str, str, str, str]]:
    """The task rows of a registry built earlier, in one query (for the Datasette baseline)."""
    from qingdan.catalog.models import TaskUnit

    rows = TaskUnit.objects.filter(position=0).values_list(
        "task__text", "task__duty__text", "task__duty__version__department__name", "unit__name"
    )
    return list(rows.iterator(chunk_size=20_000))


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def in_process(rounds: int) -> tuple[float, float]:
    from qingdan.search import search

    for q in QUERIES:
        search(q)
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        search(QUERIES[i % len(QUERIES)], limit=10)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url_path: str, port: int, seconds: int, param: str) -> dict[str, float]:
    """Run wrk with the query mix; returns requests/s and latency percentiles (ms)."""
    from urllib.parse import quote

    script = Path(tempfile.mkdtemp()) / "queries.lua"
    paths = ", ".join(f'"/{url_path}?{param}={quote(q)}"' for q in QUERIES)
    script.write_text(
        f"local paths = {{{paths}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    run = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"wrk failed: {run.stdout}{run.stderr}")
    out = run.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def pct(p: str) -> float:
        m = re.search(rf"{p}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    return {
        "rps": rps,
        "p50": pct("50"),
        "p99": pct("99"),
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
    }


def rss_of_tree(pid: int) -> int:
    """Resident memory (MiB) of a process and its children."""
    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True
    ).stdout
    return sum(int(x) for x in out.split()) // 1024


def serve_and_load(
    command: list[str], env: dict[str, str], port: int, path: str, param: str, seconds: int
) -> tuple[dict[str, float], int]:
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        wrk(path, port, 3, param)  # warm-up: every worker answers a few queries first
        result = wrk(path, port, seconds, param)
        return result, rss_of_tree(server.pid)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def datasette_db(rows: list[tuple[str, str, str, str]], path: Path) -> float:
    start = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE rows (text TEXT, duty TEXT, department TEXT, units TEXT)")
    db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", rows)
    db.execute(
        "CREATE VIRTUAL TABLE rows_fts USING fts5(text, duty, content='rows', content_rowid='rowid', tokenize='trigram')"
    )
    db.execute("INSERT INTO rows_fts(rows_fts) VALUES ('rebuild')")
    db.commit()
    db.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--jurisdictions", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--reuse", type=Path, help="a data dir from an earlier run: skip building")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    data = args.reuse or Path(tempfile.mkdtemp(prefix="qingdan-latency-"))
    os.environ.update(QINGDAN_DATA=str(data), DJANGO_SETTINGS_MODULE="qingdan.settings")
    os.environ.pop("QINGDAN_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from qingdan.core.schema import ensure_schema

    ensure_schema()
    print(
        f"qingdan search latency · {os.cpu_count()} cores · {args.tasks:,} tasks in {args.jurisdictions} jurisdictions"
    )
    rows: list[tuple[str, str, str, str]] = []
    if args.reuse:
        print(f"  reusing the registry and index in {data}")
    else:
        stored, indexed, rows = build(args.tasks, args.jurisdictions)
        size = sum(f.stat().st_size for f in (data / "index").rglob("*") if f.is_file()) // 2**20
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"  registry built in {stored:.0f} s; index rebuilt in {indexed:.0f} s, {size} MiB; peak RSS {peak} MiB"
        )
    p50, p99 = in_process(args.rounds)
    print(
        f"  in-process search: p50 {p50:.2f} ms, p99 {p99:.2f} ms over {args.rounds} queries (targets 5 / 30 ms)"
    )
    if not shutil.which("wrk"):
        print("  wrk is not installed (apt-get install wrk): HTTP figures skipped")
        return
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ours, rss = serve_and_load(
        [sys.executable, "-m", "qingdan.cli", "serve", "--port", str(port), "--workers", "3"],
        env,
        port,
        "api/v1/search",
        "q",
        args.seconds,
    )
    print(
        f"  HTTP /api/v1/search (gunicorn, 3 workers): {ours['rps']:.0f} req/s, p50 {ours['p50']:.1f} ms, p99 {ours['p99']:.1f} ms, errors {ours['errors']:.0f}, server RSS {rss} MiB (target ≥ 300 req/s)"
    )
    try:
        import datasette  # noqa: F401
    except ImportError:
        print("  datasette is not installed (pip install datasette): baseline skipped")
        return
    db = data / "bench.db"
    built = datasette_db(rows or existing_rows(), db)
    port = free_port()
    theirs, rss = serve_and_load(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(db),
            "--port",
            str(port),
            "--setting",
            "sql_time_limit_ms",
            "5000",
        ],
        env,
        port,
        "bench/rows.json",
        "_search",
        args.seconds,
    )
    print(
        f"  Datasette (FTS5 trigram, same rows; index built in {built:.0f} s): {theirs['rps']:.0f} req/s, p50 {theirs['p50']:.1f} ms, p99 {theirs['p99']:.1f} ms, non-2xx {theirs['errors']:.0f}, server RSS {rss} MiB"
    )


if __name__ == "__main__":
    main()
