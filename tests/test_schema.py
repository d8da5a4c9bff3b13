"""A new SQLite registry is created straight from the models (fast first run); it must be the same
database the migrations build, table by table, column by column, index by index."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _database(tmp: Path, how: list[str]) -> Path:
    env = {**os.environ, "QINGDAN_DATA": str(tmp), "DJANGO_SETTINGS_MODULE": "qingdan.settings"}
    env.pop("QINGDAN_DATABASE_URL", None)
    subprocess.run([sys.executable, *how], env=env, cwd=ROOT, check=True, capture_output=True)
    return tmp / "qingdan.sqlite3"


def _schema(path: Path) -> dict[str, object]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    described: dict[str, object] = {}
    for table in tables:
        columns = sorted(tuple(r[1:]) for r in db.execute(f'PRAGMA table_info("{table}")'))
        keys = sorted(tuple(r[2:5]) for r in db.execute(f'PRAGMA foreign_key_list("{table}")'))
        indexes = sorted(
            (bool(r[2]), tuple(c[2] for c in db.execute(f'PRAGMA index_info("{r[1]}")')))
            for r in db.execute(f'PRAGMA index_list("{table}")')
        )
        described[table] = (columns, keys, indexes)
    migrations = sorted(db.execute("SELECT app, name FROM django_migrations"))
    db.close()
    return {"tables": described, "migrations": migrations}


def test_a_new_registry_is_the_database_the_migrations_build(tmp_path):
    fast = _database(tmp_path / "fast", ["-m", "qingdan.cli", "list"])
    migrated = _database(tmp_path / "migrated", ["-m", "django", "migrate", "--verbosity", "0"])
    a, b = _schema(fast), _schema(migrated)
    assert a["migrations"] == b["migrations"]
    assert set(a["tables"]) == set(b["tables"])
    different = [t for t in a["tables"] if a["tables"][t] != b["tables"][t]]
    assert different == [], {t: (a["tables"][t], b["tables"][t]) for t in different}
