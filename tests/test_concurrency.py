"""Writers at the same moment, in real processes: the registry stays the truth and the search
index catches up with it, whatever the interleaving.

`qingdan serve` runs (gunicorn and the worker it starts, QINGDAN_TASKS=database); command-line
imports (which settle their own derived work) race each other and the worker, and final
approvals arrive over HTTP at once. Afterwards every process exited cleanly, no request failed,
nothing is left owed, `qingdan reindex --check` agrees with the registry, and the web servers
find the new text. On SQLite the registry is this test's own data directory; on PostgreSQL it
is the test database, shared with the child processes (hence ``transactional_db``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

DEMO = ROOT / "examples" / "demo" / "青山县科学技术局责任清单.txt"
TASK = "起草全县科技创新中长期规划和年度工作要点"
PASSWORD = "Bingfa-Ceshi-2026-qingdan"


def _import(registry: Registry, folder: Path, n: int, mark: str, *options: str) -> subprocess.Popen[str]:
    path = _list_file(folder, n, mark)
    return registry.start("import", *options, "--department", f"青山县测试{n}局", str(path))


def _list_file(folder: Path, n: int, mark: str) -> Path:
    """The demo list as department 青山县测试N局, one task worded with ``mark``."""
    text = DEMO.read_text(encoding="utf-8").replace("青山县科学技术局", f"青山县测试{n}局", 1)
    text = text.replace(TASK, f"{TASK}（{mark}）", 1)
    path = folder / f"测试{n}局-{mark}.txt"
    path.write_text(text, encoding="utf-8")
    return path


class Registry:
    def __init__(self, data: Path, database_url: str | None) -> None:
        self.data = data
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("QINGDAN_")}
        self.env.update(QINGDAN_DATA=str(data), QINGDAN_SECRET_KEY="concurrency-test", PYTHONPATH=str(ROOT))
        if database_url:
            self.env["QINGDAN_DATABASE_URL"] = database_url
        self.database_url = database_url

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "qingdan.cli", *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str) -> str:
        out, err = self.start(*args).communicate(timeout=300)
        assert "Traceback" not in err, err
        return out

    def finish(self, procs: list[subprocess.Popen[str]]) -> None:
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, f"{proc.args}: {err}"
            assert "Traceback" not in err and "LockBusy" not in err, err

    def owed(self) -> int:
        if self.database_url:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM core_pendingwork")
                return int(cursor.fetchone()[0])
        with sqlite3.connect(self.data / "qingdan.sqlite3", timeout=30) as db:
            return int(db.execute("SELECT count(*) FROM core_pendingwork").fetchone()[0])


@pytest.fixture
def registry(tmp_path: Path, request: pytest.FixtureRequest) -> Registry:
    if os.environ.get("QINGDAN_DATABASE_URL"):
        request.getfixturevalue("transactional_db")
        from django.db import connection

        url = os.environ["QINGDAN_DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
        return Registry(tmp_path / "data", url)
    return Registry(tmp_path / "data", None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_concurrent_imports_and_approvals_leave_index_and_registry_agreeing(registry, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    registry.run("createuser", "bingfa", "--role", "admin", "--password", PASSWORD)
    token = registry.run("token", "bingfa").strip().split()[-1]
    port = _free_port()
    server = registry.start("serve", "--port", str(port), "--workers", "3")
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(f"{base}/api/v1/departments")
                break
            except OSError:
                time.sleep(0.2)
        # six pairs of command-line imports at the same moment (each pair: two new departments)
        for pair in range(6):
            registry.finish([_import(registry, files, pair * 2 + k, "甲") for k in (0, 1)])
        # four drafts brought to the last stage, then approved over HTTP at once, while two
        # departments are re-imported from the command line
        ids = {d["name"]: d["id"] for d in _get(f"{base}/api/v1/departments?limit=200")["items"]}
        for n in range(4):
            registry.finish([_import(registry, files, n, "乙", "--draft")])
            registry.run("submit", f"青山县测试{n}局", "--reason", "correction", "--basis", "并发测试")
            registry.run("approve", f"青山县测试{n}局")
        imports = [_import(registry, files, n, "丙") for n in (8, 9)]
        with ThreadPoolExecutor(4) as pool:
            codes = list(
                pool.map(
                    lambda n: _post(
                        f"{base}/api/v1/departments/{ids[f'青山县测试{n}局']}/draft/approve", token, {}
                    ),
                    range(4),
                )
            )
        registry.finish(imports)
        assert codes == [200] * 4
        for _ in range(300):
            if registry.owed() == 0:
                break
            time.sleep(0.2)
        assert registry.owed() == 0, "the worker left derived work owed"
        # what the web servers answer: the approved and the re-imported text, not the old
        for mark, departments in (("乙", range(4)), ("丙", (8, 9)), ("甲", (4, 5, 6, 7, 10, 11))):
            for _ in range(50):
                found = _get(
                    f"{base}/api/v1/search?" + urllib.parse.urlencode({"q": f"{TASK}（{mark}）", "limit": 50})
                )
                names = {hit["department"] for hit in found["hits"] if mark in hit["text"]}
                if names >= {f"青山县测试{n}局" for n in departments}:
                    break
                time.sleep(0.2)
            assert names >= {f"青山县测试{n}局" for n in departments}, (mark, names)
        # alone, with no command running to settle it: only the worker can bring this in
        registry.finish([_import(registry, files, 10, "丁", "--draft")])
        registry.run("submit", "青山县测试10局", "--reason", "correction", "--basis", "并发测试")
        registry.run("approve", "青山县测试10局")
        assert _post(f"{base}/api/v1/departments/{ids['青山县测试10局']}/draft/approve", token, {}) == 200
        for _ in range(150):
            found = _get(f"{base}/api/v1/search?" + urllib.parse.urlencode({"q": f"{TASK}（丁）"}))
            if any("丁" in hit["text"] for hit in found["hits"]):
                break
            time.sleep(0.2)
        assert any("丁" in hit["text"] for hit in found["hits"]), "the worker did not index the approval"
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert "Traceback" not in err, err
    check = registry.start("reindex", "--check")
    out, err = check.communicate(timeout=300)
    assert check.returncode == 0 and "一致" in out, out + err
