"""Import benchmark: seed 000 end to end, and 1,000 generated county-size lists.

    .venv/bin/python bench/import.py [--runs 7] [--lists 1000] [--postgres URL] [--skip-seed] [--skip-renderings] [--skip-export]

(d) is bench/power_export.py: a 10,000-power, 40-department city export end to end (target 20 s).

Prints a compact table; every figure has a baseline measured in the same run.

(a) Seed 000 from process start to committed: `qingdan --data-dir TMP import 000_….txt
    --department …` as a child process, --runs times into an empty data directory (the first
    command there applies the migrations) and --runs times into a data directory that already has
    the schema (made by `qingdan list`). Baseline: `python -c "import django"`. Medians; peak RSS
    is the child's own (os.wait4). Target: under 1.5 s.
(b) --lists generated lists (25 jurisdictions × 40 departments, 20–40 duties and 50–150 tasks
    each, deterministic) imported in one child process the way `qingdan import` does it:
    qingdan/1 JSON bytes → load_bytes → import_list, inside deferred_indexing, into a fresh
    SQLite data directory. Baseline: load_bytes alone (parse, build and validate the records, no
    write). Target: 1,000 lists under 180 s. --postgres URL (a server's maintenance database, e.g.
    postgresql://postgres@127.0.0.1:5432/test) runs (b) against PostgreSQL as well, in a scratch
    database qingdan_bench that is created and dropped.
(c) Seed 000 as published: its list exported as the official .docx and rendered once in the run
    by LibreOffice as PDF and as HTML, each read by load_bytes (read, interpret, validate; no
    write) --runs times in one child process. Baseline: the .docx. Medians; the script checks
    that each rendering gives the .docx's duties and tasks. Skipped, with a note, when
    LibreOffice is not installed.

Seeds are found in $QINGDAN_SEEDS or ../shared/seeds next to the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
SEED_DEPARTMENT = "石家庄市鹿泉区科学技术和工业信息化局"
SCRATCH_DB = "qingdan_bench"
TARGET_SEED_S = 1.5
TARGET_LISTS, TARGET_LISTS_S = 1000, 180.0
RANDOM_SEED = 20240301


# --- (a) seed 000 end to end -----------------------------------------------------------------


@dataclass
class Sample:
    seconds: float  # wall clock, spawn to exit
    rss_mib: float
    cpu: float = 0.0  # user + system seconds: steadier than wall time on a shared machine


def qingdan_command() -> list[str]:
    """The installed `qingdan` console script next to this Python, else `python -m qingdan.cli`."""
    script = Path(sys.executable).with_name("qingdan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "qingdan.cli"]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QINGDAN_")}
    env["PYTHONPATH"] = str(ROOT)
    return {**env, **extra}


def timed_child(args: list[str], env: dict[str, str]) -> tuple[Sample, str]:
    """Wall time from spawn to exit, the child's own peak RSS (os.wait4; Linux: KiB) and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"child failed ({proc.returncode}): {' '.join(args)}\n{err.read().decode()}")
        cpu = usage.ru_utime + usage.ru_stime
        return Sample(elapsed, usage.ru_maxrss / 1024, cpu), out.read().decode()


def seed_file() -> Path:
    found = sorted(SEEDS.glob("000_*.txt"))
    if not found:
        raise SystemExit(f"seed 000 not found in {SEEDS} (set QINGDAN_SEEDS)")
    return found[0]


def seed_runs(runs: int) -> dict[str, list[Sample]]:
    """(a): the baseline, first runs into empty data dirs, runs into data dirs with the schema."""
    qingdan, env = qingdan_command(), child_env()
    seed = str(seed_file())
    command = ["import", seed, "--department", SEED_DEPARTMENT]
    samples: dict[str, list[Sample]] = {"baseline": [], "first": [], "warm": []}
    for _ in range(runs):
        samples["baseline"].append(timed_child([sys.executable, "-c", "import django"], env)[0])
        with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
            samples["first"].append(imported([*qingdan, "--data-dir", tmp, *command], env))
        with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
            timed_child([*qingdan, "--data-dir", tmp, "list"], env)  # applies the migrations
            samples["warm"].append(imported([*qingdan, "--data-dir", tmp, *command], env))
    return samples


def imported(args: list[str], env: dict[str, str]) -> Sample:
    """One timed `qingdan import`, which must have stored version 1."""
    sample, output = timed_child(args, env)
    if "第 1 版" not in output:
        raise SystemExit(f"import did not store version 1: {output.strip()[:300]}")
    return sample


# --- (b) generated lists ---------------------------------------------------------------------


def words(text: str) -> list[str]:
    """A vocabulary written as space-separated words (easier to read and edit than a list)."""
    return text.split()


JURISDICTIONS = [  # 25 invented county names from the sexagenary cycle: no real place
    f"{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'子丑寅卯辰巳午未申酉戌亥'[i % 12]}县" for i in range(25)
]
DEPARTMENTS = words(
    "发展和改革局 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 "
    "商务局 文化旅游广电体育局 卫生健康局 退役军人事务局 应急管理局 审计局 市场监督管理局 统计局 "
    "医疗保障局 林业局 城市管理和综合执法局 行政审批服务局 信访局 乡村振兴局 人民防空办公室 "
    "机关事务服务中心 政务服务中心 档案馆 地方志编纂室 供销合作社 粮食和物资储备局 能源局 "
    "数据资源局 住房公积金管理部 融媒体中心"
)
UNITS = words(
    "办公室 政策法规股 计划财务股 规划发展股 行政审批股 安全监管股 综合执法大队 信息中心 "
    "人事股 项目管理股 监督检查股 服务中心 统计股 宣传教育股 业务指导股 应急保障股"
)
WORDS = words(
    "负责 组织 拟订 实施 指导 监督 管理 协调 推进 落实 开展 承担 参与 审核 编制 建立 健全 "
    "全县 本行政区域 有关 相关 重大 重点 年度 中长期 规划 政策 措施 制度 标准 规范 方案 计划 "
    "项目 资金 企业 单位 行业 市场 安全 生产 服务 体系 平台 机制 改革 创新 发展 建设 质量 "
    "统计 分析 评估 考核 检查 执法 许可 备案 登记 信息 公开 宣传 培训 应急 预案 监测 预警 "
    "乡镇 社区 农村 城乡 基层 工作 事项 职责 任务 情况 问题 整改 投诉 举报 调解 纠纷"
)
LAWS = (
    "《中华人民共和国行政许可法》",
    "《中华人民共和国行政处罚法》",
    "《中华人民共和国安全生产法》",
    "《中华人民共和国食品安全法》",
    "《中华人民共和国科学技术进步法》",
    "《中华人民共和国土地管理法》",
    "《中华人民共和国预算法》",
    "《优化营商环境条例》",
)
NUMERALS = "一二三四五六七八九十"


def text(rng: random.Random, low: int, high: int) -> str:
    """Chinese-looking text of low..high characters, clauses joined by 、 and ，."""
    length = rng.randint(low, high)
    parts: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        sep = "，" if rng.random() < 0.12 else "、" if rng.random() < 0.05 else ""
        parts.append(word + sep)
        size += len(word) + len(sep)
    return "".join(parts).rstrip("，、")


def article(rng: random.Random) -> str:
    n = rng.randint(1, 99)
    tens, ones = divmod(n, 10)
    numeral = (
        (NUMERALS[tens - 1] if tens > 1 else "")
        + ("十" if tens else "")
        + (NUMERALS[ones - 1] if ones else "")
    )
    return f"{rng.choice(LAWS)}第{numeral}条"


def split_tasks(rng: random.Random, tasks: int, duties: int) -> list[int]:
    """``tasks`` spread over ``duties`` duties, each at least one."""
    cuts = sorted(rng.sample(range(1, tasks), duties - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, tasks], strict=True)]


def generated_list(index: int) -> dict[str, Any]:
    """List ``index`` of the corpus: the same content on every run and every machine."""
    rng = random.Random(f"{RANDOM_SEED}-{index}")
    place, department = JURISDICTIONS[index // 40 % 25], DEPARTMENTS[index % 40]
    units = rng.sample(UNITS, rng.randint(3, 8))
    phones = {u: [f"0{rng.randint(700, 799)}-{rng.randint(2000000, 8999999)}"] for u in units}
    sizes = split_tasks(rng, rng.randint(50, 150), rng.randint(20, 40))
    others = [d for d in DEPARTMENTS if d != department]
    return {
        "format": "qingdan/1",
        "jurisdiction": place,
        "department": f"{place}{department}",
        "units": [{"name": u, "kind": "内设机构", "phones": phones[u]} for u in units],
        "duties": [
            {
                "no": str(no),
                "text": text(rng, 20, 90),
                "tasks": [
                    {"text": text(rng, 10, 45), "units": rng.sample(units, 1 if rng.random() < 0.9 else 2)}
                    for _ in range(size)
                ],
            }
            for no, size in enumerate(sizes, 1)
        ],
        "boundaries": [
            {
                "matter": text(rng, 6, 16),
                "shares": [
                    {
                        "department": f"县{name}",
                        "division": text(rng, 30, 120),
                        "basis": article(rng),
                        "case": text(rng, 0, 80) if rng.random() < 0.5 else "",
                    }
                    for name in [department, *rng.sample(others, rng.randint(1, 3))]
                ],
            }
            for _ in range(3)
        ],
        "services": [
            {"name": text(rng, 6, 16), "content": text(rng, 20, 60), "units": [u], "phones": phones[u]}
            for u in rng.sample(units, 3)
        ],
        "supervision": [
            {
                "matter": text(rng, 8, 20),
                **{part: text(rng, 20, 120) for part in REGIME_PARTS},
            }
            for _ in range(2)
        ],
        "powers": [],
    }


REGIME_PARTS = ("objects", "content", "methods", "measures", "procedure", "handling")


def corpus(count: int) -> Iterator[tuple[str, bytes]]:
    for index in range(count):
        yield f"list-{index:04d}.json", json.dumps(generated_list(index), ensure_ascii=False).encode()


def setup_django(data_dir: str, database_url: str) -> None:
    """Environment first, then django.setup(), then the schema (not timed)."""
    os.environ["QINGDAN_DATA"] = data_dir
    if database_url:
        os.environ["QINGDAN_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingdan.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from qingdan.core.schema import ensure_schema

    ensure_schema()


def deferred_indexing() -> contextlib.AbstractContextManager[None]:
    """The CLI wraps a multi-file import in qingdan.search.deferred_indexing (one index commit)."""
    try:
        from qingdan.search import deferred_indexing as deferred
    except ImportError:
        return contextlib.nullcontext()
    return deferred()


def many_lists(count: int, database_url: str) -> dict[str, Any]:
    """(b), run in its own process: returns the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
        setup_django(tmp, database_url)
        from qingdan.catalog.models import Task
        from qingdan.ingest import load_bytes

        rss_start = peak_rss_mib()
        load_only = 0.0
        tasks = 0
        for name, data in corpus(count):
            start = time.perf_counter()
            record = load_bytes(name, data).record
            load_only += time.perf_counter() - start
            tasks += sum(len(d.tasks) for d in record.duties)
        store, index, rss_stored = store_all(count)
        stored = Task.objects.count()
    if stored != tasks:
        raise SystemExit(f"stored {stored} tasks, expected {tasks}")
    return {
        "lists": count,
        "tasks": tasks,
        "load_only": load_only,
        "store": store,
        "index": index,
        "rss_start": rss_start,
        "rss_stored": rss_stored,
        "rss_peak": peak_rss_mib(),
    }


def store_all(count: int) -> tuple[float, float, float]:
    """Seconds to load and store every list, seconds to index them when the deferred block ends,
    and the peak RSS before indexing."""
    from qingdan.catalog.services import import_list
    from qingdan.ingest import load_bytes

    store = 0.0
    block = deferred_indexing()
    block.__enter__()
    for name, data in corpus(count):
        start = time.perf_counter()
        record = load_bytes(name, data).record
        import_list(record, name, hashlib.sha256(data).hexdigest())
        store += time.perf_counter() - start
    rss_stored = peak_rss_mib()
    start = time.perf_counter()
    block.__exit__(None, None, None)
    return store, time.perf_counter() - start, rss_stored


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """Create qingdan_bench on the server of ``server_url``, yield its URL, drop it afterwards."""
    import psycopg

    parts = urlsplit(server_url)
    scratch = urlunsplit(parts._replace(path=f"/{SCRATCH_DB}"))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        conn.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    try:
        yield scratch
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def many_lists_child(count: int, database_url: str) -> tuple[dict[str, Any], Sample]:
    args = [sys.executable, str(Path(__file__).resolve()), "--child-lists", str(count)]
    if database_url:
        args += ["--child-database", database_url]
    sample, output = timed_child(args, child_env())
    return json.loads(output.strip().splitlines()[-1]), sample


# --- (c) seed 000 as PDF and HTML --------------------------------------------------------------


def renderings(runs: int) -> dict[str, Any]:
    """(c), run in its own process: load_bytes times of the .docx, PDF and HTML of seed 000."""
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
        os.environ["QINGDAN_DATA"] = tmp
        os.environ["DJANGO_SETTINGS_MODULE"] = "qingdan.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from qingdan.catalog.exports.docx import write_docx
        from qingdan.ingest import load_bytes
        from qingdan.ingest.readers.legacy import convert, find_soffice

        soffice = find_soffice()
        if soffice is None:
            return {"skipped": "LibreOffice (soffice) is not installed"}
        seed = seed_file()
        word = write_docx(load_bytes(seed.name, seed.read_bytes(), department=SEED_DEPARTMENT).record)
        start = time.perf_counter()
        files = {"docx": word, "pdf": convert(soffice, "清单.docx", word, "pdf")}
        files["html"] = convert(soffice, "清单.docx", word, "html")
        made = time.perf_counter() - start
        result: dict[str, Any] = {"made": made, "runs": runs}
        for kind, data in files.items():
            seconds, record = timed_loads(f"清单.{kind}", data, runs)
            result[kind] = {"median": statistics.median(seconds), "bytes": len(data), "shape": shape(record)}
        return result


def timed_loads(name: str, data: bytes, runs: int) -> tuple[list[float], Any]:
    from qingdan.ingest import load_bytes

    seconds, record = [], None
    for _ in range(runs):
        start = time.perf_counter()
        record = load_bytes(name, data).record
        seconds.append(time.perf_counter() - start)
    return seconds, record


def shape(record: Any) -> list[int]:
    """Duties, tasks, boundary shares, services, regimes: what a rendering must give back."""
    return [
        len(record.duties),
        sum(len(d.tasks) for d in record.duties),
        sum(len(b.shares) for b in record.boundaries),
        len(record.services),
        len(record.supervision),
    ]


def renderings_child(runs: int) -> dict[str, Any]:
    args = [sys.executable, str(Path(__file__).resolve()), "--child-renderings", str(runs)]
    _, output = timed_child(args, child_env())
    return json.loads(output.strip().splitlines()[-1])


def print_renderings(result: dict[str, Any]) -> None:
    if "skipped" in result:
        print(f"(c) seed 000 as PDF and HTML: skipped ({result['skipped']})")
        return
    base = result["docx"]["median"]
    print(
        f"(c) seed 000 as published, load_bytes median of {result['runs']}"
        f" (renderings made once by LibreOffice in {result['made']:.1f} s)"
    )
    for kind, label in (("docx", ".docx (baseline)"), ("pdf", "PDF"), ("html", "HTML")):
        figures = result[kind]
        same = "same list" if figures["shape"] == result["docx"]["shape"] else f"DIFFERS {figures['shape']}"
        print(
            f"    {label:18s} {figures['median']:7.3f} s  ×{figures['median'] / base:5.1f}"
            f"  {figures['bytes'] / 1024:6.0f} KiB  {same}"
        )


# --- the report ------------------------------------------------------------------------------


def median(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def verdict(seconds: float, target: float) -> str:
    return f"< {target:g} s {'ok' if seconds < target else 'MISSED'}"


def print_seed(samples: dict[str, list[Sample]]) -> None:
    base = median(samples["baseline"])
    runs = len(samples["baseline"])
    print(f"(a) seed 000 end to end, median of {runs}       wall   ×base    cpu  peak RSS  target")
    rows = (
        ('python -c "import django" (baseline)', "baseline", ""),
        ("qingdan import, first run (migrations)", "first", verdict(median(samples["first"]), TARGET_SEED_S)),
        ("qingdan import, warm data dir", "warm", verdict(median(samples["warm"]), TARGET_SEED_S)),
    )
    for label, key, target in rows:
        m = median(samples[key])
        cpu = statistics.median(s.cpu for s in samples[key])
        rss = max(s.rss_mib for s in samples[key])
        print(f"    {label:40s} {m:6.3f} s {m / base:6.1f} {cpu:6.3f} s {rss:5.0f} MiB  {target}")


def lists_verdict(lists: int, seconds: float) -> str:
    if lists != TARGET_LISTS:
        return f"(the target is for {TARGET_LISTS:,} lists)"
    return verdict(seconds, TARGET_LISTS_S)


def print_lists(label: str, result: dict[str, Any], child: Sample) -> None:
    total = result["store"] + result["index"]
    lists, tasks = result["lists"], result["tasks"]
    print(f"(b) {lists:,} lists, {tasks:,} tasks → {label}")
    print(f"    load_bytes only (baseline: parse + build, no write) {result['load_only']:7.2f} s")
    print(
        f"    load_bytes + import_list {result['store']:7.2f} s + index {result['index']:5.2f} s"
        f" = {total:7.2f} s  ×{total / result['load_only']:.1f} base  {lists_verdict(lists, total)}"
    )
    print(
        f"    {lists / total:,.1f} lists/s  {tasks / total:,.0f} tasks/s  peak RSS {result['rss_peak']:.0f} MiB"
        f" (after setup {result['rss_start']:.0f}, before index {result['rss_stored']:.0f})"
        f"  child wall {child.seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per figure of (a) (default 7)")
    parser.add_argument(
        "--lists", type=int, default=1000, help="generated lists for (b) (default 1000; 0 skips (b))"
    )
    parser.add_argument("--postgres", metavar="URL", help="also run (b) on this PostgreSQL server")
    parser.add_argument("--skip-seed", action="store_true", help="skip (a)")
    parser.add_argument("--skip-renderings", action="store_true", help="skip (c)")
    parser.add_argument("--skip-export", action="store_true", help="skip (d)")
    parser.add_argument("--child-renderings", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-lists", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-database", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_lists is not None:
        print(json.dumps(many_lists(args.child_lists, args.child_database)))
        return
    if args.child_renderings is not None:
        print(json.dumps(renderings(args.child_renderings)))
        return
    today = datetime.date.today().isoformat()
    print(
        f"qingdan import benchmark · {today} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · {platform.system()} {platform.machine()} · {load()}"
    )
    if not args.skip_seed:
        print_seed(seed_runs(args.runs))
    if args.lists > 0:
        print_lists("SQLite", *many_lists_child(args.lists, ""))
    if args.postgres and args.lists > 0:
        with scratch_database(args.postgres) as url:
            print_lists(f"PostgreSQL ({SCRATCH_DB})", *many_lists_child(args.lists, url))
    if not args.skip_renderings:
        print_renderings(renderings_child(args.runs))
    if not args.skip_export:
        import power_export  # (d): bench/power_export.py, its own baselines, 3 runs

        power_export.run(runs=3, powers=10_000, departments=40)
    print(f"done · {load()}")


def load() -> str:
    """The load average: on a shared machine, figures taken under load are slower."""
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


if __name__ == "__main__":
    main()
