"""Shared fixtures: the real seed documents and a registry to import into.

The suite runs against SQLite by default and against PostgreSQL when QINGDAN_DATABASE_URL is
set (the Makefile's `test` target runs both)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QINGDAN_DATA", tempfile.mkdtemp(prefix="qingdan-test-"))


def pytest_configure(config: pytest.Config) -> None:
    """pytest-django reads the settings before this file runs, so without this the tests would
    share the user's data directory (and its search index lock) with every other run."""
    from django.conf import settings

    settings.DATA_DIR = Path(os.environ["QINGDAN_DATA"])
    # derived work (index, checks) runs in the test's own process, as on the command line;
    # tests/test_concurrency.py runs the real worker process with the database backend
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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


XIANGYIN_KEJI = "湘阴县科技局"


@pytest.fixture(autouse=True, scope="session")
def _own_data_dir():
    """pytest-django imports the settings before this file sets QINGDAN_DATA, so DATA_DIR would
    be the user's ~/.local/share/qingdan — and two test runs at once (two worktrees) would share
    one search index and fail on its writer lock. Point it at this run's own directory."""
    from django.conf import settings

    from qingdan.search import get_backend

    settings.DATA_DIR = Path(os.environ["QINGDAN_DATA"])
    get_backend.cache_clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users need no slow key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(seed_bytes):
    """Seed 002 (湘阴县科技局) and 000 (鹿泉区, another jurisdiction) published, and one user of
    each role: ``staff["filler"]`` is 湘阴县科技局's 填报员, ``filler_other`` 鹿泉区's, and so on."""
    from qingdan.catalog.services import import_list
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Department
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.ingest import load_bytes

    import_list(load_bytes(*seed_bytes("002")).record)
    name, data = seed_bytes("000")
    import_list(load_bytes(name, data, department=LUQUAN_KEGONG).record)
    xiangyin = Department.objects.get(name=XIANGYIN_KEJI)
    luquan = Department.objects.get(name=LUQUAN_KEGONG)
    roles = {
        "filler": ("filler", xiangyin, None),
        "filler_other": ("filler", luquan, None),
        "legal": ("legal", xiangyin, None),
        "legal_other": ("legal", luquan, None),
        "approver": ("approver", xiangyin, None),
        "admin": ("admin", None, None),
    }
    for username, (role, dept, place) in roles.items():
        create_user(COMMAND_LINE, username, role, dept, place, password=password_of(username))
    return {"department": xiangyin, "other": luquan, "password": password_of}


def password_of(username: str) -> str:
    """A test user's password (long and unusual enough for the password policy)."""
    return f"pw-{username}-2026-qingdan"


def actor(username: str):
    """The service-layer actor of a test user."""
    from qingdan.core.accounts import actor_named

    return actor_named(username)


# --- the real browser: Debian's chromium driven by Playwright ------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER = [  # the marks of a browser test module
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("QINGDAN_REQUIRE_BROWSER"),
        reason="Debian's chromium is not installed (CI sets QINGDAN_REQUIRE_BROWSER so this fails there instead)",
    ),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        tab = context.new_page()
        tab.base_url = live_server.url  # type: ignore[attr-defined]
        yield tab
        browser.close()


def refuse(name: str, data: bytes) -> str:
    """The message a reader refuses ``data`` with; any exception but IngestError fails the test."""
    from qingdan.ingest.problems import IngestError
    from qingdan.ingest.readers import read_bytes

    with pytest.raises(IngestError) as exc:
        read_bytes(name, data)
    message = str(exc.value)
    assert message.startswith(f"「{name}」")
    return message
