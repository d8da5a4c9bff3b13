"""Behind an HTTPS proxy (QINGDAN_HTTPS_PROXY=1) the staff's sign-in works and its cookies are secure."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import ROOT, password_of


def test_the_https_proxy_setting():
    code = (
        "from django.conf import settings;"
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE, settings.CSRF_TRUSTED_ORIGINS)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qingdan.settings",
        "QINGDAN_HTTPS_PROXY": "1",
        "QINGDAN_TRUSTED_ORIGINS": "https://a.example, https://b.example",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (
        out.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') True ['https://a.example', 'https://b.example']"
    )


@pytest.mark.django_db
def test_signing_in_through_an_https_proxy_passes_the_csrf_origin_check(settings, staff):
    def sign_in() -> int:
        client = Client(enforce_csrf_checks=True)
        client.get("/login/")
        token = client.cookies["csrftoken"].value
        form = {"username": "filler", "password": password_of("filler"), "csrfmiddlewaretoken": token}
        proxied = {
            "HTTP_HOST": "qingdan.example.gov.cn",  # what the proxy passes on
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_ORIGIN": "https://qingdan.example.gov.cn",
        }
        return client.post("/login/", form, **proxied).status_code

    assert sign_in() == 403  # an https Origin on what Django sees as plain http
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert sign_in() == 302
