"""A made-up case with every part filled (unsaved rows, nothing written): what an uploaded
template is test-filled with before it is kept, so a name it uses that a real case lacks, or a
template that fails on a full case, is refused at upload and not when a document is needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qingdan.cases import states
from qingdan.cases.documents import Facts
from qingdan.cases.models import (
    CaseAction,
    CaseDeadline,
    CaseOfficer,
    DiscretionStandard,
    Discussion,
    Evidence,
    Hearing,
    Payment,
    PenaltyCase,
)
from qingdan.core.models import Department, Jurisdiction
from qingdan.enforcement.models import Officer

DAY = dt.date(2026, 3, 5)


def facts() -> Facts:
    jurisdiction = Jurisdiction(name="示例区")
    department = Department(name="示例区工业和信息化局", jurisdiction=jurisdiction)
    case = PenaltyCase(
        department=department,
        stage=states.CLOSED,
        number="示工信罚〔2026〕1号",
        title="未按规定报送统计资料案",
        source="inspection",
        occurred_on=DAY,
        party_kind=PenaltyCase.ORGANISATION,
        party_name="示例科技有限公司",
        party_id_number="91130100MA0000000X",
        party_representative="王某",
        party_address="示例区工业路 1 号",
        party_phone="0311-00000000",
        facts="当事人未按规定报送统计资料。\n经责令改正，逾期仍未改正。",
        basis="《示例条例》第二十条",
        standard=DiscretionStandard(
            department=department,
            code="1",
            violation="未按规定报送统计资料",
            violated_basis="《示例条例》第十条",
        ),
        circumstance="ordinary",
        proposed_min=Decimal("1000"),
        proposed_max=Decimal("10000"),
        proposed_amount=Decimal("5000"),
        proposed_kinds=["warning", "fine"],
        is_major=True,
        hearing_triggers=["large_fine"],
        decision=PenaltyCase.PENALTY,
        penalty_kinds=["warning", "fine"],
        fine_amount=Decimal("5000"),
        decided_on=DAY,
        served_on=DAY,
        service_method="direct",
        closed_on=DAY,
        closure_report="罚款已缴清，结案。",
    )
    return Facts(
        case=case,
        department=department,
        jurisdiction=jurisdiction,
        case_officers=[
            CaseOfficer(case=case, officer=Officer(name="张三", certificate_number="13000001"), role=role)
            for role in (CaseOfficer.INSPECTOR, CaseOfficer.HANDLER)
        ],
        actions=[
            CaseAction(
                case=case, move=move, role=role, actor_name=name, opinion="同意", outcome="agree", on=DAY
            )
            for move, role, name in [
                ("record_inspection", "officer", "张三"),
                ("order_correction", "officer", "张三"),
                ("submit_filing", "officer", "张三"),
                ("review_filing", "unit_head", "李四"),
                ("review_filing", "deputy", "赵六"),
                ("approve_filing", "head", "王五"),
                ("notify", "officer", "张三"),
                ("record_statement", "officer", "张三"),
                ("submit_decision", "officer", "张三"),
                ("review_decision", "unit_head", "李四"),
                ("legal_review", "legal", "钱七"),
                ("decide", "head", "王五"),
                ("serve", "officer", "张三"),
                ("close", "officer", "张三"),
            ]
        ],
        evidence=[
            Evidence(case=case, position=1, kind="documentary", title="营业执照复印件", collected_on=DAY)
        ],
        hearing=Hearing(
            case=case,
            requested_on=DAY,
            held_on=DAY,
            recorded_on=DAY,
            place="本局会议室",
            presider="孙八",
            record="……",
            attendees=[{"name": "王某", "title": "法定代表人"}],
        ),
        discussions=[
            Discussion(
                case=case,
                held_on=DAY,
                presider="王五",
                attendees=[{"name": "李四", "title": "科长", "view": "同意"}],
                conclusion="同意处罚",
                recorded_by_name="张三",
            )
        ],
        deadlines=[CaseDeadline(label="立案", basis="示例", start=DAY, due=DAY, days=7, unit="working")],
        payments=[Payment(case=case, paid_on=DAY, amount=Decimal("5000"), recorded_by_name="张三")],
        number_prefix="示工信罚",
        made_by="示例",
        today=DAY,
    )
