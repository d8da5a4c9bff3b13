"""Sign-in throttling and the password policy: guessing a password stops after a few tries, an
administrator can lift a lock, and staff passwords must be long and unusual."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from qingdan.cli import DEMO_PASSWORD, DEMO_USERS, main
from qingdan.core.accounts import check_password_policy
from qingdan.core.models import AuditEntry, LoginAttempt
from tests.conftest import password_of

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1", path: str = "/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def guess(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for i in range(times):
        assert sign_in(client, username, f"wrong-{i}", address).status_code == 200


def test_it_locks_an_account_after_five_failures_even_for_the_right_password(staff, client):
    guess(client, "filler", 4)
    assert sign_in(client, "filler", password_of("filler")).status_code == 302  # 4 failures: not yet
    client.logout()
    guess(client, "filler", 5)
    page = sign_in(client, "filler", password_of("filler")).content.decode()
    assert "登录失败次数过多，已暂时锁定" in page and "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(username="filler", succeeded=False).count() == 10
    # another account from the same address is not affected
    assert sign_in(client, "legal", password_of("legal")).status_code == 302


def test_the_admin_sign_in_is_locked_too(staff, client):
    guess(client, "admin", 5)
    page = sign_in(client, "admin", password_of("admin"), path="/admin/login/").content.decode()
    assert "已暂时锁定" in page and "_auth_user_id" not in client.session


def test_a_lock_ends_after_its_time(staff, client, settings):
    guess(client, "filler", 5)
    assert sign_in(client, "filler", password_of("filler")).status_code == 200
    past = timezone.now() - timedelta(minutes=settings.QINGDAN_LOGIN_LOCK_MINUTES + 1)
    LoginAttempt.objects.filter(username="filler").update(at=past)
    assert sign_in(client, "filler", password_of("filler")).status_code == 302


def test_it_locks_an_address_that_tries_many_accounts(staff, client, settings):
    settings.QINGDAN_LOGIN_ADDRESS_FAILURES = 6
    for name in ("a", "b", "c", "d", "e", "f"):
        guess(client, name, 1, address="10.9.9.9")
    page = sign_in(client, "filler", password_of("filler"), address="10.9.9.9").content.decode()
    assert "您所在的地址登录失败次数过多" in page
    assert sign_in(client, "filler", password_of("filler"), address="10.1.1.1").status_code == 302


def test_behind_the_proxy_the_forwarded_address_counts(staff, client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.post(
        "/login/",
        {"username": "filler", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2",
    )
    assert LoginAttempt.objects.get().address == "198.51.100.2"


def test_an_administrator_unlocks_from_the_command_line(staff, client):
    guess(client, "filler", 5)
    result = CliRunner().invoke(main, ["unlock", "filler"])
    assert result.exit_code == 0 and "已解除账号「filler」的锁定" in result.output
    assert sign_in(client, "filler", password_of("filler")).status_code == 302
    entry = AuditEntry.objects.get(action="unlock")
    assert entry.action_label == "解除账号登录锁定" and entry.before["failures"] == 5
    again = CliRunner().invoke(main, ["unlock", "filler"])
    assert again.exit_code == 1 and "没有被锁定" in again.output


def test_an_administrator_unlocks_an_address_on_the_locks_page(staff, client, settings):
    settings.QINGDAN_LOGIN_ADDRESS_FAILURES = 3
    for name in ("a", "b", "c"):
        guess(client, name, 1, address="10.9.9.9")
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    page = admin.get("/work/locks/").content.decode()
    assert "10.9.9.9" in page and "解除锁定" in page
    done = admin.post("/work/locks/", {"address": "10.9.9.9"}, follow=True).content.decode()
    assert "已解除地址「10.9.9.9」的锁定" in done
    assert AuditEntry.objects.filter(action="unlock_address", object_id="10.9.9.9").exists()
    assert sign_in(client, "filler", password_of("filler"), address="10.9.9.9").status_code == 302


# --- the password policy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("1", "密码长度太短"),
        ("12345678901", "只包含数字"),
        ("password123", "太常见"),
        ("zhangsan-01", "太相似"),
    ],
)
def test_createuser_refuses_a_weak_password_in_chinese(staff, password, words):
    args = ["createuser", "zhangsan", "--role", "admin", "--password", password]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "密码不符合要求" in result.output and words in result.output, (
        result.output
    )
    assert not get_user_model().objects.filter(username="zhangsan").exists()


def test_the_password_command_sets_a_password_within_the_policy(staff, client):
    weak = CliRunner().invoke(main, ["password", "filler", "--password", "1"])
    assert weak.exit_code == 1 and "密码长度太短" in weak.output
    strong = CliRunner().invoke(main, ["password", "filler", "--password", "Lq-7-longer-one"])
    assert strong.exit_code == 0, strong.output
    assert sign_in(client, "filler", "Lq-7-longer-one").status_code == 302
    assert AuditEntry.objects.filter(action="password_set").exists()
    other = CliRunner().invoke(main, ["--user", "legal", "password", "filler", "--password", "Lq-7-x-longer"])
    assert other.exit_code == 1 and "无权" in other.output


def test_the_password_change_page_refuses_a_weak_password_in_chinese(staff, client):
    client.force_login(get_user_model().objects.get(username="filler"))
    form = {"old_password": password_of("filler"), "new_password1": "1", "new_password2": "1"}
    page = client.post("/work/password/", form).content.decode()
    assert "密码长度太短" in page and "只包含数字" in page


def test_the_admin_refuses_a_weak_password_in_chinese(staff):
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    form = {
        "username": "newcomer",
        "password1": "1",
        "password2": "1",
        "usable_password": "true",
        "profile-TOTAL_FORMS": "0",
        "profile-INITIAL_FORMS": "0",
    }
    page = admin.post("/admin/auth/user/add/", form).content.decode()
    assert "密码长度太短" in page
    assert not get_user_model().objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(("username", "role", "department", "label"), DEMO_USERS)
def test_the_demo_users_pass_the_policy(username, role, department, label):
    check_password_policy(DEMO_PASSWORD, get_user_model()(username=username))
