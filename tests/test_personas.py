"""Every role against every action, on the web, the API and the command line: allowed or refused,
as it should be. "Allowed" is judged by the effect in the database, not by the response, so a
view that answered 200 without doing anything would fail here.

Each attempt runs inside a savepoint that is rolled back, so every role starts from the same state.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from qingdan.catalog.editing import Edit, edit_draft, start_draft
from qingdan.catalog.models import ListVersion
from qingdan.catalog.review import approve, submit
from qingdan.catalog.services import record_of
from qingdan.checks.models import Finding, FindingDecision
from qingdan.checks.services import run_checks
from qingdan.cli import main
from qingdan.core.accounts import create_token
from qingdan.core.models import ApiToken, AuditEntry, Department, LoginAttempt
from qingdan.core.permissions import COMMAND_LINE
from qingdan.core.signin import account_lock
from qingdan.deadlines.models import CalendarDay
from qingdan.laws.models import LawChangeReminder
from qingdan.laws.services import find_law, repeal_law
from tests.conftest import actor, password_of

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "filler", "filler_other", "legal", "legal_other", "approver", "admin"]
EDITORS = {"filler", "admin"}
EXPECTED = {
    "view_draft": {"filler", "legal", "approver", "admin"},
    "start_draft": EDITORS,
    "edit": EDITORS,
    "import": EDITORS,
    "submit": EDITORS,
    "approve_legal": {"legal", "admin"},
    "approve_final": {"approver", "admin"},
    "return": {"legal", "admin"},
    "audit_log": {"admin"},
    "createuser": {"admin"},
    "decide": {"legal", "approver", "admin"},
    "admin_site": {"admin"},
    "succession": {"admin"},
    "token_for_filler_other": {"filler_other", "admin"},
    "import_renamed": {"admin"},
    "import_power_export": {"admin"},
    "unlock": {"admin"},
    "law_repeal": {"admin"},
    "law_link": {"admin"},
    "law_reminder_start": EDITORS,
    "calendar_view": {"filler", "filler_other", "legal", "legal_other", "approver", "admin"},
    "calendar_edit": {"admin"},
}
# the state each action starts from
STATE = {
    "view_draft": "draft",
    "start_draft": "published",
    "edit": "draft",
    "import": "draft",
    "submit": "draft",
    "approve_legal": "submitted",
    "approve_final": "legal_approved",
    "return": "submitted",
    "audit_log": "published",
    "createuser": "published",
    "decide": "checked",
    "admin_site": "published",
    "succession": "published",
    "token_for_filler_other": "published",
    "import_renamed": "draft",
    "import_power_export": "published",
    "unlock": "locked",
    "law_repeal": "published",
    "law_link": "published",
    "law_reminder_start": "law_reminder",
    "calendar_view": "published",
    "calendar_edit": "published",
}


def prepare(department, state: str) -> None:
    if state == "locked":
        for _ in range(5):
            LoginAttempt.objects.create(username="filler_other", address="10.0.0.9")
        return
    if state == "checked":
        run_checks(department.versions.published().get())
    if state == "law_reminder":
        law_reminder(department)
        return
    if state in ("published", "checked"):
        return
    admin = actor("admin")
    draft = start_draft(admin, department)
    draft = edit_draft(admin, draft, draft.revision, Edit("add", "duties", {"text": "负责人员测试职责"}))
    if state in ("submitted", "legal_approved"):
        draft = submit(admin, draft, "other", "人员测试")
    if state == "legal_approved":
        approve(admin, draft)


def open_version(department) -> ListVersion | None:
    return department.versions.unpublished().first()


def effect(action: str, department) -> bool:
    """Did the action happen?"""
    version = open_version(department)
    status = version.status if version else None
    if action == "start_draft":
        return status == ListVersion.DRAFT
    if action == "edit":
        return any(u.name == "人员测试股" for u in record_of(version).units)
    if action == "import":
        return version.source_name == "persona.json"
    if action == "submit":
        return status == ListVersion.LEGAL_REVIEW
    if action == "approve_legal":
        return status == ListVersion.APPROVAL_REVIEW
    if action == "approve_final":
        return department.versions.published().count() == 2
    if action == "return":
        return status == ListVersion.DRAFT
    if action == "createuser":
        return get_user_model().objects.filter(username="newcomer").exists()
    if action == "decide":
        return FindingDecision.objects.filter(department=department).exists()
    if action == "succession":
        return department.predecessors.exists()
    if action == "token_for_filler_other":
        return ApiToken.objects.filter(user__username="filler_other").exists()
    if action == "import_renamed":
        return version.stated_department == OLD_NAME
    if action == "import_power_export":
        return Department.objects.filter(name="西安市公安局").exists()
    if action == "unlock":
        return account_lock("filler_other") is None
    if action == "law_repeal":
        return find_law("预算法").repealed_on is not None
    if action == "law_link":
        return find_law("公路安全保护条例").citations.exists()
    if action == "law_reminder_start":
        return LawChangeReminder.objects.filter(department=department, status="drafted").exists()
    if action == "calendar_edit":
        return CalendarDay.objects.filter(date="2027-01-04", name="人员测试").exists()
    raise AssertionError(action)


def law_reminder(department) -> LawChangeReminder:
    """A 依据变更提醒 for the department: its list (as if published in 2024) cites 专利法, repealed."""
    import datetime as dt

    from qingdan.core import outbox

    ListVersion.objects.update(published_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    repeal_law(COMMAND_LINE, find_law("专利法"), dt.date(2025, 6, 1))
    outbox.settle()
    return LawChangeReminder.objects.get(department=department)


OLD_NAME = "湘阴县旧科技局"


def renamed_file(department) -> bytes:
    """The department's list as a file that states its (fictional) name before a rename."""
    record = record_of(department.versions.published().get())
    record.duties[0].text += "（更名前）"
    return json.dumps({**record.to_json(), "department": OLD_NAME}, ensure_ascii=False).encode()


def power_export() -> bytes:
    from tests.test_power_exports import as_jsonl, city_export

    return as_jsonl(city_export())


def finding_of(department) -> Finding:
    return Finding.objects.filter(version__department=department).first()


def persona_file(department) -> bytes:
    record = record_of(department.versions.published().get())
    record.duties[0].text += "（人员测试导入）"
    return json.dumps(record.to_json(), ensure_ascii=False).encode()


def matrix(staff, attempt: Callable[[str, str], bool | None], actions: list[str], roles: list[str]):
    """{action: roles allowed}, trying each action for each role from a fresh state."""
    department = staff["department"]
    allowed: dict[str, set[str]] = {a: set() for a in actions}
    for action in actions:
        for role in roles:
            sid = transaction.savepoint()
            try:
                prepare(department, STATE[action])
                result = attempt(action, role)
                if result is None:
                    result = effect(action, department)
                if result:
                    allowed[action].add(role)
            finally:
                transaction.savepoint_rollback(sid)
    return allowed


def expected(actions: list[str], roles: list[str]) -> dict[str, set[str]]:
    return {a: EXPECTED[a] & set(roles) for a in actions}


def test_web(staff, client, tmp_path):
    department = staff["department"]
    users = {u.username: u for u in get_user_model().objects.all()}
    base = f"/work/d/{department.pk}/"

    def attempt(action: str, role: str) -> bool | None:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        if action == "view_draft":
            return client.get(base).status_code == 200
        if action == "audit_log":
            return client.get("/work/audit/").status_code == 200
        if action == "admin_site":
            return client.get("/admin/").status_code == 200
        if action == "decide":
            form = {"department": department.pk, "fingerprint": finding_of(department).fingerprint}
            client.post("/check/decide", {**form, "status": "accepted", "next": "/"})
            return None
        if action == "createuser":
            client.post(
                "/admin/auth/user/add/",
                {
                    "username": "newcomer",
                    "password1": "Xq9-long-password",
                    "password2": "Xq9-long-password",
                    "usable_password": "true",
                    "profile-TOTAL_FORMS": "0",
                    "profile-INITIAL_FORMS": "0",
                },
            )
            return None
        if action == "unlock":
            client.post("/work/locks/", {"username": "filler_other"})
            return None
        if action == "succession":
            client.post(
                "/work/succession/", {"successor": department.pk, "predecessors": [staff["other"].pk]}
            )
            return None
        if action == "law_repeal":
            client.post(
                f"/work/laws/{find_law('预算法').pk}/", {"action": "repeal", "repealed": "2025-01-01"}
            )
            return None
        if action == "law_link":
            client.post("/work/laws/unresolved/", {"title": "安全保护条例", "law": "公路安全保护条例"})
            return None
        if action == "law_reminder_start":
            client.post(f"/work/reminders/{LawChangeReminder.objects.get(department=department).pk}/")
            return None
        if action == "calendar_view":
            return client.get("/work/calendar/?year=2026").status_code == 200
        if action == "calendar_edit":
            form = {"action": "set", "date": "2027-01-04", "kind": "holiday", "name": "人员测试"}
            client.post("/work/calendar/", form)
            return None
        version = open_version(department)
        revision = version.revision if version else 0
        if action == "start_draft":
            client.post(base)
        elif action == "edit":
            client.post(
                base + "item",
                {"add": "units", "revision": revision, "name": "人员测试股", "kind": "内设机构"},
            )
        elif action == "import":
            upload = tmp_path / "persona.json"
            upload.write_bytes(persona_file(department))
            with upload.open("rb") as fh:
                client.post(base + "import", {"file": fh})
        elif action == "submit":
            client.post(base + "act", {"action": "submit", "reason": "other", "basis": "测试依据"})
        elif action in ("approve_legal", "approve_final"):
            client.post(base + "act", {"action": "approve", "comment": "同意"})
        elif action == "return":
            client.post(base + "act", {"action": "return", "comment": "请修改"})
        elif action == "import_renamed":
            upload = tmp_path / "renamed.json"
            upload.write_bytes(renamed_file(department))
            with upload.open("rb") as fh:
                client.post(base + "import", {"file": fh, "renamed": "1"})
        elif action == "import_power_export":
            upload = tmp_path / "西安市权责清单.jsonl"
            upload.write_bytes(power_export())
            with upload.open("rb") as fh:
                form = {"file": fh, "action": "import", "department": "西安市文化和旅游局"}
                client.post("/work/import/", form)
        return None

    actions = [a for a in EXPECTED if a != "token_for_filler_other"]
    assert matrix(staff, attempt, actions, ROLES) == expected(actions, ROLES)


def test_api(staff, client):
    department = staff["department"]
    tokens = {r: create_token(COMMAND_LINE, r) for r in ROLES if r != "anonymous"}
    base = f"/api/v1/departments/{department.pk}/draft"

    def attempt(action: str, role: str) -> bool | None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}

        def post(path: str, body: dict) -> int:
            return client.post(path, json.dumps(body), content_type="application/json", **headers).status_code

        if action == "view_draft":
            return client.get(base, **headers).status_code == 200
        if action == "succession":
            post("/api/v1/successions", {"successor": department.pk, "predecessors": [staff["other"].pk]})
            return None
        if action == "calendar_edit":
            post("/api/v1/calendar/days", {"date": "2027-01-04", "kind": "holiday", "name": "人员测试"})
            return None
        version = open_version(department)
        if action == "start_draft":
            post(base, {})
        elif action == "edit":
            body = {
                "revision": version.revision,
                "op": "add",
                "path": "units",
                "values": {"name": "人员测试股"},
            }
            post(base + "/edits", body)
        elif action == "import":
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("persona.json", persona_file(department))
            client.post(base + "/import", {"file": upload}, **headers)
        elif action == "submit":
            post(base + "/submit", {"reason": "other", "basis": "测试依据"})
        elif action in ("approve_legal", "approve_final"):
            post(base + "/approve", {"comment": "同意"})
        elif action == "return":
            post(base + "/return", {"comment": "请修改"})
        elif action == "import_renamed":
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("renamed.json", renamed_file(department))
            client.post(base + "/import", {"file": upload, "rename_from": OLD_NAME}, **headers)
        elif action == "import_power_export":
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("x.jsonl", power_export())
            client.post("/api/v1/imports", {"file": upload, "department": "西安市文化和旅游局"}, **headers)
        return None

    web_or_cli_only = (
        "audit_log",
        "createuser",
        "decide",
        "admin_site",
        "token_for_filler_other",
        "unlock",
        "law_repeal",
        "law_link",
        "law_reminder_start",
        "calendar_view",  # the calendar's API is public: GET /api/v1/calendar/{year}
    )
    actions = [a for a in EXPECTED if a not in web_or_cli_only]
    assert matrix(staff, attempt, actions, ROLES) == expected(actions, ROLES)


def test_api_refusals_have_the_right_status(staff, client):
    department = staff["department"]
    base = f"/api/v1/departments/{department.pk}/draft"
    response = client.post(base, "{}", content_type="application/json")
    assert response.status_code == 401 and "令牌" in response.json()["error"]["message"]
    other = create_token(COMMAND_LINE, "filler_other")
    response = client.post(base, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert response.status_code == 403 and "无权" in response.json()["error"]["message"]
    token = create_token(COMMAND_LINE, "filler")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    draft = client.post(base, "{}", content_type="application/json", **auth).json()
    body = {"revision": draft["revision"] - 1, "op": "add", "path": "units", "values": {"name": "迟到的科室"}}
    response = client.post(base + "/edits", json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 409 and "没有保存" in response.json()["error"]["message"]


def test_cli(staff, tmp_path):
    department = staff["department"]
    upload = tmp_path / "persona.json"

    def attempt(action: str, role: str) -> bool | None:
        user = [] if role == "admin_default" else ["--user", role]
        if action == "view_draft":
            version = open_version(department)
            args = ["diff", department.name, "--to", str(version.number)]
        elif action == "import":
            upload.write_bytes(persona_file(department))
            args = ["import", "--draft", str(upload)]
        elif action == "submit":
            args = ["submit", department.name, "--reason", "other", "--basis", "测试依据"]
        elif action in ("approve_legal", "approve_final"):
            args = ["approve", department.name, "--comment", "同意"]
        elif action == "return":
            args = ["return", department.name, "--comment", "请修改"]
        elif action == "createuser":
            args = ["createuser", "newcomer", "--role", "filler", "--department", department.name]
        elif action == "decide":
            args = ["decide", department.name, finding_of(department).fingerprint, "--accept"]
        elif action == "succession":
            args = ["succession", department.name, staff["other"].name]
        elif action == "token_for_filler_other":
            args = ["token", "filler_other"]
        elif action == "unlock":
            args = ["unlock", "filler_other"]
        elif action == "audit_log":
            args = ["audit", "list"]
        elif action == "law_repeal":
            args = ["laws", "repeal", "预算法", "--date", "2025-01-01"]
        elif action == "law_link":
            args = ["laws", "link", "安全保护条例", "公路安全保护条例"]
        elif action == "calendar_view":
            args = ["calendar", "show", "2026"]
        elif action == "calendar_edit":
            args = ["calendar", "set", "2027-01-04", "--holiday", "人员测试"]
        elif action == "import_renamed":
            upload.write_bytes(renamed_file(department))
            args = [
                "import",
                "--draft",
                str(upload),
                "--department",
                department.name,
                "--rename-from",
                OLD_NAME,
            ]
        elif action == "import_power_export":
            export = tmp_path / "西安市权责清单.jsonl"
            export.write_bytes(power_export())
            args = ["import", str(export), "--department", "西安市文化和旅游局"]
        result = CliRunner().invoke(main, user + args)
        if action in ("view_draft", "audit_log", "calendar_view"):
            return result.exit_code == 0
        return None

    actions = [
        "view_draft",
        "import",
        "submit",
        "approve_legal",
        "approve_final",
        "return",
        "createuser",
        "decide",
        "succession",
        "token_for_filler_other",
        "import_renamed",
        "import_power_export",
        "unlock",
        "audit_log",
        "law_repeal",
        "law_link",
        "calendar_view",
        "calendar_edit",
    ]
    roles = [r for r in ROLES if r != "anonymous"] + ["admin_default"]
    EXPECTED_CLI = {a: (EXPECTED[a] | {"admin_default"}) for a in actions}
    assert matrix(staff, attempt, actions, roles) == EXPECTED_CLI


def test_cli_user_must_exist(staff):
    result = CliRunner().invoke(
        main, ["--user", "nobody", "submit", "湘阴县科技局", "--reason", "other", "--basis", "x"]
    )
    assert result.exit_code == 1 and "没有用户「nobody」" in result.output


def test_staff_change_their_own_password(staff, client):
    user = get_user_model().objects.get(username="filler")
    client.force_login(user)
    wrong = client.post("/work/password/", {"old_password": "x", "new_password1": "a", "new_password2": "b"})
    assert wrong.status_code == 200 and "原密码" in wrong.content.decode()
    new = "Qd-2026-long-enough"
    done = client.post(
        "/work/password/", {"old_password": password_of("filler"), "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEntry.objects.filter(action="password_change", object_id=str(user.pk)).exists()


def test_the_token_api_works_with_csrf_checks_on(staff):
    """Browsers' forms need a CSRF token; API clients with a bearer token do not."""
    token = create_token(COMMAND_LINE, "filler")
    strict = Client(enforce_csrf_checks=True)
    url = f"/api/v1/departments/{staff['department'].pk}/draft"
    response = strict.post(url, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    user = get_user_model().objects.get(username="filler")
    strict.force_login(user)
    assert strict.post(f"/work/d/{staff['department'].pk}/act", {"action": "submit"}).status_code == 403


# --- 行政执法责任制 (#11): import by the department's editors, read by anyone --------------------

RESPONSIBILITY_EXPECTED = {"import_responsibility": EDITORS, "view_responsibility": set(ROLES)}


def _responsibility_imported(department) -> bool:
    from qingdan.enforcement.models import ResponsibilitySystem

    return ResponsibilitySystem.objects.filter(department=department).exists()


def test_responsibility_web_and_cli(staff, client, tmp_path):
    from qingdan.enforcement.responsibility import import_responsibility, read_file
    from tests.conftest import seed

    department, path = staff["department"], seed("003")
    users = {u.username: u for u in get_user_model().objects.all()}
    allowed: dict[str, set[str]] = {a: set() for a in RESPONSIBILITY_EXPECTED}
    for role in ROLES:
        for action in RESPONSIBILITY_EXPECTED:
            sid = transaction.savepoint()
            try:
                client.logout()
                if role != "anonymous":
                    client.force_login(users[role])
                if action == "view_responsibility":
                    record = read_file(path.name, path.read_bytes())
                    import_responsibility(COMMAND_LINE, department, record, path.name)
                    ok = client.get(f"/d/{department.pk}/responsibility/").status_code == 200
                    ok &= client.get(f"/api/v1/departments/{department.pk}/responsibility").status_code == 200
                else:
                    with path.open("rb") as fh:
                        client.post(f"/work/d/{department.pk}/responsibility/", {"file": fh})
                    ok = _responsibility_imported(department)
                if ok:
                    allowed[action].add(role)
            finally:
                transaction.savepoint_rollback(sid)
    assert allowed == RESPONSIBILITY_EXPECTED

    imported_by = set()
    for role in [r for r in ROLES if r != "anonymous"]:
        sid = transaction.savepoint()
        try:
            args = ["--user", role, "import", str(path), "--department", department.name]
            CliRunner().invoke(main, args)
            if _responsibility_imported(department):
                imported_by.add(role)
        finally:
            transaction.savepoint_rollback(sid)
    assert imported_by == EDITORS


# --- people, posts and the responsibility matrix (qingdan/enforcement) ---------------------

STAFF_EXPECTED = {
    "public_matrix": set(ROLES),
    "staff_view": {"filler", "legal", "approver", "admin"},
    "staff_matrix": {"filler", "legal", "approver", "admin"},
    "staff_import": EDITORS,
    "officer_save": EDITORS,
    "officer_remove": EDITORS,
    "post_save": EDITORS,
    "leader_save": EDITORS,
}
STAFF_CSV = (
    "姓名,科室,岗位,执法证号,证件有效期至,法律职业资格\n张明,办公室,综合执法岗,43062420001,2030-06-20,是\n"
)


def staff_matrix_of(staff, attempt: Callable[[str, str], bool | None], actions: list[str], roles: list[str]):
    """Like ``matrix``: each action for each role from the same state (one officer in one post)."""
    from qingdan.enforcement.staff_import import import_staff

    department = staff["department"]
    allowed: dict[str, set[str]] = {a: set() for a in actions}
    for action in actions:
        for role in roles:
            sid = transaction.savepoint()
            try:
                import_staff(actor("admin"), department, "名册.csv", STAFF_CSV.encode())
                result = attempt(action, role)
                if result is None:
                    result = staff_effect(action, department)
                if result:
                    allowed[action].add(role)
            finally:
                transaction.savepoint_rollback(sid)
    return allowed


def staff_effect(action: str, department) -> bool:
    from qingdan.enforcement.models import Leader, Officer, Post

    if action == "staff_import":
        return Officer.objects.filter(department=department, name="李华").exists()
    if action == "officer_save":
        return Officer.objects.filter(department=department, name="王芳").exists()
    if action == "officer_remove":
        return not Officer.objects.filter(department=department).exists()
    if action == "post_save":
        return Post.objects.filter(department=department, name="人员测试岗").exists()
    if action == "leader_save":
        return Leader.objects.filter(department=department, name="刘局长").exists()
    return False


def test_staff_web(staff, client):
    from qingdan.enforcement.models import Officer

    department = staff["department"]
    users = {u.username: u for u in get_user_model().objects.all()}
    base = f"/work/staff/{department.pk}/"

    def attempt(action: str, role: str) -> bool | None:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        if action == "public_matrix":
            return client.get(f"/d/{department.pk}/matrix/").status_code == 200
        if action == "staff_view":
            return client.get(base).status_code == 200
        if action == "staff_matrix":
            return client.get(base + "matrix/?person=张明").status_code == 200
        if action == "staff_import":
            from django.core.files.uploadedfile import SimpleUploadedFile

            body = STAFF_CSV.replace("张明", "李华").replace("43062420001", "43062420002")
            client.post(base, {"action": "import", "file": SimpleUploadedFile("名册.csv", body.encode())})
        elif action == "officer_save":
            client.post(
                base, {"action": "officer_save", "name": "王芳", "unit": "办公室", "status": "active"}
            )
        elif action == "officer_remove":
            client.post(base, {"action": "officer_remove", "pk": Officer.objects.get(name="张明").pk})
        elif action == "post_save":
            client.post(base, {"action": "post_save", "unit": "办公室", "name": "人员测试岗", "items": ""})
        elif action == "leader_save":
            client.post(
                base, {"action": "leader_save", "name": "刘局长", "title": "副局长", "units": ["办公室"]}
            )
        return None

    actions = list(STAFF_EXPECTED)
    assert staff_matrix_of(staff, attempt, actions, ROLES) == {a: STAFF_EXPECTED[a] for a in actions}


def test_staff_api(staff, client):
    department = staff["department"]
    tokens = {r: create_token(COMMAND_LINE, r) for r in ROLES if r != "anonymous"}

    def attempt(action: str, role: str) -> bool | None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
        response = client.get(f"/api/v1/departments/{department.pk}/staff", **headers)
        return response.status_code == 200 and response.json()["officers"][0]["name"] == "张明"

    assert staff_matrix_of(staff, attempt, ["staff_view"], ROLES) == {
        "staff_view": STAFF_EXPECTED["staff_view"]
    }


def test_staff_cli(staff, tmp_path):
    department = staff["department"]
    upload = tmp_path / "名册.csv"
    upload.write_bytes(STAFF_CSV.replace("张明", "李华").replace("43062420001", "43062420002").encode())

    def attempt(action: str, role: str) -> bool | None:
        user = [] if role == "admin_default" else ["--user", role]
        if action == "staff_view":
            args = ["staff", "show", department.name, "--json"]
        elif action == "staff_matrix":
            args = ["matrix", department.name, "--person", "张明"]
        else:
            args = ["staff", "import", str(upload), "--department", department.name]
        result = CliRunner().invoke(main, user + args)
        if action in ("staff_view", "staff_matrix"):
            return result.exit_code == 0 and "张明" in result.output
        return None

    actions = ["staff_view", "staff_matrix", "staff_import"]
    roles = [r for r in ROLES if r != "anonymous"] + ["admin_default"]
    assert staff_matrix_of(staff, attempt, actions, roles) == {
        a: STAFF_EXPECTED[a] | {"admin_default"} for a in actions
    }


# --- 执法文书与模板: who may make and download a case's documents, who may upload templates ------

DOCUMENT_EXPECTED = {
    # anyone who may see the department's cases: its 填报员, the reviewers of its jurisdiction, admins
    "document_make": {"filler", "legal", "approver", "admin"},
    "document_download": {"filler", "legal", "approver", "admin"},
    "template_upload_own": EDITORS,  # the department's own template: its 填报员 or an administrator
    "template_upload_shared": {"admin"},
    "template_remove_own": EDITORS,
}


def documents_matrix_of(
    staff, attempt: Callable[[str, str], bool | None], actions: list[str], roles: list[str]
):
    """Each document action for each role, from the same state: a decided case with one
    document already made, and the department's own template of the 决定书 uploaded."""
    from qingdan.cases.document_forms import default_template
    from qingdan.cases.documents import make_document, upload_template
    from qingdan.cases.models import CaseDocument, DocumentTemplate
    from tests.test_case_documents import full_case

    department = staff["department"]
    allowed: dict[str, set[str]] = {a: set() for a in actions}
    for action in actions:
        for role in roles:
            sid = transaction.savepoint()
            try:
                case = full_case(department)
                make_document(actor("admin"), case, "closure_report")
                upload_template(
                    actor("admin"),
                    "closure_report",
                    "本局.docx",
                    default_template("closure_report"),
                    department,
                )
                result = attempt(action, role, case)
                if result is None:
                    result = {
                        "document_make": CaseDocument.objects.filter(kind="decision").exists(),
                        "template_upload_own": DocumentTemplate.objects.filter(
                            department=department, kind="decision"
                        ).exists(),
                        "template_upload_shared": DocumentTemplate.objects.filter(department=None).exists(),
                        "template_remove_own": not DocumentTemplate.objects.filter(
                            department=department
                        ).exists(),
                    }[action]
                if result:
                    allowed[action].add(role)
            finally:
                transaction.savepoint_rollback(sid)
    return allowed


def _template_bytes() -> bytes:
    from qingdan.cases.document_forms import default_template

    return default_template("decision")


def test_documents_web(staff, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    department = staff["department"]
    users = {u.username: u for u in get_user_model().objects.all()}

    def attempt(action: str, role: str, case) -> bool | None:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        base = f"/work/cases/{case.pk}/documents/"
        if action == "document_make":
            client.post(base, {"kind": "decision"})
        elif action == "document_download":
            response = client.get(f"{base}{case.documents.get().pk}.docx")
            return response.status_code == 200 and response.content == bytes(case.documents.get().content)
        elif action == "template_remove_own":
            client.post(
                "/work/templates/",
                {"action": "remove", "kind": "closure_report", "department": department.pk},
            )
        else:
            scope = {"department": department.pk} if action == "template_upload_own" else {}
            upload = SimpleUploadedFile("模板.docx", _template_bytes())
            client.post("/work/templates/", {"kind": "decision", "file": upload, **scope})
        return None

    actions = list(DOCUMENT_EXPECTED)
    assert documents_matrix_of(staff, attempt, actions, ROLES) == DOCUMENT_EXPECTED


def test_documents_api(staff, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    department = staff["department"]
    tokens = {r: create_token(COMMAND_LINE, r) for r in ROLES if r != "anonymous"}

    def attempt(action: str, role: str, case) -> bool | None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
        url = f"/api/v1/cases/{case.pk}/documents/"
        if action == "document_make":
            client.post(url + "decision", **headers)
        elif action == "document_download":
            response = client.get(url + "closure_report", **headers)
            return response.status_code == 200 and response.content == bytes(case.documents.get().content)
        elif action == "template_remove_own":
            client.delete(f"/api/v1/templates/closure_report?department_id={department.pk}", **headers)
        else:
            scope = {"department_id": department.pk} if action == "template_upload_own" else {}
            upload = SimpleUploadedFile("模板.docx", _template_bytes())
            client.post("/api/v1/templates/decision", {"file": upload, **scope}, **headers)
        return None

    actions = list(DOCUMENT_EXPECTED)
    assert documents_matrix_of(staff, attempt, actions, ROLES) == DOCUMENT_EXPECTED


def test_documents_cli(staff, tmp_path):
    department = staff["department"]
    template = tmp_path / "模板.docx"
    template.write_bytes(_template_bytes())

    def attempt(action: str, role: str, case) -> bool | None:
        user = [] if role == "admin_default" else ["--user", role]
        out = tmp_path / "out.docx"
        out.unlink(missing_ok=True)
        args = {
            "document_make": ["cases", "document", case.number, "decision", "-o", str(out)],
            "document_download": ["cases", "document", case.number, "closure_report", "-o", str(out)],
            "template_upload_own": [
                "templates",
                "upload",
                "decision",
                str(template),
                "--department",
                department.name,
            ],
            "template_upload_shared": ["templates", "upload", "decision", str(template)],
            "template_remove_own": ["templates", "remove", "closure_report", "--department", department.name],
        }[action]
        result = CliRunner().invoke(main, user + args)
        if action == "document_download":
            return result.exit_code == 0 and out.exists()
        return None

    actions = list(DOCUMENT_EXPECTED)
    roles = [r for r in ROLES if r != "anonymous"] + ["admin_default"]
    assert documents_matrix_of(staff, attempt, actions, roles) == {
        a: DOCUMENT_EXPECTED[a] | {"admin_default"} for a in actions
    }


# --- 行政处罚裁量基准 (qingdan/cases/discretion.py) --------------------------------------------

DISCRETION_CSV = (
    "编号,违法行为,裁量阶次,处罚幅度\nXY-1,在科技成果转化活动中弄虚作假的,一般处罚,处1万元以上3万元以下罚款\n"
)
DISCRETION_EXPECTED = {
    "discretion_view": set(ROLES),
    "discretion_import": EDITORS,
    "discretion_remove": EDITORS,
}


def discretion_matrix_of(
    staff, attempt: Callable[[str, str], bool | None], actions: list[str], roles: list[str]
):
    """Each action for each role from the same state (no standards; for ``discretion_remove``,
    the one standard); None from ``attempt`` means "judge by the effect": the department has the
    standard afterwards (has it no more, for a removal)."""
    from qingdan.cases.discretion import import_standards_bytes
    from qingdan.cases.models import DiscretionStandard

    department = staff["department"]
    allowed: dict[str, set[str]] = {a: set() for a in actions}
    for action in actions:
        for role in roles:
            sid = transaction.savepoint()
            try:
                if action == "discretion_remove":
                    import_standards_bytes(COMMAND_LINE, department, "基准.csv", DISCRETION_CSV.encode())
                result = attempt(action, role)
                if result is None:
                    present = DiscretionStandard.objects.filter(department=department, code="XY-1").exists()
                    result = not present if action == "discretion_remove" else present
                if result:
                    allowed[action].add(role)
            finally:
                transaction.savepoint_rollback(sid)
    return allowed


def test_discretion_web(staff, client):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    department = staff["department"]
    users = {u.username: u for u in get_user_model().objects.all()}
    digest = hashlib.sha256(DISCRETION_CSV.encode()).hexdigest()

    def attempt(action: str, role: str) -> bool | None:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        if action == "discretion_view":
            return client.get(f"/d/{department.pk}/discretion/").status_code == 200
        base = f"/work/discretion/{department.pk}/"
        if action == "discretion_remove":
            client.post(base, {"action": "remove", "code": "XY-1"})
            return None
        preview = client.post(
            base, {"action": "preview", "file": SimpleUploadedFile("基准.csv", DISCRETION_CSV.encode())}
        )
        assert preview.status_code in (200, 302, 403)
        client.post(base, {"action": "confirm", "sha256": digest})  # the file previewed in this session
        return None

    actions = list(DISCRETION_EXPECTED)
    assert discretion_matrix_of(staff, attempt, actions, ROLES) == DISCRETION_EXPECTED


def test_discretion_api(staff, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    department = staff["department"]
    tokens = {r: create_token(COMMAND_LINE, r) for r in ROLES if r != "anonymous"}

    def attempt(action: str, role: str) -> bool | None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
        url = f"/api/v1/departments/{department.pk}/discretion"
        if action == "discretion_view":
            return client.get(url, **headers).status_code == 200
        if action == "discretion_remove":
            client.delete(url + "/XY-1", **headers)
            return None
        upload = SimpleUploadedFile("基准.csv", DISCRETION_CSV.encode())
        client.post(url + "/import", {"file": upload}, **headers)
        return None

    assert discretion_matrix_of(staff, attempt, list(DISCRETION_EXPECTED), ROLES) == DISCRETION_EXPECTED


def test_discretion_cli(staff, tmp_path):
    department = staff["department"]
    path = tmp_path / "基准.csv"
    path.write_text(DISCRETION_CSV, encoding="utf-8")

    def attempt(action: str, role: str) -> bool | None:
        user = [] if role == "admin_default" else ["--user", role]
        if action == "discretion_view":
            return CliRunner().invoke(main, [*user, "discretion", "list", department.name]).exit_code == 0
        if action == "discretion_remove":
            CliRunner().invoke(main, [*user, "discretion", "remove", department.name, "XY-1"])
            return None
        CliRunner().invoke(main, [*user, "discretion", "import", str(path), "--department", department.name])
        return None

    roles = [r for r in ROLES if r != "anonymous"] + ["admin_default"]
    assert discretion_matrix_of(staff, attempt, list(DISCRETION_EXPECTED), roles) == {
        a: DISCRETION_EXPECTED[a] - {"anonymous"} | {"admin_default"} for a in DISCRETION_EXPECTED
    }
