"""Saving one edit to a draft, beside importing the same list (the full write an edit repeats).

    .venv/bin/python bench/edit.py [--runs 9] [--powers 5000]

An edit is applied to the draft as a ListRecord and the part of the draft it touches (units +
duties + services, boundaries, supervision, or powers) is written again in one transaction
(``qingdan.catalog.editing.edit_draft``). This measures, in a fresh SQLite data directory, the
median time of one edit to

1. seed 002 (湘阴县科技局: 16 duties, 72 tasks — a county list): adding a unit, and
2. a city-size 权责清单, seed 002 plus ``--powers`` power items each citing a law: adding a unit
   (the powers are left alone) and rewording one power (all powers are written again),

and as the baseline, in the same run, the median time of ``import_list`` of the same list into a
new department (search indexing deferred out of both). Prints both and their ratio.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--powers", type=int, default=5000)
    args = parser.parse_args()
    os.environ["QINGDAN_DATA"] = tempfile.mkdtemp(prefix="qingdan-bench-edit-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from qingdan.core.schema import ensure_schema

    ensure_schema()
    from qingdan.ingest import load_path
    from qingdan.ingest.records import PowerRecord

    county = load_path(next(SEEDS.glob("002_*.txt"))).record
    city = load_path(next(SEEDS.glob("002_*.txt"))).record
    city.powers = [
        PowerRecord(
            name=f"权力事项{i}", code=f"C{i:05}", basis=f"《中华人民共和国行政许可法》第{i % 80 + 1}条"
        )
        for i in range(args.powers)
    ]
    print(f"edit_draft vs import_list, median of {args.runs} runs, SQLite")
    from qingdan.search import deferred_indexing

    cases = [
        ("seed 002 (72 tasks), add a unit", county, "units"),
        (f"+ {args.powers:,} powers, add a unit", city, "units"),
        (f"+ {args.powers:,} powers, edit a power", city, "powers"),
    ]
    for label, record, part in cases:
        with deferred_indexing():  # neither side pays for the search index inside the timing
            edit, full = measure(record, args.runs, part)
        print(
            f"  {label:34} edit {edit * 1000:6.0f} ms   import (baseline) {full * 1000:6.0f} ms   ratio {edit / full:4.2f}"
        )


def measure(record, runs: int, part: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    import copy

    from qingdan.catalog.editing import Edit, edit_draft, start_draft
    from qingdan.catalog.services import import_list
    from qingdan.core.permissions import COMMAND_LINE

    imports = []
    for i in range(runs):
        fresh = copy.deepcopy(record)
        fresh.department = f"{record.department}（{len(record.powers)} 项权力，{part}）{i}"
        started = time.perf_counter()
        version = import_list(fresh).version
        imports.append(time.perf_counter() - started)
    draft = start_draft(COMMAND_LINE, version.department)
    edits = []
    for i in range(runs):
        started = time.perf_counter()
        change = (
            Edit("add", "units", {"name": f"新科室{i}"})
            if part == "units"
            else Edit("save", "powers[7]", {"name": f"改写的权力事项{i}", "code": "C00007"})
        )
        draft = edit_draft(COMMAND_LINE, draft, draft.revision, change)
        edits.append(time.perf_counter() - started)
    return statistics.median(edits), statistics.median(imports)


if __name__ == "__main__":
    main()
