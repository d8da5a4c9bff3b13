"""Every case role against every step on the web: a case is walked through its stages by the
services; at each stage, for each step the stage allows, every person either sees the step's
form (it is theirs) or does not — and then posting the step anyway is refused in Chinese on the
page, with nothing written. "Nothing written" is judged in the database (the case's steps and
stage), not by the response."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from qingdan.cases import services as s
from qingdan.cases import states
from qingdan.cases.models import PenaltyCase
from tests.case_people import reach
from tests.case_team import make_team

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PEOPLE = ["zhang", "wang", "unithead", "deputy", "head", "legal", "admin"]
OFFICER_ON_CASE = {"zhang"}  # 张伟 inspects and handles the case; 王强 is an officer not on it
OFFICERS = {"zhang", "wang"}

# whose step each is (seed 001 三、查处流程; 行政处罚法 第57、58条), written out here apart from the
# code that decides it; "own" = an officer, on this case only
OWN = OFFICER_ON_CASE
STEP_OWNERS: dict[str, set[str]] = {
    "record_inspection": OWN,
    "order_correction": OWN,
    "submit_filing": OWN,
    "review_filing": {"unithead", "deputy"},
    "approve_filing": {"head"},
    "refuse_filing": {"head"},
    "return_filing": {"unithead", "deputy", "head"},
    "add_evidence": OWN,
    "register_preservation": OWN,
    "decide_preservation": {"head"},
    "declare_recusal": OFFICERS,
    "decide_recusal": {"head"},
    "pause": {"head"},
    "resume": {"head"},
    "extend": {"head"},
    "notify": OWN,
    "record_statement": OWN,
    "request_hearing": OWN,
    "schedule_hearing": {"legal"},
    "record_hearing": {"legal"},
    "submit_decision": OWN,
    "review_decision": {"unithead"},
    "legal_review": {"legal"},
    "record_discussion": {"head"},
    "return_decision": {"unithead", "legal", "head"},
    "decide": {"head"},
    "serve": OWN,
    "record_payment": OWN,
    "approve_installments": {"head"},
    "record_remedy": OWN | {"legal"},
    "close": OWN,
    "archive": {"unithead", "head"},
    "decide_on_the_spot": OWN,
    "publish": OWN | {"legal"},
    "withdraw": OWN | {"legal", "head"},
}


@pytest.fixture
def team():
    team = make_team()
    admin = get_user_model().objects.create_superuser("admin", password="pw-admin-2026-cases")
    team.users["admin"] = admin
    return team


def params(move: str, team, case: PenaltyCase) -> dict:
    """Values that would pass the form, so that a refusal is about who posts them."""
    today = TODAY.isoformat()
    officers = team.officers
    preservation = case.preservations.first()
    recusal = case.recusals.first()
    return {
        "record_inspection": {"record": "检查情况"},
        "order_correction": {"content": "限期改正"},
        "submit_filing": {"facts": "事实", "handlers": [officers["zhang"].pk, officers["li"].pk]},
        "review_filing": {"opinion": "同意"},
        "approve_filing": {"opinion": "同意"},
        "refuse_filing": {"reason": "不予立案"},
        "return_filing": {"opinion": "退回"},
        "add_evidence": {"kind": "documentary", "title": "书证", "collected_on": today},
        "register_preservation": {"items": "账簿一册"},
        "decide_preservation": {"preservation": preservation.pk if preservation else "", "decision": "解除"},
        "declare_recusal": {"officer": officers["li"].pk, "reason": "近亲属"},
        "decide_recusal": {"recusal": recusal.pk if recusal else "", "granted": "0", "opinion": "不予回避"},
        "pause": {"kind": "expert", "reason": "鉴定"},
        "resume": {},
        "extend": {"key": "decision", "days": "10", "reason": "案情复杂"},
        "notify": {"facts": "事实", "basis": "依据", "kinds": ["fine"], "amount": "150000"},
        "record_statement": {"statement": "申辩", "review": "不采纳"},
        "request_hearing": {},
        "schedule_hearing": {"held_on": today, "place": "会议室", "presider": "legal"},
        "record_hearing": {"attendees": "周法制", "record": "笔录"},
        "submit_decision": {"report": "报告", "kinds": ["fine"], "amount": "150000"},
        "review_decision": {"opinion": "同意"},
        "legal_review": {"agree": "1", "opinion": "同意"},
        "record_discussion": {"held_on": today, "attendees": "孙局长：局长：同意", "conclusion": "同意"},
        "return_decision": {"opinion": "补充调查"},
        "decide": {"decision": "penalty", "opinion": "同意", "kinds": ["fine"], "amount": "150000"},
        "serve": {"method": "direct"},
        "record_payment": {"paid_on": today, "amount": "100"},
        "approve_installments": {"plan": "2030-01-01：100", "reason": "困难"},
        "record_remedy": {"kind": "review", "started_on": today},
        "close": {"report": "结案"},
        "archive": {},
        "decide_on_the_spot": {"facts": "事实", "basis": "依据", "kinds": ["warning"]},
        "publish": {},
        "withdraw": {"reason": "撤销"},
    }[move]


STAGES = [
    states.DISCOVERED,
    states.FILING,
    states.INVESTIGATING,
    states.NOTIFIED,
    states.HEARING,
    states.DECIDING,
    states.DECIDED,
    states.SERVED,
    states.CLOSED,
]


def post_data(values: dict) -> dict:
    return {k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in values.items()}


def test_no_one_sees_or_takes_another_role_s_step_on_the_web(team):
    cases = {stage: reach(team, stage) for stage in STAGES}
    clients = {}
    for username in PEOPLE:
        clients[username] = Client()
        clients[username].force_login(team.users[username])
    checked = refused = 0
    for stage, case in cases.items():
        pages = {u: clients[u].get(f"/work/cases/{case.pk}/").content.decode() for u in PEOPLE}
        for move, (starts, _) in states.MOVES.items():
            if stage not in starts or move == "decide_on_the_spot":
                continue
            for username in PEOPLE:
                shown = f'id="move-{move}"' in pages[username]
                owner = username in STEP_OWNERS[move]
                assert shown == owner, f"{states.LABELS[stage]} · {move} · {username}: form shown={shown}"
                checked += 1
                if owner:
                    continue
                before = (case.actions.count(), PenaltyCase.objects.get(pk=case.pk).stage)
                response = clients[username].post(
                    f"/work/cases/{case.pk}/{move}", post_data(params(move, team, case))
                )
                body = response.content.decode()
                assert response.status_code in (400, 403), f"{move} by {username}: {response.status_code}"
                assert 'class="error" role="alert"' in body, f"{move} by {username}: no message on the form"
                after = (case.actions.count(), PenaltyCase.objects.get(pk=case.pk).stage)
                assert after == before, f"{move} by {username} wrote something"
                refused += 1
    assert checked > 400 and refused > 300  # every stage was reached and tried


def test_the_refusal_names_who_may(team):
    case = reach(team, states.DECIDING)
    client = Client()
    client.force_login(team.users["head"])
    response = client.post(f"/work/cases/{case.pk}/legal_review", {"agree": "1", "opinion": "同意"})
    assert response.status_code == 403
    assert "只有石家庄市鹿泉区工业和信息化局的法制审核人员可以进行法制审核" in response.content.decode()


def test_the_simple_procedure_is_offered_on_a_simple_case_only(team):
    simple = s.open_case(
        team.actor("zhang"),
        team.department,
        title="占道经营",
        source="inspection",
        occurred_on=TODAY,
        party_kind=PenaltyCase.PERSON,
        party_name="刘某",
        inspectors=[team.officers["zhang"], team.officers["li"]],
        procedure_kind=PenaltyCase.SIMPLE,
    )
    client = Client()
    client.force_login(team.users["zhang"])
    page = client.get(f"/work/cases/{simple.pk}/").content.decode()
    assert 'id="move-decide_on_the_spot"' in page and 'id="move-submit_filing"' not in page
    response = client.post(
        f"/work/cases/{simple.pk}/decide_on_the_spot",
        {"facts": "占道经营", "basis": "《城市道路管理条例》", "kinds": ["fine"], "amount": "500"},
    )
    assert response.status_code == 400 and "200" in response.content.decode()  # over the 简易程序 limit
    response = client.post(
        f"/work/cases/{simple.pk}/decide_on_the_spot",
        {"facts": "占道经营", "basis": "《城市道路管理条例》", "kinds": ["fine"], "amount": "100"},
    )
    assert response.status_code == 302
    simple.refresh_from_db()
    assert simple.stage == states.SERVED and simple.fine_amount == 100
