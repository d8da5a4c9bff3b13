"""The forms the browser test does not fill, each posted by the person whose step it is, judged by
what the service wrote: 责令改正, 不予立案 and 归档, 退回 (立案 and 决定), 先行登记保存 decided, 回避
decided, 中止 and 恢复, 延长, 陈述申辩, 分期, 复议, 公示 and 撤回. Each posts what a browser sends
(check boxes, one entry a line), so the forms' conversion into the steps' parameters is tested."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from qingdan.cases import states
from qingdan.cases.models import PenaltyCase
from tests.case_people import reach
from tests.case_team import make_team

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


@pytest.fixture
def team():
    return make_team()


def post(team, username: str, case: PenaltyCase, move: str, data: dict) -> PenaltyCase:
    client = Client()
    client.force_login(team.users[username])
    response = client.post(f"/work/cases/{case.pk}/{move}", data)
    body = response.content.decode()
    error = body[body.find('class="error"') :][:300] if response.status_code != 302 else ""
    assert response.status_code == 302, f"{move} by {username}: {response.status_code} {error}"
    return PenaltyCase.objects.get(pk=case.pk)


def last(case: PenaltyCase):
    return case.actions.order_by("-id").first()


def test_a_lead_is_ordered_to_correct_then_refused_and_archived(team):
    case = reach(team, states.DISCOVERED)
    case = post(team, "zhang", case, "order_correction", {"content": "限期报送", "correct_by": "2030-01-31"})
    assert last(case).move == "order_correction" and "限期报送" in str(last(case).data)
    case = post(team, "head", case, "refuse_filing", {"reason": "违法行为轻微并及时改正"})
    assert case.stage == states.NOT_FILED and last(case).opinion == "违法行为轻微并及时改正"
    case = post(team, "unithead", case, "archive", {})
    assert case.stage == states.ARCHIVED


def test_filing_and_a_decision_are_sent_back(team):
    case = post(team, "unithead", reach(team, states.FILING), "return_filing", {"opinion": "证据不足"})
    assert case.stage == states.DISCOVERED
    case = post(team, "unithead", reach(team, states.DECIDING), "return_decision", {"opinion": "补充调查"})
    assert case.stage == states.INVESTIGATING


def test_the_head_decides_preservation_and_recusal_pauses_resumes_and_extends(team):
    case = reach(team, states.INVESTIGATING)
    preservation, recusal = case.preservations.get(), case.recusals.get()
    post(
        team,
        "head",
        case,
        "decide_preservation",
        {"preservation": preservation.pk, "decision": "解除登记保存"},
    )
    preservation.refresh_from_db()
    assert preservation.decided_on is not None and preservation.decision == "解除登记保存"
    post(
        team, "head", case, "decide_recusal", {"recusal": recusal.pk, "granted": "0", "opinion": "理由不成立"}
    )
    recusal.refresh_from_db()
    assert recusal.decision == "refused"
    before = case.deadlines.get(rule="decision").due
    post(team, "head", case, "pause", {"kind": "expert", "reason": "委托鉴定"})
    assert case.suspensions.get().ended_on is None
    post(team, "head", case, "resume", {})
    assert case.suspensions.get().ended_on is not None
    post(team, "head", case, "extend", {"key": "decision", "days": "30", "reason": "案情复杂"})
    extended = case.deadlines.get(rule="decision")
    assert extended.extra_days == 30 and extended.due > before


def test_a_statement_is_recorded(team):
    case = post(
        team,
        "zhang",
        reach(team, states.NOTIFIED),
        "record_statement",
        {"statement": "系疏忽", "review": "不采纳"},
    )
    assert last(case).move == "record_statement" and "系疏忽" in str(last(case).data)


def test_installments_a_review_publication_and_withdrawal(team):
    case = reach(team, states.SERVED)
    plan = "2030-01-31：100000\n2030-02-28：50000"
    post(team, "head", case, "approve_installments", {"plan": plan, "reason": "经营困难"})
    assert [(i.due_on.isoformat(), int(i.amount)) for i in case.installments.all()] == [
        ("2030-01-31", 100000),
        ("2030-02-28", 50000),
    ]
    post(team, "zhang", case, "record_remedy", {"kind": "review", "started_on": TODAY})
    assert case.suspensions.filter(kind="review").exists()
    case = post(team, "legal", case, "publish", {})
    assert case.published_on is not None and case.published_text
    case = post(team, "legal", case, "withdraw", {"reason": "复议决定撤销原处罚决定"})
    assert case.withdrawn_on is not None and case.withdraw_reason == "复议决定撤销原处罚决定"
