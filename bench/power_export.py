"""A whole city's power-list export: 10,000 powers of 40 departments in one JSONL file.

    .venv/bin/python bench/power_export.py [--runs 3] [--powers 10000] [--departments 40]

Each run is a child process `qingdan --data-dir TMP import EXPORT --department …` into an empty
data directory, from spawn to exit: read, split by 实施主体, 40 lists stored in one transaction,
checked, and indexed. Then the same file once more into the same directory (a no-op: every list
is unchanged). Baselines in the same run: `python -c "import django"`, and a child that only reads
and splits the file (`load_bytes` + `plan_export` against an empty registry, nothing written).
Medians; peak RSS is each child's own (os.wait4). Target: the import under 20 s.

The subjects are written the ways real exports write them: the full name, 市X局 without the
city, a second name in brackets, 市级 with a telling 承办机构, an empty cell with a telling
事项编码 prefix, and entrusted powers (委托…行使); an unknown column (办理时限) is kept as extra.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

_import_bench = importlib.import_module("import")  # bench/import.py: its child-process timing helpers
DEPARTMENTS, Sample = _import_bench.DEPARTMENTS, _import_bench.Sample
child_env, qingdan_command, timed_child = (
    _import_bench.child_env,
    _import_bench.qingdan_command,
    _import_bench.timed_child,
)

CITY = "甲子市"  # invented: no real place
KINDS = [
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "其他",
]
FALLBACK = f"{CITY}人民政府办公室"


def subject_of(rng: random.Random, department: str, index: int) -> tuple[str, str]:
    """(实施主体 as written, 承办机构) for the ``index``-th power of ``department``."""
    full = f"{CITY}{department}"
    shape = index % 20
    if shape == 0:
        return "市级", f"市{department}执法支队"
    if shape == 1:
        return "", "综合科"  # attributed by its 事项编码 prefix
    if shape == 2:
        return f"委托{CITY}行政审批服务局行使", ""  # entrusted: owner by 事项编码 prefix
    if shape in (3, 4, 5):
        return f"市{department}", "业务科"
    if shape == 6 and department == "农业农村局":
        return f"{full}（市乡村振兴局）", "业务科"
    return full, rng.choice(["业务科", "法规科", "执法大队", "审批科"])


def export_rows(powers: int, departments: int, seed: int = 20261205) -> list[dict[str, str]]:
    rng = random.Random(seed)
    names = DEPARTMENTS[:departments]
    per = powers // len(names)
    rows = []
    for d, department in enumerate(names):
        for i in range(per):
            subject, units = subject_of(rng, department, i)
            rows.append(
                {
                    "id": f"{d:02d}{i:05d}",
                    "事项编码": f"6101000{d:02d}{i % 9}{i:05d}",
                    "事项名称": f"{department}事项{i}：{rng.choice(KINDS)}办理",
                    "事项类型": rng.choice(KINDS),
                    "实施主体": subject,
                    "承办机构": units,
                    "设定依据": f"《中华人民共和国行政许可法》第{rng.randint(1, 80)}条；《某某管理条例》第{i % 40 + 1}条",
                    "责任事项": "1.受理责任：公示应当提交的材料，一次性告知补正材料，依法受理或不予受理。"
                    "2.审查责任：对申请材料进行审查，提出审查意见。3.决定责任：作出决定，法定告知。"
                    "4.送达责任：制发送达文书。5.事后监管责任：开展定期和不定期检查。",
                    "追责情形": "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任："
                    "1.对符合法定条件的申请不予受理的；2.对不符合法定条件的申请人准予许可的；3.其他违反法律法规规章规定的行为。",
                    "监管电话": f"029-8{d:02d}{i % 10000:04d}",
                    "办理时限": f"{i % 20 + 1}个工作日",
                }
            )
    return rows


def write_export(path: Path, powers: int, departments: int) -> int:
    rows = export_rows(powers, departments)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return len(rows)


PLAN_ONLY = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from qingdan.catalog.services import plan_export
from qingdan.ingest import load_path
from pathlib import Path
plan = plan_export(load_path(Path(sys.argv[1]), department=sys.argv[2]))
assert not plan.undecided, plan.undecided[:3]
print(len(plan.records), sum(len(r.powers) for r in plan.records.values()))
"""


def median(samples: list[Sample], key: str = "seconds") -> float:
    return statistics.median(getattr(s, key) for s in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--powers", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=40)
    args = parser.parse_args()
    run(args.runs, args.powers, args.departments)


def run(runs: int, powers: int, departments: int) -> None:
    """Time the import and its baselines, print the table."""
    qingdan, env = qingdan_command(), child_env()
    samples: dict[str, list[Sample]] = {"django": [], "plan": [], "import": [], "again": []}
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as work:
        export = Path(work) / f"{CITY}权责清单.jsonl"
        count = write_export(export, powers, departments)
        size = export.stat().st_size / 2**20
        for run in range(runs):
            samples["django"].append(timed_child([sys.executable, "-c", "import django"], env)[0])
            data = Path(work) / f"data{run}"
            plan_env = {**env, "QINGDAN_DATA": str(Path(work) / f"plan{run}")}
            sample, output = timed_child([sys.executable, "-c", PLAN_ONLY, str(export), FALLBACK], plan_env)
            samples["plan"].append(sample)
            command = [*qingdan, "--data-dir", str(data), "import", str(export), "--department", FALLBACK]
            sample, output = timed_child(command, env)
            if f"新建版本 {departments} 个" not in output:
                raise SystemExit(f"the import did not store {departments} lists:\n{output[-500:]}")
            samples["import"].append(sample)
            sample, output = timed_child(command, env)
            if "新建版本 0 个" not in output:
                raise SystemExit(f"the re-import was not a no-op:\n{output[-500:]}")
            samples["again"].append(sample)
    print(f"{count:,} powers of {departments} departments in one JSONL file ({size:.1f} MiB), {runs} runs")
    base = median(samples["django"])
    rows = [
        ("python -c 'import django' (baseline)", "django"),
        ("read + split only, nothing written (baseline)", "plan"),
        (f"qingdan import (store {departments} lists, check, index)", "import"),
        ("the same file again (no-op)", "again"),
    ]
    print(f"{'':52}{'median s':>10}{'cpu s':>8}{'peak MiB':>10}{'× django':>10}")
    for label, key in rows:
        s = samples[key]
        print(
            f"{label:52}{median(s):>10.2f}{median(s, 'cpu'):>8.2f}{max(x.rss_mib for x in s):>10.0f}"
            f"{median(s) / base:>10.0f}"
        )
    verdict = "ok" if median(samples["import"]) < 20 else "MISSED"
    print(
        f"target: import under 20 s — {verdict}; import / read+split = {median(samples['import']) / median(samples['plan']):.1f}×"
    )


if __name__ == "__main__":
    main()
