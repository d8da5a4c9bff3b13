"""The public power list of a city: 10,000 powers across 40 departments, beside a county page.

    .venv/bin/python bench/power_list.py [--runs 9] [--departments 40] [--powers 250]

Imports ``--departments`` lists of ``--powers`` power items each (with 事项类型, 设定依据 citing
two laws, numbered 责任事项 and 追责情形) into one jurisdiction of a fresh SQLite data directory,
then prints the median time and the number of SQL queries of rendering, through Django's test
client, the power list (first page, a type, a department, the last page), one power's element
table, and the page of the law every power cites. Baseline, same run: seed 002's department page
(湘阴县科技局, a county 责任清单).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
TYPES = ["行政许可", "行政处罚", "行政强制", "行政检查", "行政确认", "行政给付", "其他行政权力"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--powers", type=int, default=250)
    args = parser.parse_args()
    os.environ["QINGDAN_DATA"] = tempfile.mkdtemp(prefix="qingdan-bench-powers-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from qingdan.core.schema import ensure_schema

    ensure_schema()
    started = time.perf_counter()
    urls = populate(args.departments, args.powers)
    print(f"imported {args.departments} × {args.powers} powers in {time.perf_counter() - started:.1f} s")
    print(f"median of {args.runs} runs, SQLite, load average {os.getloadavg()[0]:.2f}")
    print(f"{'page':<44} {'ms':>8} {'queries':>8}")
    for label, url in urls:
        ms, queries = measure(url, args.runs)
        print(f"{label:<44} {ms:8.1f} {queries:8d}")


def populate(departments: int, powers: int) -> list[tuple[str, str]]:
    from qingdan.catalog.models import PowerItem
    from qingdan.catalog.services import import_list
    from qingdan.core.models import Department, Jurisdiction
    from qingdan.ingest import load_path
    from qingdan.ingest.records import ListRecord, PowerRecord
    from qingdan.laws.models import Law
    from qingdan.search import deferred_indexing

    with deferred_indexing():
        import_list(load_path(next(SEEDS.glob("002_*.txt"))).record)
        for d in range(departments):
            name = f"青山市第{d + 1}局"
            items = [
                PowerRecord(
                    name=f"{name}权力事项{i}",
                    code=f"Q{d:02}{i:05}",
                    type=TYPES[i % len(TYPES)],
                    basis=f"《中华人民共和国行政许可法》第{i % 80 + 1}条；《青山市第{d}号条例》第三条",
                    subject=name,
                    units=["政策法规科"],
                    duties="1.受理责任：公示条件。2.审查责任：审查材料。3.决定责任：作出决定。",
                    accountability="1.不予受理的；2.未说明理由的。",
                    phones=["0730-5201234"],
                )
                for i in range(powers)
            ]
            import_list(ListRecord(department=name, jurisdiction="青山市", powers=items))
    city = Jurisdiction.objects.get(name="青山市")
    last = (departments * powers + 49) // 50
    some = Department.objects.filter(jurisdiction=city).order_by("pk")[departments // 2]
    power = PowerItem.objects.filter(version__department=some).first()
    assert power is not None
    law = Law.objects.get(title="中华人民共和国行政许可法")
    county = Department.objects.get(name="湘阴县科技局")
    return [
        ("baseline: /d/<湘阴县科技局>/", f"/d/{county.pk}/"),
        ("/j/<city>/powers/", f"/j/{city.pk}/powers/"),
        ("/j/<city>/powers/?type=行政处罚", f"/j/{city.pk}/powers/?type=行政处罚"),
        ("/j/<city>/powers/?d=<one department>", f"/j/{city.pk}/powers/?d={some.pk}"),
        (f"/j/<city>/powers/?page={last}", f"/j/{city.pk}/powers/?page={last}"),
        ("/d/<dept>/v1/power/<pk>/", f"/d/{some.pk}/v1/power/{power.pk}/"),
        ("/law/<行政许可法>/ (every power cites it)", f"/law/{law.pk}/"),
    ]


def measure(url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, times = Client(), []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


if __name__ == "__main__":
    main()
