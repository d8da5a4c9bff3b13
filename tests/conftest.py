"""Shared fixtures: the real seed documents and a registry to import into.

The suite runs against SQLite by default and against PostgreSQL when QINGDAN_DATABASE_URL is
set (the Makefile's `test` target runs both)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QINGDAN_DATA", tempfile.mkdtemp(prefix="qingdan-test-"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
LUQUAN_KEGONG = "石家庄市鹿泉区科学技术和工业信息化局"


def seed(prefix: str) -> Path:
    """The seed document whose file name starts with ``prefix`` (000 … 004)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.fail(f"seed {prefix} not found in {SEEDS}: set QINGDAN_SEEDS")
    return matches[0]


@pytest.fixture
def seed_bytes():
    def read(prefix: str) -> tuple[str, bytes]:
        path = seed(prefix)
        return path.name, path.read_bytes()

    return read
