"""Security headers on every page, HSTS behind the HTTPS proxy, and a data directory only its
owner can read."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS
    assert client.get("/api/v1/departments")["Content-Security-Policy"]


def test_behind_the_https_proxy_pages_send_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_the_https_proxy_setting_turns_hsts_on():
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qingdan.settings", "QINGDAN_HTTPS_PROXY": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "31536000", out.stderr


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_directory_is_readable_by_its_owner_only(tmp_path):
    data = tmp_path / "new" / "qingdan"
    env = {k: v for k, v in os.environ.items() if k not in ("QINGDAN_DATABASE_URL", "QINGDAN_SECRET_KEY")}
    env["QINGDAN_DATA"] = str(data)
    done = subprocess.run(
        [sys.executable, "-m", "qingdan.cli", "list"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert mode(data) == 0o700
    assert mode(data / "secret_key") == 0o600
    assert mode(data / "qingdan.sqlite3") == 0o600
    with sqlite3.connect(data / "qingdan.sqlite3") as db:  # WAL mode: its companions too
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        assert mode(data / "qingdan.sqlite3-wal") == 0o600
