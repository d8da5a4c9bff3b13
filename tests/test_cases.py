"""行政处罚案件 through the service layer: the whole general procedure of seed 001 (立案 chain,
evidence, 告知, 听证, 法制审核, 集体讨论, 决定, 送达, 缴款, 结案), the 简易程序, and the gates that
refuse a step out of order or by the wrong person — each refusal in Chinese."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from qingdan.cases import services as s
from qingdan.cases import states
from qingdan.cases.models import CaseDeadline, PenaltyCase
from qingdan.cases.services import evidence_path
from qingdan.core.models import AuditEntry
from qingdan.deadlines import calendars
from qingdan.errors import QingdanError
from tests.case_team import make_team

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE = TODAY - dt.timedelta(days=150)


def d(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


@pytest.fixture
def team():
    return make_team()


def opened(team, **extra):
    fields = dict(
        title="未按规定报送统计资料",
        source="inspection",
        occurred_on=d(0),
        party_kind=PenaltyCase.ORGANISATION,
        party_name="鹿泉区某某化工有限公司",
        party_id_number="91130185MA0CXXXX0X",
        inspectors=[team.officers["zhang"], team.officers["li"]],
    )
    fields.update(extra)
    return s.open_case(team.actor("zhang"), team.department, **fields)


def filed(team):
    case = opened(team)
    s.submit_filing(
        team.actor("zhang"),
        case,
        facts="现场检查发现……",
        handlers=[team.officers["zhang"], team.officers["li"]],
        on=d(1),
    )
    s.review_filing(team.actor("unithead"), case, opinion="同意立案", on=d(1))
    s.review_filing(team.actor("deputy"), case, opinion="同意", on=d(2))
    s.approve_filing(team.actor("head"), case, opinion="批准立案", on=d(2))
    case.refresh_from_db()
    return case


def deadline(case, rule):
    return case.deadlines.filter(rule=rule).order_by("-id").first()


def test_it_runs_a_general_case_from_discovery_to_archive(team):
    case = opened(team)
    assert case.stage == states.DISCOVERED and deadline(case, "case-filing").due >= d(7)
    s.record_inspection(team.actor("zhang"), case, record="企业未按期报送……", on=d(0))
    s.order_correction(team.actor("li"), case, content="限期报送", correct_by=d(10), on=d(0))
    s.submit_filing(
        team.actor("zhang"),
        case,
        facts="现场检查发现……",
        handlers=[team.officers["zhang"], team.officers["li"]],
        on=d(1),
    )

    with pytest.raises(QingdanError, match="尚待执法科室负责人、主管局长审核"):
        s.approve_filing(team.actor("head"), case, opinion="批准", on=d(1))
    with pytest.raises(QingdanError, match="执法科室负责人"):
        s.review_filing(team.actor("deputy"), case, opinion="同意", on=d(1))
    s.review_filing(team.actor("unithead"), case, opinion="同意立案", on=d(1))
    s.review_filing(team.actor("deputy"), case, opinion="同意", on=d(2))
    s.approve_filing(team.actor("head"), case, opinion="批准立案", on=d(2))
    case.refresh_from_db()
    assert case.number == f"鹿工信罚〔{d(2).year}〕1号" and case.stage == states.INVESTIGATING
    assert deadline(case, "case-filing").status == CaseDeadline.MET
    assert deadline(case, "decision").status == CaseDeadline.OPEN
    assert set(case.officers.filter(role="handler").values_list("officer__name", flat=True)) == {
        "张伟",
        "李娜",
    }

    with pytest.raises(QingdanError, match="不是本案的承办人员"):
        s.add_evidence(team.actor("wang"), case, kind="documentary", title="统计报表", collected_on=d(3))
    item = s.add_evidence(
        team.actor("zhang"),
        case,
        kind="documentary",
        title="统计报表",
        collected_on=d(3),
        content=b"report",
        file_name="报表.pdf",
    )
    assert (
        item.sha256 == hashlib.sha256(b"report").hexdigest()
        and evidence_path(item.sha256).read_bytes() == b"report"
    )

    s.notify(
        team.actor("li"),
        case,
        facts="未按规定报送",
        basis="《统计法》第四十一条",
        kinds=["fine"],
        amount="150000",
        on=d(10),
    )
    case.refresh_from_db()
    assert case.hearing_triggers == [
        "large_fine"
    ]  # 10 万元 for an organisation (QINGDAN_HEARING_AMOUNT_ORGANISATION)
    s.request_hearing(team.actor("zhang"), case, on=d(11))
    held = calendars.due(d(12), 7, "working").date
    with pytest.raises(QingdanError, match=r"七个工作日|7个工作日"):
        s.schedule_hearing(
            team.actor("legal"),
            case,
            held_on=held - dt.timedelta(days=1),
            place="局会议室",
            presider=team.users["legal"],
            on=d(12),
        )
    with pytest.raises(QingdanError, match="调查人员以外"):
        s.schedule_hearing(
            team.actor("legal"), case, held_on=held, place="局会议室", presider=team.users["zhang"], on=d(12)
        )
    s.schedule_hearing(
        team.actor("legal"), case, held_on=held, place="局会议室", presider=team.users["legal"], on=d(12)
    )
    s.record_hearing(
        team.actor("legal"), case, record="当事人称……", attendees=["周法制", "张伟", "当事人代理人"], on=held
    )

    after = held + dt.timedelta(days=1)
    s.submit_decision(
        team.actor("zhang"), case, report="经查……", kinds=["fine"], amount="150000", major=True, on=after
    )
    case.refresh_from_db()
    assert "heard" in case.legal_review_reasons and case.is_major
    with pytest.raises(QingdanError, match="承办科室尚未审核"):
        s.decide(
            team.actor("head"),
            case,
            decision="penalty",
            opinion="同意",
            kinds=["fine"],
            amount="150000",
            on=after,
        )
    s.review_decision(team.actor("unithead"), case, opinion="同意", on=after)
    with pytest.raises(QingdanError, match="法制审核"):
        s.decide(
            team.actor("head"),
            case,
            decision="penalty",
            opinion="同意",
            kinds=["fine"],
            amount="150000",
            on=after,
        )
    with pytest.raises(QingdanError, match="法制审核人员"):
        s.legal_review(team.actor("zhang"), case, opinion="同意", on=after)
    s.legal_review(team.actor("legal"), case, opinion="事实清楚，依据正确", on=after)
    with pytest.raises(QingdanError, match="集体讨论"):
        s.decide(
            team.actor("head"),
            case,
            decision="penalty",
            opinion="同意",
            kinds=["fine"],
            amount="150000",
            on=after,
        )
    people = [{"name": n, "title": "", "view": "同意"} for n in ("孙局长", "钱副局长", "赵科长")]
    s.record_discussion(team.actor("head"), case, held_on=after, attendees=people, conclusion="同意处罚")
    with pytest.raises(QingdanError, match="不得因当事人陈述、申辩而给予更重的处罚"):
        s.decide(
            team.actor("head"),
            case,
            decision="penalty",
            opinion="同意",
            kinds=["fine"],
            amount="200000",
            on=after,
        )
    s.decide(
        team.actor("head"),
        case,
        decision="penalty",
        opinion="同意",
        kinds=["fine"],
        amount="150000",
        on=after,
    )
    case.refresh_from_db()
    assert case.stage == states.DECIDED and case.fine_amount == Decimal("150000")
    assert (
        deadline(case, "service").status == CaseDeadline.OPEN
        and deadline(case, "publication").status == CaseDeadline.OPEN
    )

    s.serve(team.actor("zhang"), case, method="direct", on=after + dt.timedelta(days=1))
    with pytest.raises(QingdanError, match=r"尚有 150000\.00 元未缴纳"):
        s.close(team.actor("zhang"), case, report="结案")
    s.record_payment(team.actor("li"), case, amount="150000", paid_on=after + dt.timedelta(days=5))
    s.publish(team.actor("li"), case, on=after + dt.timedelta(days=5))
    s.close(team.actor("zhang"), case, report="已缴清罚款", on=after + dt.timedelta(days=6))
    s.archive(team.actor("unithead"), case, on=after + dt.timedelta(days=7))
    case.refresh_from_db()
    assert case.stage == states.ARCHIVED
    assert {dl.rule: dl.status for dl in case.deadlines.all()} == {
        "case-filing": "met",
        "decision": "met",
        "statement": "met",
        "service": "met",
        "payment": "met",
        "publication": "met",
    }
    moves = list(case.actions.values_list("move", flat=True))
    assert (
        moves[:4] == ["open", "record_inspection", "order_correction", "submit_filing"]
        and moves[-1] == "archive"
    )
    labels = set(AuditEntry.objects.filter(object_type="penaltycase").values_list("action", flat=True))
    assert {"case_approve_filing", "case_legal_review", "case_decide"} <= labels
    entry = AuditEntry.objects.filter(action="case_legal_review").get()
    assert entry.action_label == "案件：法制审核" and entry.actor_name.startswith("周法制")


def test_a_step_out_of_turn_names_the_stage(team):
    case = opened(team)
    with pytest.raises(QingdanError, match="案件处于「发现」阶段，不能作出决定"):
        s.decide(team.actor("head"), case, decision="penalty", opinion="x", kinds=["fine"], amount="1")


def test_one_certified_officer_is_not_enough(team):
    with pytest.raises(QingdanError, match="不得少于2人"):
        opened(team, inspectors=[team.officers["zhang"]])
    officer = team.officers["li"]
    officer.valid_until = d(-1)
    officer.save()
    with pytest.raises(QingdanError, match=r"李娜.*过期"):
        opened(team)


def test_an_administrator_takes_no_step(team):
    from qingdan.core.permissions import COMMAND_LINE

    case = opened(team)
    s.submit_filing(
        team.actor("zhang"), case, facts="x", handlers=[team.officers["zhang"], team.officers["li"]], on=d(1)
    )
    with pytest.raises(QingdanError, match=r"只有.*执法科室负责人"):
        s.review_filing(COMMAND_LINE, case, opinion="同意")


def test_refusing_to_file_is_a_recorded_decision(team):
    case = opened(team)
    s.refuse_filing(team.actor("head"), case, reason="不属于本机关管辖", on=d(3))
    case.refresh_from_db()
    assert case.stage == states.NOT_FILED and case.number == ""
    assert case.actions.get(move="refuse_filing").opinion == "不属于本机关管辖"
    assert deadline(case, "case-filing").status == CaseDeadline.MET


def test_a_late_filing_is_marked_missed(team):
    case = opened(team)
    s.submit_filing(
        team.actor("zhang"), case, facts="x", handlers=[team.officers["zhang"], team.officers["li"]], on=d(20)
    )
    s.review_filing(team.actor("unithead"), case, opinion="同意", on=d(20))
    s.review_filing(team.actor("deputy"), case, opinion="同意", on=d(20))
    s.approve_filing(team.actor("head"), case, opinion="批准", on=d(20))
    assert deadline(case, "case-filing").status == CaseDeadline.MISSED


def test_a_pause_moves_the_decision_deadline(team):
    case = filed(team)
    before = deadline(case, "decision").due
    s.pause(team.actor("head"), case, kind="expert", reason="送检", on=d(10))
    s.resume(team.actor("head"), case, on=d(29))
    after = deadline(case, "decision").due
    assert (after - before).days >= 20  # twenty days of 鉴定 are not counted (then the rest-day rule)


def test_the_case_numbers_count_per_department_and_year(team):
    first, second = filed(team), filed(team)
    assert (first.number_seq, second.number_seq) == (1, 2)


def test_the_simple_procedure_has_its_limits(team):
    case = opened(
        team,
        procedure_kind=PenaltyCase.SIMPLE,
        party_kind=PenaltyCase.PERSON,
        party_name="王小明",
        party_id_number="",
    )
    assert not case.deadlines.exists()
    with pytest.raises(QingdanError, match="不得超过 200 元"):
        s.decide_on_the_spot(
            team.actor("zhang"), case, facts="x", basis="y", kinds=["fine"], amount="250", on=d(0)
        )
    s.decide_on_the_spot(
        team.actor("zhang"), case, facts="x", basis="y", kinds=["fine"], amount="200", on=d(0)
    )
    case.refresh_from_db()
    assert case.stage == states.SERVED and case.number.startswith("鹿工信罚")


def test_publication_masks_a_person(team):
    case = opened(
        team,
        procedure_kind=PenaltyCase.SIMPLE,
        party_kind=PenaltyCase.PERSON,
        party_name="王小明",
        party_id_number="130185199001011234",
    )
    s.decide_on_the_spot(team.actor("zhang"), case, facts="事实", basis="依据", kinds=["warning"], on=d(0))
    s.publish(team.actor("zhang"), case, on=d(1))
    case.refresh_from_db()
    assert (
        "王某某" in case.published_text
        and "王小明" not in case.published_text
        and "1234" not in case.published_text
    )


def test_the_surcharge_is_capped_and_stops_during_review(team):
    case = opened(team, procedure_kind=PenaltyCase.SIMPLE)
    s.decide_on_the_spot(
        team.actor("zhang"), case, facts="x", basis="y", kinds=["fine"], amount="1000", on=d(0)
    )
    case.refresh_from_db()
    due = deadline(case, "payment").due
    assert s.surcharge(case, due) == 0
    assert s.surcharge(case, due + dt.timedelta(days=2)) == Decimal("60.00")
    assert s.surcharge(case, due + dt.timedelta(days=100)) == Decimal("1000")  # never more than the fine
    s.record_remedy(
        team.actor("zhang"),
        case,
        kind="review",
        started_on=due + dt.timedelta(days=1),
        ended_on=due + dt.timedelta(days=10),
    )
    assert s.surcharge(case, due + dt.timedelta(days=12)) == Decimal("60.00")


def test_the_decision_waits_for_the_party_to_have_its_say(team):
    case = filed(team)
    s.add_evidence(team.actor("zhang"), case, kind="party", title="询问笔录", collected_on=d(3))
    s.notify(team.actor("zhang"), case, facts="f", basis="b", kinds=["warning"], on=d(10))
    s.record_statement(team.actor("zhang"), case, statement="无异议", review="无新事实", on=d(10))
    with pytest.raises(QingdanError, match="当事人尚未书面放弃"):
        s.submit_decision(team.actor("zhang"), case, report="r", kinds=["warning"], on=d(11))
    with pytest.raises(QingdanError, match="无权要求听证"):
        s.request_hearing(team.actor("zhang"), case, on=d(11))
    s.submit_decision(team.actor("zhang"), case, report="r", kinds=["warning"], on=d(20))
    assert deadline(case, "statement").status == CaseDeadline.MET


def test_a_calendar_edit_recomputes_open_deadlines(team):
    from qingdan.cases import deadlines
    from qingdan.core.outbox import settle
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.deadlines.services import set_day

    case = filed(team)
    start = d(40)
    service = deadlines.start(case, "service", start)
    closed = deadlines.start(case, "payment", start)
    closed.status = CaseDeadline.MET
    closed.save()
    working = calendars.current()
    first = next(
        start + dt.timedelta(days=i)
        for i in range(1, 10)
        if working.is_working_day(start + dt.timedelta(days=i))
    )
    set_day(COMMAND_LINE, first, "holiday", "临时休息日")
    settle()
    service.refresh_from_db()
    closed_due = closed.due
    closed.refresh_from_db()
    assert service.due == calendars.current().due(start, 7, "working").date
    assert service.due > working.due(start, 7, "working").date
    assert closed.due == closed_due  # a met deadline is history: it keeps its date


def test_the_portal_shows_published_decisions_masked_and_drops_withdrawn_ones(team, client):
    case = opened(team, procedure_kind=PenaltyCase.SIMPLE, party_kind=PenaltyCase.PERSON, party_name="王小明")
    s.decide_on_the_spot(
        team.actor("zhang"), case, facts="乱设摊点", basis="依据", kinds=["fine"], amount="100", on=d(0)
    )
    s.publish(team.actor("zhang"), case, on=d(1))
    page = client.get(f"/d/{team.department.pk}/penalties/").content.decode()
    assert "王某某" in page and "王小明" not in page and "乱设摊点" in page
    s.withdraw(team.actor("li"), case, reason="复议撤销", on=d(30))
    assert "乱设摊点" not in client.get(f"/d/{team.department.pk}/penalties/").content.decode()
