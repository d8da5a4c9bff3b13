"""Backup and restore: a round trip through a real registry, refusals, and the SQLite details.

The round trip runs through SQLite's backup API in the default pass of the suite and through
pg_dump/pg_restore in the PostgreSQL pass (on the test database pytest-django created)."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import import_list, record_of
from qingdan.core import backup as backup_module
from qingdan.core.audit import record, verify
from qingdan.core.backup import backup, restore
from qingdan.core.models import Department
from qingdan.errors import QingdanError
from qingdan.ingest import load_path
from qingdan.search import get_backend, search
from tests.conftest import LUQUAN_KEGONG, seed

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = "postgresql" if connection.vendor == "postgresql" else "sqlite"
XIANGYIN = "湘阴县科技局"
LUQUAN_GONGXIN = "石家庄市鹿泉区工业和信息化局"


def load(prefix: str, department: str = ""):
    return load_path(seed(prefix), department=department).record


def state() -> dict:
    """What a restore must bring back: counts, one version's full content, the audit log."""
    version = ListVersion.objects.get(department__name=XIANGYIN, number=1)
    log = verify()
    return {
        "departments": sorted(Department.objects.values_list("name", flat=True)),
        "versions": ListVersion.objects.count(),
        "xiangyin_v1": record_of(version).to_json(),
        "audit": (log.ok, log.count, log.head),
    }


def departments_found(query: str) -> set[str]:
    return {hit.department for hit in search(query, limit=30).hits}


@pytest.fixture(autouse=True)
def empty_index():
    """Restores rebuild the search index; leave it empty for the tests that follow."""
    yield
    get_backend().clear()


@pytest.fixture
def registry() -> dict:
    import_list(load("002"), "002.txt")
    import_list(load("001"), "001.txt")
    return state()


def change_everything() -> None:
    import_list(load("000", department=LUQUAN_KEGONG), "000.txt")
    changed = copy.deepcopy(load("002"))
    changed.duties[0].tasks[0].text = "制定全县科技政策性文件并组织实施"
    import_list(changed, "002-v2.txt")


def test_a_restore_brings_back_exactly_what_was_backed_up(registry, tmp_path):
    info = backup(tmp_path / "qingdan.backup")
    assert (info.path, info.engine) == (tmp_path / "qingdan.backup", ENGINE)
    assert info.size == (tmp_path / "qingdan.backup").stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == ["qingdan.backup"]  # no temporary file left

    change_everything()
    assert state() != registry and LUQUAN_KEGONG in departments_found("科技创新综合工作")

    restored = restore(tmp_path / "qingdan.backup")
    assert (restored.engine, restored.migrations_applied) == (ENGINE, 0)
    assert restored.documents_indexed > 0
    assert state() == registry
    assert registry["audit"][0] and registry["audit"][1] == 2
    assert search("地震监测").hits[0].department == XIANGYIN
    assert LUQUAN_GONGXIN in departments_found("煤炭市场监管")
    assert LUQUAN_KEGONG not in departments_found("科技创新综合工作")


def test_the_registry_keeps_working_after_a_restore(registry, tmp_path):
    backup(tmp_path / "b")
    restore(tmp_path / "b")
    change_everything()
    assert ListVersion.objects.filter(department__name=XIANGYIN).count() == 2
    assert verify().ok and verify().count == 4


def applied_migrations() -> set[tuple[str, str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return set(MigrationRecorder(connection).applied_migrations())


def test_an_older_backup_is_migrated_when_restored(registry, tmp_path):
    now = applied_migrations()
    call_command("migrate", "core", "0002_accounts_and_lineage", verbosity=0)
    rolled_back = now - applied_migrations()  # core's later ones, and those that depend on them
    try:
        backup(tmp_path / "old")
    finally:
        call_command("migrate", "core", verbosity=0)
    with transaction.atomic():
        record("edit", object_type="listversion", object_id="1")
    info = restore(tmp_path / "old")
    assert info.migrations_applied == len(rolled_back) >= 4
    assert (verify().ok, verify().count) == (True, 0)  # the backup predates the audit log
    assert ListVersion.objects.count() == registry["versions"]


def refused(path: Path, match: str) -> None:
    before = state()
    with pytest.raises(QingdanError, match=match):
        restore(path)
    assert state() == before


def test_it_refuses_a_file_that_is_not_a_database(registry, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("部门职责登记表\n" * 100)
    refused(path, f"{path} 不是 qingdan 的备份文件")


def test_it_refuses_a_database_that_is_not_a_registry(registry, tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE django_migrations (id integer)")
        db.execute("CREATE TABLE customers (name text)")
    refused(path, f"{path} 不是 qingdan 的备份文件")


def test_it_refuses_a_missing_file(registry, tmp_path):
    refused(tmp_path / "nowhere.backup", "找不到备份文件")


def test_a_failed_backup_leaves_the_previous_one_in_place(registry, tmp_path, monkeypatch):
    dest = tmp_path / "qingdan.backup"
    dest.write_bytes(b"yesterday's backup")

    def disk_full(path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "_fsync", disk_full)
    with pytest.raises(QingdanError, match=f"无法写入备份文件 {dest}"):
        backup(dest)
    assert dest.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir()] == ["qingdan.backup"]


def test_it_refuses_to_back_up_into_a_missing_directory(registry, tmp_path):
    with pytest.raises(QingdanError, match="无法写入备份文件"):
        backup(tmp_path / "no" / "such" / "dir" / "b")


def test_it_tells_how_to_get_the_postgresql_tools_when_missing(monkeypatch):
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    with pytest.raises(QingdanError, match=r"找不到 pg_dump.*postgresql-client.*docs/deployment\.md"):
        backup_module._tool("pg_dump")


@pytest.mark.parametrize("keep", [200, 0.9])
def test_pg_restore_errors_become_messages(registry, tmp_path, keep):
    if ENGINE != "postgresql":
        pytest.skip("PostgreSQL pass only")
    path = tmp_path / "truncated.backup"
    backup(path)
    data = path.read_bytes()
    path.write_bytes(data[: keep if isinstance(keep, int) else int(len(data) * keep)])
    refused(path, f"无法读取备份文件 {path}：pg_restore 报告：")


def test_a_postgresql_restore_that_fails_at_the_end_changes_nothing(registry, tmp_path, monkeypatch):
    if ENGINE != "postgresql":
        pytest.skip("PostgreSQL pass only")
    backup(tmp_path / "b")
    change_everything()
    run = backup_module._run

    def fail_after_the_script(args, *rest):
        return run([*args, "--command", "SELECT 1/0"] if args[0].endswith("psql") else args, *rest)

    monkeypatch.setattr(backup_module, "_run", fail_after_the_script)
    refused(tmp_path / "b", "恢复失败，登记库未改动：psql 报告：.*division by zero")


# --- SQLite details, on files (the test database itself is in memory) -------------------------


def make_registry_file(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        for table in sorted(backup_module.REQUIRED_TABLES):
            db.execute(f"CREATE TABLE {table} (id integer primary key, note text)")
        db.executemany("INSERT INTO catalog_listversion (note) VALUES (?)", [(f"v{i}",) for i in range(rows)])
    db.close()


def count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        n = db.execute("SELECT count(*) FROM catalog_listversion").fetchone()[0]
    db.close()
    return int(n)


def test_sqlite_backup_is_a_snapshot_taken_while_a_writer_is_busy(tmp_path):
    live = tmp_path / "live.sqlite3"
    make_registry_file(live, 3)
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO catalog_listversion (note) VALUES ('uncommitted')")
    try:
        backup_module._backup_sqlite({"NAME": str(live), "OPTIONS": {"timeout": 1}}, tmp_path / "b")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert (count(tmp_path / "b"), count(live)) == (3, 4)
    with sqlite3.connect(tmp_path / "b") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


def test_sqlite_restore_replaces_the_live_file_and_refuses_itself(tmp_path):
    live, old = tmp_path / "live.sqlite3", tmp_path / "old.sqlite3"
    make_registry_file(old, 2)
    make_registry_file(live, 5)
    reader = sqlite3.connect(live, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM catalog_listversion").fetchone()[0] == 5
    settings_dict = {"NAME": str(live), "OPTIONS": {"timeout": 1}}
    backup_module._restore_sqlite(settings_dict, old)
    # a reader in the middle of a transaction keeps its snapshot; the next one sees the backup
    assert reader.execute("SELECT count(*) FROM catalog_listversion").fetchone()[0] == 5
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM catalog_listversion").fetchone()[0] == 2
    assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reader.close()
    with pytest.raises(QingdanError, match="就是正在使用的登记库本身"):
        backup_module._restore_sqlite(settings_dict, live)
    with pytest.raises(QingdanError, match="就是正在使用的登记库本身"):
        backup_module._backup_sqlite(settings_dict, live)
