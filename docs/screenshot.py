"""Render the README's screenshot: `qingdan show` of seed 002, recorded by rich as SVG.

Run: .venv/bin/python docs/screenshot.py  (needs ../shared/seeds; writes docs/images/show.svg)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["QINGDAN_DATA"] = tempfile.mkdtemp()
os.environ["DJANGO_SETTINGS_MODULE"] = "qingdan.settings"

import django  # noqa: E402

django.setup()

from rich.console import Console  # noqa: E402

from qingdan import cli_output  # noqa: E402
from qingdan.catalog.services import import_list, record_of  # noqa: E402
from qingdan.core.schema import ensure_schema  # noqa: E402
from qingdan.ingest import load_path  # noqa: E402

ensure_schema()
seed = next((ROOT.parent / "shared" / "seeds").glob("002_*.txt"))
record = load_path(seed).record
record.duties = record.duties[:4]
version = import_list(record, seed.name).version
cli_output.out = Console(record=True, width=110, highlight=False)
cli_output.print_record(record_of(version), version)
cli_output.out.save_svg(str(ROOT / "docs" / "images" / "show.svg"), title="qingdan show 湘阴")
