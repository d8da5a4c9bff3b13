"""The audit log: a SHA-256 chain that verify() checks, append-only through the ORM.

Runs on SQLite and, in the suite's PostgreSQL pass, on PostgreSQL (jsonb reorders keys and
rewrites numbers; the hashes must survive that)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from qingdan.core.audit import GENESIS, AuditUsageError, digest, record, verify
from qingdan.core.models import AppendOnlyError, AuditEntry
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def write(n: int = 1, **kwargs) -> list[AuditEntry]:
    entries = []
    for i in range(n):
        with transaction.atomic():
            fields = {"object_type": "listversion", "object_id": str(i), "object_repr": f"第 {i} 版"}
            entries.append(record("edit", **{**fields, **kwargs}))
    return entries


def execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_chain_each_to_the_one_before():
    first, second, third = write(3)
    assert first.prev_hash == GENESIS
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert len({first.hash, second.hash, third.hash}) == 3
    assert all(len(e.hash) == 64 for e in (first, second, third))
    result = verify()
    assert (result.ok, result.count, result.problems, result.head) == (True, 3, [], third.hash)


def test_an_empty_log_verifies():
    assert (verify().ok, verify().count, verify().head) == (True, 0, GENESIS)


def test_hashes_survive_the_database_round_trip():
    """Values the database gives back differently from how they went in still verify."""
    user = get_user_model().objects.create_user("zhang", password="x")
    before = {"z": 1, "a": [1.0, 1e20, 0.1, -0.0, True, None], "中文": "科室“电话”", "n": {"b": 2, "a": 1}}
    after = {"when": dt.datetime(2024, 5, 1, 8, 30, 0, 123456, tzinfo=dt.UTC), "tuple": (1, 2), 3: "int key"}
    with transaction.atomic():
        entry = record(
            "approve",
            object_type="listversion",
            object_id=42,
            object_repr="湘阴县科技局 第 2 版",
            before=before,
            after=after,
            actor=user,
        )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_name == "zhang" and stored.object_id == "42"
    assert stored.after == {"when": "2024-05-01T08:30:00.123Z", "tuple": [1, 2], "3": "int key"}
    assert digest(stored) == stored.hash == entry.hash
    assert verify().ok


def test_it_detects_a_row_changed_by_raw_sql():
    _, second, _ = write(3)
    execute("UPDATE core_auditentry SET object_repr = %s WHERE id = %s", ["第 9 版", second.pk])
    result = verify()
    assert not result.ok and result.count == 3
    assert result.problems == [f"第 {second.pk} 条记录的内容与其摘要不符（已被改动）。"]


def test_it_detects_a_changed_row_whose_hash_was_recomputed():
    _, second, third = write(3)
    second.action = "publish"
    execute(
        "UPDATE core_auditentry SET action = %s, hash = %s WHERE id = %s",
        ["publish", digest(second), second.pk],
    )
    assert verify().problems == [
        f"第 {third.pk} 条记录的前一摘要与第 {second.pk} 条不符（中间有记录被删除或插入）。"
    ]


def test_it_detects_a_row_deleted_in_the_middle():
    first, second, third = write(3)
    execute("DELETE FROM core_auditentry WHERE id = %s", [second.pk])
    result = verify()
    assert (result.ok, result.count) == (False, 2)
    assert result.problems == [
        f"第 {third.pk} 条记录的前一摘要与第 {first.pk} 条不符（中间有记录被删除或插入）。"
    ]


def test_it_detects_that_the_first_rows_were_deleted():
    first, second = write(2)
    execute("DELETE FROM core_auditentry WHERE id = %s", [first.pk])
    assert verify().problems == [
        f"第 {second.pk} 条记录是现存的第一条，但它的前一摘要不是全零（前面的记录被删除）。"
    ]


def test_it_detects_a_row_inserted_in_the_middle_with_a_forged_hash():
    first, second, _ = write(3)
    # make room after the first entry: ids are not hashed, so renumbering alone breaks nothing
    execute("UPDATE core_auditentry SET id = id + 1000 WHERE id > %s", [first.pk])
    assert verify().ok
    forged = AuditEntry(
        id=first.pk + 1,
        at=first.at,
        actor_name="管理员",
        action="publish",
        object_type="listversion",
        object_id="7",
        object_repr="伪造的记录",
        prev_hash=first.hash,
    )
    forged.hash = digest(forged)  # correct for its own content: the forger knows the algorithm
    forged.save()
    result = verify()
    assert (result.ok, result.count) == (False, 4)
    assert result.problems == [
        f"第 {second.pk + 1000} 条记录的前一摘要与第 {forged.pk} 条不符（中间有记录被删除或插入）。"
    ]


def test_it_names_every_broken_entry_but_lists_at_most_a_hundred(monkeypatch):
    from qingdan.core import audit as services

    monkeypatch.setattr(services, "MAX_PROBLEMS", 2)
    entries = write(4)
    execute("UPDATE core_auditentry SET object_repr = %s", ["改"])
    problems = verify().problems
    assert problems[:2] == [f"第 {e.pk} 条记录的内容与其摘要不符（已被改动）。" for e in entries[:2]]
    assert problems[2:] == ["另有 2 处问题未一一列出。"]


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(AuditUsageError, match=r"transaction\.atomic"):
        record("edit", object_type="listversion", object_id="1")
    assert AuditEntry.objects.count() == 0


def test_record_refuses_fields_that_would_not_fit():
    with transaction.atomic(), pytest.raises(ValueError, match="object_id"):
        record("edit", object_type="listversion", object_id="x" * 65)
    with transaction.atomic(), pytest.raises(ValueError, match="action"):
        record("", object_type="listversion", object_id="1")


def test_the_orm_cannot_change_or_delete_entries():
    (entry,) = write(1)
    entry.object_repr = "改过"
    with pytest.raises(AppendOnlyError, match="只能追加"):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="改过")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["object_repr"])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="x")])
    fresh = AuditEntry.objects.get(pk=entry.pk)
    with pytest.raises(AppendOnlyError):
        fresh.save()
    # a new instance given an existing pk is an INSERT, never an UPDATE
    copy = AuditEntry(**{f.attname: getattr(fresh, f.attname) for f in AuditEntry._meta.concrete_fields})
    copy.object_repr = "改过"
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), transaction.atomic():
        copy.save()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "第 0 版"
    assert verify().ok


def test_deleting_a_user_keeps_their_entries_and_the_chain():
    user = get_user_model().objects.create_user("li", password="x")
    with transaction.atomic():
        record("createuser", object_type="user", object_id=user.pk, object_repr="li", actor=user)
    user.delete()
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.actor_name) == (None, "li")
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_no_entry_and_the_chain_still_verifies():
    (first,) = write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record("publish", object_type="listversion", object_id="1")
        raise RuntimeError("the write failed")
    assert AuditEntry.objects.count() == 1
    (second,) = write(1)
    assert second.prev_hash == first.hash
    assert (verify().ok, verify().count) == (True, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database cannot take concurrent writers; see the next test")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            write(10, object_repr=f"writer {n}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = verify()
    assert (result.ok, result.count) == (True, 60)


WRITER = """
import django, sys
django.setup()
from django.db import transaction
from qingdan.core.audit import record
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        record("edit", object_type="listversion", object_id=str(i), object_repr=sys.argv[2])
"""

CHECK = """
import django, json
django.setup()
from qingdan.core.schema import ensure_schema
from qingdan.core.audit import verify
ensure_schema()
result = verify()
print(json.dumps([result.ok, result.count, result.problems]))
"""


def test_concurrent_processes_never_fork_the_chain_on_a_sqlite_file(tmp_path):
    """The production set-up: one SQLite file in WAL mode, several processes writing at once."""
    env = {k: v for k, v in os.environ.items() if k != "QINGDAN_DATABASE_URL"}
    env.update(QINGDAN_DATA=str(tmp_path), DJANGO_SETTINGS_MODULE="qingdan.settings", PYTHONPATH=str(ROOT))
    python = [sys.executable, "-c"]
    subprocess.run([*python, CHECK], env=env, check=True, capture_output=True)  # creates the schema
    writers = [
        subprocess.Popen([*python, WRITER, "15", f"writer {n}"], env=env, stderr=subprocess.PIPE)
        for n in range(4)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0] * 4, [w.stderr.read() for w in writers if w.stderr]
    done = subprocess.run([*python, CHECK], env=env, check=True, capture_output=True, text=True)
    assert json.loads(done.stdout) == [True, 60, []]


def test_import_writes_an_entry(seed_bytes):
    from qingdan.catalog.services import import_list
    from qingdan.ingest import load_bytes

    import_list(load_bytes(*seed_bytes("002")).record, "002.txt")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type) == ("import", "listversion")
    assert verify().ok


def test_the_admin_shows_the_log_read_only(admin_client):
    (entry,) = write(1)
    assert admin_client.get("/admin/core/auditentry/").status_code == 200
    assert admin_client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_changes_in_the_admin_are_audited(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "audited",
            "password1": "Xq9-long-password",
            "password2": "Xq9-long-password",
            "usable_password": "true",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-0-role": "admin",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="audited")
    actions = list(AuditEntry.objects.values_list("action", "object_type"))
    assert ("admin_add", "user") in actions and ("admin_add", "profile") in actions
    assert user.profile.role == "admin"
    assert verify().ok


def test_a_head_written_down_earlier_shows_the_end_was_cut_off():
    with transaction.atomic():
        record("edit", object_type="listversion", object_id="1")
        record("edit", object_type="listversion", object_id="2")
    head = verify().head
    assert verify(expect=head).ok
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE hash = %s", [head])  # the newest entry
    plain, anchored = verify(), verify(expect=head)
    assert plain.ok  # the chain alone cannot tell
    assert not anchored.ok and "末尾" in anchored.problems[0]


def test_every_audit_action_written_by_the_code_has_a_chinese_label():
    import re
    from pathlib import Path

    from qingdan.catalog.models import ReviewStep
    from qingdan.core.models import ACTION_LABELS

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("qingdan").rglob("*.py"))
    call = r'(?:\blog\(\s*\w+(?:\.\w+)*(?:\([^()]*\))?,\s*|_audit\(request, |if change else )"([a-z_]+)"'
    written = set(re.findall(call, source))
    written |= {code for code, _ in ReviewStep.ACTIONS}  # review steps log their action code
    assert written and "import" in written and "admin_add" in written
    assert written <= ACTION_LABELS.keys(), written - ACTION_LABELS.keys()
