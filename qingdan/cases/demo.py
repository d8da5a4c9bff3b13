"""The demo's cases (青山县科学技术局, fictional): the accounts for each case role and four cases
at different stages, dated back from today, made through the same services as real work — so the
工作台 shows deadlines due and the case pages have something to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from qingdan.cases import services as s
from qingdan.cases.models import PenaltyCase
from qingdan.cases.roles import assign_role
from qingdan.cases.services import save_rules
from qingdan.core.accounts import actor_named, create_user
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.enforcement.models import Officer

UNIT = "成果转化股"
ACCOUNTS = [  # username, full name, case role, officer name (roster), unit
    ("qs_lin", "林晓燕", "officer", "林晓燕", ""),
    ("qs_chen", "陈思雨", "officer", "陈思雨", ""),
    ("qs_kezhang", "赵建华", "unit_head", "", UNIT),
    ("qs_deputy", "马立新", "deputy", "", ""),
    ("qs_head", "刘建国", "head", "", ""),
    ("qs_legal", "周明远", "legal", "周明远", ""),
]
LABELS = {
    "officer": "执法人员",
    "unit_head": f"执法科室负责人（{UNIT}）",
    "deputy": "主管局长",
    "head": "主要负责人",
    "legal": "法制审核人员",
}


def load(actor: Actor, department: Department, password: str, echo: Callable[[str], None]) -> None:
    if PenaltyCase.objects.filter(department=department).exists():
        return
    save_rules(actor, department, number_prefix="青科罚")
    users = get_user_model().objects
    for username, name, role, officer_name, unit in ACCOUNTS:
        if not users.filter(username=username).exists():
            create_user(actor, username, "filler", department, password=password, full_name=name)
        officer = (
            Officer.objects.filter(department=department, name=officer_name).first() if officer_name else None
        )
        assign_role(actor, department, users.get(username=username), role, unit=unit, officer=officer)
        echo(f"  {username:10} {name}：{LABELS[role]}")
    _cases(department)


def _cases(department: Department) -> None:
    today = timezone.localdate()

    def day(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    lin, chen = (Officer.objects.get(department=department, name=n) for n in ("林晓燕", "陈思雨"))
    who = actor_named

    def lead(title: str, party: str, occurred: int) -> PenaltyCase:
        return s.open_case(
            who("qs_lin"),
            department,
            title=title,
            source="complaint",
            occurred_on=day(occurred),
            party_kind=PenaltyCase.ORGANISATION,
            party_name=party,
            inspectors=[lin, chen],
            unit=UNIT,
        )

    def file(case: PenaltyCase, on: int) -> None:
        s.submit_filing(
            who("qs_lin"),
            case,
            facts="经现场检查核实，投诉反映的情况属实。",
            handlers=[lin, chen],
            on=day(on),
        )
        s.review_filing(who("qs_kezhang"), case, opinion="事实清楚，建议立案。", on=day(on))
        s.review_filing(who("qs_deputy"), case, opinion="同意立案。", on=day(on))
        s.approve_filing(who("qs_head"), case, opinion="同意立案，由林晓燕、陈思雨承办。", on=day(on))

    waiting = lead("技术合同认定登记中提供虚假材料", "青山县某某科技有限公司", 3)
    s.record_inspection(
        who("qs_lin"), waiting, record="现场检查该公司技术合同登记材料原件，发现……", on=day(2)
    )
    s.submit_filing(
        who("qs_lin"),
        waiting,
        facts="该公司在技术合同认定登记中提供的合同文本与实际履行不符。",
        handlers=[lin, chen],
        on=day(1),
    )

    investigating = lead("未按规定使用科技计划项目资金", "青山县某某农业科技有限公司", 20)
    file(investigating, 18)
    s.add_evidence(
        who("qs_chen"),
        investigating,
        kind="documentary",
        title="项目资金使用明细账",
        collected_on=day(15),
        content="项目资金使用明细账（演示）".encode(),
        file_name="明细账.txt",
    )

    notified = lead("骗取科技型中小企业评价入库", "青山县某某电子有限公司", 40)
    file(notified, 38)
    s.add_evidence(who("qs_lin"), notified, kind="party", title="询问笔录", collected_on=day(30))
    s.notify(
        who("qs_lin"),
        notified,
        facts="该公司提供虚假研发人员名单申请入库。",
        basis="《科学技术进步法》第一百一十二条",
        kinds=["warning"],
        on=day(2),
    )

    simple = s.open_case(
        who("qs_chen"),
        department,
        title="未按要求公示技术合同登记信息",
        source="inspection",
        occurred_on=day(10),
        party_kind=PenaltyCase.ORGANISATION,
        party_name="青山县某某技术服务部",
        inspectors=[chen, lin],
        unit=UNIT,
        procedure_kind=PenaltyCase.SIMPLE,
    )
    s.decide_on_the_spot(
        who("qs_chen"),
        simple,
        facts="未在经营场所公示登记信息。",
        basis="部门规定（演示）",
        kinds=["warning"],
        on=day(10),
    )
    s.close(who("qs_chen"), simple, report="已当场警告，当事人当场改正。", on=day(9))
