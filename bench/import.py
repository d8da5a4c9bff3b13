"""Import benchmark: seed 000 end to end, and 1,000 generated county-size lists.

    .venv/bin/python bench/import.py [--runs 7] [--lists 1000] [--postgres URL]

Prints medians and, measured in the same run, a baseline for each figure:
  (a) seed 000, process start to committed (`qingdan import` as a child process), against the
      bare start of a Python process that imports Django; first run in an empty data directory
      (migrations applied) and runs into a data directory that already has the schema.
      Target: under 1.5 s.
  (b) 1,000 generated lists (qingdan/1 JSON → load_bytes → import_list, the CLI's path) in one
      process, against reading and validating the same lists without writing. Target: under 180 s.
Peak memory is the child's (a) or this process's (b) maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
QINGDAN = [sys.executable, "-m", "qingdan.cli"]
DEPARTMENT = "石家庄市鹿泉区科学技术和工业信息化局"


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"child failed: {' '.join(args)}\n{proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss // 1024


def seed_end_to_end(runs: int) -> None:
    seed = next(SEEDS.glob("000_*.txt"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QINGDAN_DATABASE_URL", None)
    baseline = [run_child([sys.executable, "-c", "import django"], env) for _ in range(runs)]
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(
                run_child([*QINGDAN, "--data-dir", tmp, "import", str(seed), "--department", DEPARTMENT], env)
            )
        with tempfile.TemporaryDirectory() as tmp:
            run_child([*QINGDAN, "--data-dir", tmp, "list"], env)
            warm.append(
                run_child([*QINGDAN, "--data-dir", tmp, "import", str(seed), "--department", DEPARTMENT], env)
            )
    base = statistics.median(t for t, _ in baseline)
    print(f"(a) seed 000 end to end, median of {runs} (target < 1.5 s)")
    for label, samples in (
        ("python + import django (baseline)", baseline),
        ("empty data dir (migrations)", cold),
        ("data dir with schema", warm),
    ):
        median = statistics.median(t for t, _ in samples)
        rss = max(r for _, r in samples)
        print(f"    {label:36s} {median:6.3f} s   ×{median / base:5.1f} baseline   peak RSS {rss} MiB")


WORDS = [
    "负责",
    "组织",
    "拟订",
    "实施",
    "全县",
    "科技",
    "创新",
    "规划",
    "政策",
    "措施",
    "监督",
    "管理",
    "指导",
    "协调",
    "推进",
    "建设",
    "企业",
    "项目",
    "资金",
    "安全",
    "生产",
    "服务",
    "体系",
    "平台",
    "成果",
    "转化",
    "知识产权",
    "专利",
    "标准",
    "质量",
    "统计",
    "分析",
    "信息化",
    "产业",
    "发展",
    "工作",
]
UNITS = ("办公室", "规划股", "计划股", "成果股", "法规股", "执法大队", "服务中心", "财务股")


def sentence(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))) + "。"


def generated_list(rng: random.Random, j: int, d: int) -> dict[str, object]:
    units = [
        {"name": u, "kind": "内设机构", "phones": [f"{rng.randint(2000000, 8999999)}"]}
        for u in rng.sample(UNITS, rng.randint(3, 8))
    ]
    names = [u["name"] for u in units]
    n_duties, n_tasks = rng.randint(20, 40), rng.randint(50, 150)
    cuts = sorted(rng.sample(range(1, n_tasks), n_duties - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n_tasks], strict=True)]
    duties = [
        {
            "no": str(i + 1),
            "text": sentence(rng, 12, 30),
            "tasks": [
                {"text": sentence(rng, 6, 18), "units": rng.sample(names, 1), "note": ""} for _ in range(size)
            ],
        }
        for i, size in enumerate(sizes)
    ]
    boundaries = [
        {
            "matter": sentence(rng, 3, 6),
            "shares": [
                {
                    "department": f"县{rng.choice(WORDS)}局",
                    "division": sentence(rng, 10, 30),
                    "basis": "《中华人民共和国科学技术进步法》第十条",
                    "case": sentence(rng, 20, 40),
                }
                for _ in range(rng.randint(2, 4))
            ],
        }
        for _ in range(3)
    ]
    services = [
        {
            "name": sentence(rng, 3, 6),
            "content": sentence(rng, 10, 20),
            "units": rng.sample(names, 1),
            "phones": [],
        }
        for _ in range(3)
    ]
    regimes = [
        dict(
            zip(
                ("matter", "objects", "content", "methods", "measures", "procedure", "handling"),
                (sentence(rng, 4, 20) for _ in range(7)),
                strict=True,
            )
        )
        for _ in range(2)
    ]
    return {
        "format": "qingdan/1",
        "jurisdiction": f"第{j}县",
        "department": f"第{j}县第{d}局",
        "units": units,
        "duties": duties,
        "boundaries": boundaries,
        "services": services,
        "supervision": regimes,
        "powers": [],
    }


def many_lists(count: int, postgres: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="qingdan-bench-")
    os.environ["QINGDAN_DATA"] = tmp
    if postgres:
        os.environ["QINGDAN_DATABASE_URL"] = postgres
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingdan.settings"
    import django

    django.setup()
    from qingdan.catalog.services import import_list
    from qingdan.core.schema import ensure_schema
    from qingdan.ingest import load_bytes

    ensure_schema()
    rng = random.Random(2026)
    docs = [
        json.dumps(generated_list(rng, i // 40, i % 40), ensure_ascii=False).encode() for i in range(count)
    ]
    tasks = sum(len(d["tasks"]) for doc in docs for d in json.loads(doc)["duties"])
    start = time.perf_counter()
    for i, doc in enumerate(docs):
        load_bytes(f"{i}.json", doc)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    for i, doc in enumerate(docs):
        import_list(load_bytes(f"{i}.json", doc).record, f"{i}.json")
    total = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    where = "PostgreSQL" if postgres else "SQLite"
    print(f"(b) {count} generated lists, {tasks} tasks, into {where} (target < 180 s)")
    print(f"    read + validate only (baseline)      {baseline:7.2f} s")
    print(
        f"    read + validate + store              {total:7.2f} s   ×{total / baseline:5.1f} baseline   {count / total:6.1f} lists/s   {tasks / total:7.0f} tasks/s   peak RSS {rss} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lists", type=int, default=1000)
    parser.add_argument(
        "--postgres", help="e.g. postgresql://postgres@127.0.0.1:5432/qingdan_bench (must exist)"
    )
    args = parser.parse_args()
    print(f"qingdan import benchmark · {os.cpu_count()} cores · Python {sys.version.split()[0]}")
    seed_end_to_end(args.runs)
    many_lists(args.lists, args.postgres)


if __name__ == "__main__":
    main()
