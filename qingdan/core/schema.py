"""Apply pending migrations on start, so `qingdan` works on an empty data directory.

A brand-new SQLite registry (the embedded default, on a user's first command) is created in one
step from the models — the way Django's test runner builds a test database without migrations —
and every migration is recorded as applied: replaying 25 migrations one by one cost over a second
of a first `qingdan import`. Existing databases and PostgreSQL are migrated as usual.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from qingdan.settings import private_dir


def ensure_schema() -> None:
    """Create the data directory and apply any migration not yet applied."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    if db["ENGINE"].endswith("sqlite3"):
        private_dir(settings.DATA_DIR)
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    from django.core.management import call_command

    if connection.vendor == "sqlite" and not connection.introspection.table_names():
        create_from_models(executor)
    else:
        call_command("migrate", verbosity=0, interactive=False)


class _NoMigrations:
    """MIGRATION_MODULES that says no app has migrations (as Django's test runner does)."""

    def __contains__(self, app_label: str) -> bool:
        return True

    def __getitem__(self, app_label: str) -> None:
        return None


def create_from_models(executor: MigrationExecutor) -> None:
    """Every table of the current models in one go, then every migration recorded as applied."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    with override_settings(MIGRATION_MODULES=_NoMigrations()):
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    recorder = MigrationRecorder(executor.connection)
    for app_label, name in executor.loader.graph.nodes:
        recorder.record_applied(app_label, name)
