"""清单体检 in the review work: a draft is checked as it is edited, a published version is checked
when it is published or imported, and reviewers record their conclusions from the report pages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from qingdan.catalog.editing import Edit, edit_draft, start_draft
from qingdan.catalog.review import approve, submit
from qingdan.checks.models import Finding, FindingDecision
from qingdan.checks.services import draft_findings
from qingdan.cli import main
from qingdan.core import outbox
from qingdan.core.models import Department
from tests.conftest import actor, seed

pytestmark = pytest.mark.django_db


def test_a_draft_is_checked_as_it_is_now(staff, client):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    before = {f.evidence for f in draft_findings(draft)}
    assert any("县场" in e for e in before)  # seed 002's copy-paste artifact
    edit_draft(
        actor("filler"), draft, draft.revision, Edit("add", "duties", {"text": "维护县场秩序和公平竞争"})
    )
    after = {f.evidence for f in draft_findings(draft)}
    assert any("维护县场秩序" in e for e in after - before)
    assert not Finding.objects.filter(version=draft).exists()  # a draft's findings are not stored
    client.force_login(get_user_model().objects.get(username="filler"))
    page = client.get(f"/work/d/{dept.pk}/").content.decode()
    assert "清单体检" in page and "维护县场秩序" in page
    assert "?path=duties" in page  # each finding links to the form that fixes it


def test_publication_stores_the_new_versions_findings(staff, django_capture_on_commit_callbacks):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    edit_draft(actor("filler"), draft, draft.revision, Edit("add", "duties", {"text": "维护县场秩序"}))
    draft = approve(actor("legal"), submit(actor("filler"), draft, "correction", "测试"))
    with django_capture_on_commit_callbacks(execute=True):
        approve(actor("approver"), draft)
    assert Finding.objects.filter(version=draft, evidence__contains="维护县场秩序").exists()


def test_reviewers_decide_from_the_report_page_and_others_cannot(staff, client):
    dept = staff["department"]
    users = {u.username: u for u in get_user_model().objects.all()}
    outbox.settle()  # the background checks the published list; the page serves what it stored
    page = client.get(f"/d/{dept.pk}/check/").content.decode()
    assert "记录结论" not in page  # the public sees the report, not the form
    finding = Finding.objects.filter(version__department=dept).first()
    form = {
        "department": dept.pk,
        "fingerprint": finding.fingerprint,
        "status": "dismissed",
        "reason": "原文如此",
        "next": f"/d/{dept.pk}/check/",
    }
    for refused in ("filler", "legal_other"):
        client.force_login(users[refused])
        response = client.post("/check/decide", form, follow=True)
        assert "无权" in response.content.decode()
    assert not FindingDecision.objects.exists()
    client.force_login(users["legal"])
    assert "记录结论" in client.get(f"/d/{dept.pk}/check/").content.decode()
    response = client.post("/check/decide", form)
    assert response.status_code == 302 and response["Location"].endswith(f"#f-{finding.fingerprint}")
    decision = FindingDecision.objects.get()
    assert (decision.status, decision.reason, decision.decided_by) == (
        "dismissed",
        "原文如此",
        "legal（法制审核员）",
    )
    form.update(status="dismissed", reason="")
    assert "写明理由" in client.post("/check/decide", form, follow=True).content.decode()


def test_a_department_with_only_a_draft_does_not_break_the_jurisdiction_report(staff, client):
    newcomer = Department.objects.create(jurisdiction=staff["department"].jurisdiction, name="湘阴县新设局")
    start_draft(actor("admin"), newcomer)
    response = client.get(f"/j/{newcomer.jurisdiction_id}/check/")
    assert response.status_code == 200 and "湘阴县新设局" not in response.content.decode()


def test_import_prints_the_check_summary(tmp_path):
    result = CliRunner().invoke(main, ["import", str(seed("002"))])
    assert result.exit_code == 0, result.output
    assert "体检：" in result.output and "个错误" in result.output
