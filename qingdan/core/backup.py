"""Back up the registry to one file and restore it from one.

SQLite (the default) is copied with SQLite's online backup API: a consistent snapshot taken while
the portal keeps reading and writing. PostgreSQL is dumped with ``pg_dump --format=custom``; a
restore turns the archive into SQL with ``pg_restore`` and runs it with ``psql --single-transaction``. A backup is written to a temporary file next to
its destination and renamed when complete, so a half-written backup never carries the name.

A restore replaces the whole database in one step (readers see the old registry or the new one),
then applies any migration the backup predates and rebuilds the search index.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from qingdan.errors import QingdanError, os_error_text

# tables every qingdan database has: a file without them is not a registry backup
REQUIRED_TABLES = frozenset({"django_migrations", "catalog_listversion", "core_department"})
PG_ARCHIVE_MAGIC = b"PGDMP"
# libpq settings a Django OPTIONS dict may carry, and the environment variable for each
PG_ENV_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
# one transaction for the whole script; the first error stops it and rolls everything back
PSQL_FLAGS = ("--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1")
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", re.MULTILINE)


@dataclass
class BackupInfo:
    path: Path
    size: int  # bytes
    engine: str  # "sqlite" or "postgresql"


@dataclass
class RestoreInfo:
    path: Path
    engine: str
    migrations_applied: int  # migrations the backup predated, applied after restoring
    documents_indexed: int


def backup(dest: Path) -> BackupInfo:
    """Write a consistent copy of the live registry to ``dest`` (replacing it if it exists)."""
    dest = Path(dest)
    settings_dict = _settings_dict()
    if _engine(settings_dict) == "postgresql":
        _backup_postgres(settings_dict, dest)
        return BackupInfo(dest, dest.stat().st_size, "postgresql")
    _backup_sqlite(settings_dict, dest)
    return BackupInfo(dest, dest.stat().st_size, "sqlite")


def restore(src: Path) -> RestoreInfo:
    """Replace the live registry with the backup ``src``, bring its schema up to date, reindex."""
    src = Path(src)
    settings_dict = _settings_dict()
    engine = _engine(settings_dict)
    if engine == "postgresql":
        _restore_postgres(settings_dict, src)
    else:
        _restore_sqlite(settings_dict, src)
    migrated, indexed = _catch_up(src)
    return RestoreInfo(src, engine, migrated, indexed)


def _settings_dict() -> dict[str, Any]:
    # the connection's own settings: under the test runner they name the test database
    return connections[DEFAULT_DB_ALIAS].settings_dict


def _engine(settings_dict: dict[str, Any]) -> str:
    return "postgresql" if "postgresql" in settings_dict["ENGINE"] else "sqlite"


# --- SQLite -----------------------------------------------------------------------------------


def _backup_sqlite(settings_dict: dict[str, Any], dest: Path) -> None:
    live = str(settings_dict["NAME"])
    if _same_file(live, dest):
        raise QingdanError(f"备份文件 {dest} 就是正在使用的登记库本身，请换一个文件名。")
    with _staging(dest) as tmp:
        try:
            with closing(_connect(live, settings_dict)) as source, closing(sqlite3.connect(tmp)) as target:
                source.backup(target)
                # a self-contained file: no -wal/-shm companions to lose when it is copied away
                target.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            raise QingdanError(f"备份到 {dest} 失败：{exc}") from exc


def _restore_sqlite(settings_dict: dict[str, Any], src: Path) -> None:
    live = str(settings_dict["NAME"])
    if _same_file(live, src):
        raise QingdanError(f"{src} 就是正在使用的登记库本身，不能用它恢复自己。")
    _check_sqlite_backup(src)
    connections.close_all()
    try:
        with closing(_open_readonly(src)) as source, closing(_connect(live, settings_dict)) as target:
            source.backup(target)  # one write transaction on the live database
    except sqlite3.Error as exc:
        raise QingdanError(f"从 {src} 恢复失败，登记库未改动：{exc}") from exc
    finally:
        connections.close_all()


def _check_sqlite_backup(src: Path) -> None:
    _require_file(src)
    not_ours = f"{src} 不是 qingdan 的备份文件"
    try:
        with closing(_open_readonly(src)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            check = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise QingdanError(f"{not_ours}（无法作为 SQLite 数据库打开：{exc}）。") from exc
    if not tables >= REQUIRED_TABLES:
        raise QingdanError(f"{not_ours}（缺少登记库的数据表）。")
    if check != "ok":
        raise QingdanError(f"{src} 已损坏，不能用于恢复（SQLite 完整性检查：{check}）。")


def _connect(name: str, settings_dict: dict[str, Any]) -> sqlite3.Connection:
    timeout = float(settings_dict.get("OPTIONS", {}).get("timeout", 20))
    return sqlite3.connect(name, uri=True, timeout=timeout)


def _open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _same_file(live: str, other: Path) -> bool:
    if live.startswith("file:") or live == ":memory:" or not other.exists():
        return False
    try:
        return os.path.samefile(live, other)
    except OSError:
        return False


# --- PostgreSQL -------------------------------------------------------------------------------


def _backup_postgres(settings_dict: dict[str, Any], dest: Path) -> None:
    pg_dump = _tool("pg_dump")
    with _staging(dest) as tmp:
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--file",
                str(tmp),
                "--dbname",
                _dbname(settings_dict),
            ],
            settings_dict,
            f"备份到 {dest} 失败",
        )


def _restore_postgres(settings_dict: dict[str, Any], src: Path) -> None:
    """Turn the archive into SQL, then run it in one transaction, after dropping the tables the
    archive does not have: ``--clean`` drops only what the archive holds, and a newer schema's
    tables left behind would keep foreign keys into the tables being replaced."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    tables = _archive_tables(pg_restore, settings_dict, src)
    drop = _drop_statement(tables)
    with tempfile.TemporaryDirectory(prefix="qingdan-restore-") as scratch:
        script = Path(scratch) / "restore.sql"
        _run(
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--file", str(script), str(src)],
            settings_dict,
            f"无法读取备份文件 {src}",
        )
        connections.close_all()
        commands = ["--command", drop] if drop else []
        _run(
            [psql, *PSQL_FLAGS, "--dbname", _dbname(settings_dict), *commands, "--file", str(script)],
            settings_dict,
            f"从 {src} 恢复失败，登记库未改动",
        )


def _archive_tables(pg_restore: str, settings_dict: dict[str, Any], src: Path) -> set[str]:
    """The tables in a pg_dump archive; refuses a file that is not a qingdan backup."""
    _require_file(src)
    with src.open("rb") as f:
        if f.read(len(PG_ARCHIVE_MAGIC)) != PG_ARCHIVE_MAGIC:
            raise QingdanError(f"{src} 不是 qingdan 的备份文件（不是 pg_dump 的 custom 格式归档）。")
    listing = _run([pg_restore, "--list", str(src)], settings_dict, f"无法读取备份文件 {src}")
    tables = {name for _schema, name in _TOC_TABLE.findall(listing)}
    if not tables >= REQUIRED_TABLES:
        raise QingdanError(f"{src} 不是 qingdan 的备份文件（缺少登记库的数据表）。")
    return tables


def _drop_statement(tables: set[str]) -> str:
    """SQL dropping the qingdan tables that exist now but not in the archive (or "")."""
    connection = connections[DEFAULT_DB_ALIAS]
    leftovers = sorted(set(connection.introspection.django_table_names(only_existing=True)) - tables)
    if not leftovers:
        return ""
    return f"DROP TABLE IF EXISTS {', '.join(map(connection.ops.quote_name, leftovers))} CASCADE;"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise QingdanError(
            f"找不到 {name}：备份和恢复 PostgreSQL 登记库需要 PostgreSQL 客户端工具。"
            "请安装 postgresql-client（版本不低于数据库服务器），参见 docs/deployment.md。"
        )
    return path


def _dbname(settings_dict: dict[str, Any]) -> str:
    """A libpq connection string naming only the database (host, user, … go in the environment)."""
    name = str(settings_dict["NAME"]).replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{name}'"


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for key, var in PG_ENV_OPTIONS.items():
        value = settings_dict.get("OPTIONS", {}).get(key)
        if isinstance(value, str | int):
            env[var] = str(value)
    return env


def _run(args: list[str], settings_dict: dict[str, Any], failure: str) -> str:
    """Run a PostgreSQL client tool (no shell); its stderr becomes the message when it fails."""
    try:
        done = subprocess.run(args, env=_pg_env(settings_dict), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise QingdanError(f"{failure}：无法运行 {Path(args[0]).name}（{os_error_text(exc)}）。") from exc
    if done.returncode != 0:
        raise QingdanError(f"{failure}：{Path(args[0]).name} 报告：{_trimmed(done.stderr)}")
    return done.stdout


def _trimmed(text: str, lines: int = 12, chars: int = 2000) -> str:
    kept = "\n".join(text.strip().splitlines()[-lines:])
    return kept[-chars:] or "（没有输出）"


# --- shared -----------------------------------------------------------------------------------


@contextmanager
def _staging(dest: Path) -> Iterator[Path]:
    """A temporary file next to ``dest``, renamed onto it when the block succeeds, else removed."""
    if dest.is_dir():
        raise QingdanError(f"{dest} 是一个目录，请给出备份文件的文件名。")
    try:
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    except OSError as exc:
        raise QingdanError(f"无法写入备份文件 {dest}：{os_error_text(exc, with_file=False)}。") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        raise QingdanError(f"无法写入备份文件 {dest}：{os_error_text(exc, with_file=False)}。") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _require_file(src: Path) -> None:
    if not src.is_file():
        raise QingdanError(f"找不到备份文件 {src}。")
    if not os.access(src, os.R_OK):
        raise QingdanError(f"无法读取备份文件 {src}：没有读取权限。")


def _catch_up(src: Path) -> tuple[int, int]:
    """Apply the migrations the backup predates and rebuild the search index."""
    from qingdan.core.schema import ensure_schema
    from qingdan.search import reindex

    try:
        pending = _pending_migrations()
        ensure_schema()
    except Exception as exc:
        raise QingdanError(f"已从 {src} 恢复数据，但升级数据库结构失败：{exc}") from exc
    try:
        return pending, reindex()
    except Exception as exc:
        raise QingdanError(
            f"已从 {src} 恢复数据，但重建检索索引失败：{exc}。请运行 qingdan reindex。"
        ) from exc


def _pending_migrations() -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
