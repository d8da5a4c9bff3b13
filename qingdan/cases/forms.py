"""The web form of each move, as data: which fields it asks for and how a posted value becomes
the Python value its service function takes (a date, a sum, officers, attendees). The case page
renders these; ``values_from`` turns a POST into keyword arguments, refusing in Chinese and
naming the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from qingdan.cases.models import (
    CaseDeadline,
    CaseRole,
    Evidence,
    PenaltyCase,
    Preservation,
    Recusal,
    Suspension,
)
from qingdan.core.models import Department
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError
from qingdan.ingest.dates import parse_date

OUTCOMES = [("agree", "同意"), ("disagree", "不同意")]
REMEDIES = [("review", "行政复议"), ("lawsuit", "行政诉讼")]
RECUSAL_DECISIONS = [(Recusal.GRANTED, "回避"), (Recusal.REFUSED, "不予回避")]


@dataclass(frozen=True)
class Field:
    """One input. ``kind``: text, textarea, date, money, int, select, check, file, officers
    (several of the department's officers), officer, lines (one entry a line), attendees
    (lines 「姓名｜职务｜意见」), pick (one of the case's own rows, listed by ``choices_of``)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


def _choices(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(label)) for code, label in pairs)


OPINION = Field("opinion", "意见", "textarea")
OPINION_OPTIONAL = Field("opinion", "意见", "textarea", required=False)
OUTCOME = Field("outcome", "结论", "select", choices=_choices(OUTCOMES))

OPEN_CASE: tuple[Field, ...] = (
    Field("title", "案由"),
    Field("source", "案件来源", "select", choices=_choices(PenaltyCase.SOURCES)),
    Field("source_detail", "来源说明", "textarea", required=False),
    Field("occurred_on", "案发日期", "date", help="立案期限自此日起算"),
    Field("unit", "承办科室", required=False),
    Field("procedure", "程序", "select", choices=_choices(PenaltyCase.PROCEDURES)),
    Field("party_kind", "当事人类型", "select", choices=_choices(PenaltyCase.PARTY_KINDS)),
    Field("party_name", "当事人"),
    Field("party_id_number", "证件号码", required=False, help="身份证号或统一社会信用代码"),
    Field("party_representative", "法定代表人", required=False),
    Field("party_address", "地址", required=False),
    Field("party_phone", "联系电话", required=False),
    Field("inspectors", "检查人员", "officers", help="两名以上持有效执法证的执法人员"),
)

FORMS: dict[str, tuple[Field, ...]] = {
    "record_inspection": (
        Field("on", "检查日期", "date"),
        Field("inspectors", "检查人员", "officers", help="两名以上持有效执法证的执法人员"),
        Field("place", "检查地点", required=False),
        Field("record", "检查情况", "textarea"),
    ),
    "order_correction": (
        Field("on", "通知日期", "date"),
        Field("content", "责令改正内容", "textarea"),
        Field("correct_by", "改正期限", "date", required=False),
    ),
    "submit_filing": (
        Field("facts", "违法事实（初查）", "textarea"),
        Field("power_name", "处罚事项", required=False),
        Field("basis", "依据", "textarea", required=False),
        OPINION_OPTIONAL,
    ),
    "review_filing": (OUTCOME, OPINION),
    "approve_filing": (
        Field("handlers", "承办人员", "officers", help="两名以上持有效执法证的执法人员"),
        OPINION,
    ),
    "refuse_filing": (Field("opinion", "不予立案理由", "textarea"),),
    "return_filing": (Field("opinion", "退回理由", "textarea"),),
    "add_evidence": (
        Field("kind", "证据种类", "select", choices=_choices(Evidence.KINDS)),
        Field("title", "名称"),
        Field("description", "证明对象", "textarea", required=False),
        Field("collected_on", "取证日期", "date"),
        Field("collected_by", "取证人", required=False),
        Field("file", "证据文件", "file", required=False),
    ),
    "register_preservation": (
        Field("items", "物品清单", "textarea"),
        Field("registered_on", "登记保存日期", "date"),
    ),
    "decide_preservation": (
        Field("preservation", "先行登记保存", "pick"),
        Field("decision", "处理决定", "textarea"),
        Field("decided_on", "决定日期", "date"),
    ),
    "declare_recusal": (
        Field("officer", "须回避的执法人员", "officer"),
        Field("requested_by", "提出人"),
        Field("reason", "理由", "textarea"),
    ),
    "decide_recusal": (
        Field("recusal", "回避申请", "pick"),
        Field("decision", "决定", "select", choices=_choices(RECUSAL_DECISIONS)),
    ),
    "pause": (
        Field("kind", "中止事由", "select", choices=_choices(Suspension.KINDS)),
        Field("started_on", "开始日期", "date"),
        Field("note", "说明", "textarea", required=False),
    ),
    "resume": (Field("ended_on", "恢复日期", "date"),),
    "extend": (
        Field("deadline", "期限", "pick"),
        Field("days", "延长天数", "int"),
        Field("reason", "延长理由", "textarea"),
    ),
    "notify": (
        Field("on", "告知日期", "date"),
        Field("facts", "违法事实", "textarea"),
        Field("basis", "处罚依据", "textarea"),
        Field("proposed_amount", "拟罚款数额（元）", "money", required=False),
        Field("proposed_kinds", "拟处罚种类", "lines", required=False, help="每行一种，如 警告、罚款"),
    ),
    "record_statement": (
        Field("on", "陈述申辩日期", "date"),
        Field("statement", "陈述申辩内容", "textarea"),
        Field("opinion", "复核意见", "textarea", required=False),
    ),
    "request_hearing": (Field("requested_on", "申请日期", "date"),),
    "schedule_hearing": (
        Field("notified_on", "通知日期", "date"),
        Field("held_on", "举行日期", "date", help="通知须在举行七日前"),
        Field("place", "地点"),
        Field("presider", "主持人", help="非本案调查人员"),
        Field("public", "公开举行", "check", required=False),
    ),
    "record_hearing": (
        Field("held_on", "举行日期", "date"),
        Field("attendees", "参加人", "lines", help="每行一人"),
        Field("record", "听证笔录", "textarea"),
    ),
    "submit_decision": (
        Field("report", "调查终结报告", "textarea"),
        Field("proposed_amount", "拟罚款数额（元）", "money", required=False),
        Field("outside_range_reason", "超出裁量幅度的理由", "textarea", required=False),
        OPINION_OPTIONAL,
    ),
    "review_decision": (OUTCOME, OPINION),
    "legal_review": (OUTCOME, OPINION),
    "record_discussion": (
        Field("held_on", "讨论日期", "date"),
        Field("presider", "主持人"),
        Field("attendees", "参加人员及意见", "attendees", help="每行一人：姓名｜职务｜意见"),
        Field("conclusion", "结论意见", "textarea"),
    ),
    "return_decision": (Field("opinion", "退回理由", "textarea"),),
    "decide": (
        Field("decision", "决定", "select", choices=_choices(PenaltyCase.DECISIONS)),
        Field("penalty_kinds", "处罚种类", "lines", required=False, help="每行一种"),
        Field("fine_amount", "罚款（元）", "money", required=False),
        Field("confiscation_amount", "没收违法所得（元）", "money", required=False),
        Field("decision_text", "决定内容", "textarea"),
        OPINION_OPTIONAL,
    ),
    "serve": (
        Field("served_on", "送达日期", "date"),
        Field("service_method", "送达方式", "select", choices=_choices(PenaltyCase.SERVICE_METHODS)),
        Field("service_note", "送达情况", "textarea", required=False, help="留置送达时注明拒收情况和见证人"),
    ),
    "record_payment": (
        Field("paid_on", "缴纳日期", "date"),
        Field("amount", "金额（元）", "money"),
        Field("receipt", "票据号", required=False),
        Field("surcharge", "加处罚款", "check", required=False),
    ),
    "approve_installments": (
        Field("installments", "分期", "lines", help="每行一期：应缴日期 金额，如 2026-03-01 500"),
        OPINION_OPTIONAL,
    ),
    "record_remedy": (
        Field("kind", "类别", "select", choices=_choices(REMEDIES)),
        Field("started_on", "开始日期", "date"),
        Field("ended_on", "结束日期", "date", required=False),
        Field("note", "说明", "textarea", required=False),
    ),
    "close": (
        Field("closed_on", "结案日期", "date"),
        Field("closure_report", "结案报告", "textarea"),
    ),
    "archive": (Field("archived_on", "归档日期", "date"),),
    "decide_on_the_spot": (
        Field("on", "决定日期", "date"),
        Field("facts", "违法事实", "textarea"),
        Field("basis", "处罚依据", "textarea"),
        Field("fine_amount", "罚款（元）", "money", help="公民二百元以下，法人或其他组织三千元以下"),
        Field("inspectors", "执法人员", "officers", help="两名以上持有效执法证的执法人员"),
    ),
    "publish": (Field("published_on", "公示日期", "date"),),
    "withdraw": (
        Field("withdrawn_on", "撤回日期", "date"),
        Field("reason", "撤回理由", "textarea"),
    ),
}


def officers_of(department: Department) -> list[Officer]:
    return list(Officer.objects.filter(department=department, status=Officer.ACTIVE))


def choices_of(field: Field, case: PenaltyCase) -> list[tuple[str, str]]:
    """The case's own rows a ``pick`` field chooses from (still open ones only)."""
    if field.name == "preservation":
        return [
            (str(p.pk), f"{p.registered_on:%Y-%m-%d} {p.items[:30]}")
            for p in case.preservations.all()
            if not p.decided_on
        ]
    if field.name == "recusal":
        return [
            (str(r.pk), f"{r.officer.name}：{r.reason[:30]}")
            for r in case.recusals.select_related("officer")
            if not r.decision
        ]
    if field.name == "deadline":
        return [
            (str(d.pk), f"{d.label}（{d.due:%Y-%m-%d}）")
            for d in case.deadlines.filter(status=CaseDeadline.OPEN)
        ]
    return []


def values_from(
    fields: tuple[Field, ...], post: Any, files: Any, department: Department, case: PenaltyCase | None = None
) -> dict[str, Any]:
    """The keyword arguments a POST gives the move's service, or a refusal naming the field."""
    values: dict[str, Any] = {}
    for field in fields:
        values[field.name] = _value(field, post, files, department, case)
    return values


def _value(field: Field, post: Any, files: Any, department: Department, case: PenaltyCase | None) -> Any:
    if field.kind == "file":
        upload = files.get(field.name)
        if upload is None:
            if field.required:
                raise QingdanError(f"「{field.label}」：请选择文件")
            return None
        return (upload.name or "上传文件", upload.read())
    if field.kind == "check":
        return bool(post.get(field.name))
    if field.kind == "officers":
        return _officers(field, post.getlist(field.name), department)
    raw = post.get(field.name, "").strip()
    if not raw:
        if field.required:
            raise QingdanError(f"「{field.label}」：不能空白")
        return [] if field.kind in ("lines", "attendees") else None if field.kind in _TYPED else ""
    return _typed(field, raw, department, case)


_TYPED = frozenset({"date", "money", "int", "select", "officer", "pick"})


def _typed(field: Field, raw: str, department: Department, case: PenaltyCase | None) -> Any:
    if field.kind == "date":
        day = parse_date(raw)
        if day is None:
            raise QingdanError(f"「{field.label}」：「{raw}」不是日期，请写成 2026-03-05")
        return day
    if field.kind == "money":
        return _money(field.label, raw)
    if field.kind == "int":
        if not raw.isdigit():
            raise QingdanError(f"「{field.label}」：「{raw}」不是整数")
        return int(raw)
    if field.kind == "select":
        if raw not in dict(field.choices):
            raise QingdanError(f"「{field.label}」：没有「{raw}」这一项")
        return raw
    if field.kind == "officer":
        return _officers(field, [raw], department)[0]
    if field.kind == "pick":
        if case is None or raw not in dict(choices_of(field, case)):
            raise QingdanError(f"「{field.label}」：所选记录不存在或已处理")
        return _row(field.name, case, int(raw))
    if field.kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if field.kind == "attendees":
        return _attendees(field.label, raw)
    return raw


def _money(label: str, raw: str) -> Decimal:
    try:
        amount = Decimal(raw.replace(",", "").replace("，", "").removesuffix("元"))
    except InvalidOperation:
        raise QingdanError(f"「{label}」：「{raw}」不是金额") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise QingdanError(f"「{label}」：「{raw}」不是金额（不能为负，最多两位小数）")
    return amount


def _officers(field: Field, raw: list[str], department: Department) -> list[Officer]:
    picked = [x for x in raw if x.strip()]
    if not picked:
        if field.required:
            raise QingdanError(f"「{field.label}」：请选择执法人员")
        return []
    if not all(x.isdigit() for x in picked):
        raise QingdanError(f"「{field.label}」：所选执法人员不存在")
    found = {o.pk: o for o in Officer.objects.filter(department=department, pk__in=[int(x) for x in picked])}
    missing = [x for x in picked if int(x) not in found]
    if missing:
        raise QingdanError(f"「{field.label}」：所选执法人员不属于{department.name}")
    return [found[int(x)] for x in picked]


def _attendees(label: str, raw: str) -> list[dict[str, str]]:
    people = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
        if len(parts) != 3 or not parts[0] or not parts[2]:
            raise QingdanError(f"「{label}」第 {number} 行：请写成「姓名｜职务｜意见」")
        people.append({"name": parts[0], "title": parts[1], "view": parts[2]})
    return people


def _row(name: str, case: PenaltyCase, pk: int) -> Any:
    rows: dict[str, Any] = {"preservation": Preservation, "recusal": Recusal, "deadline": CaseDeadline}
    return rows[name].objects.get(case=case, pk=pk)


def today() -> dt.date:
    return timezone.localdate()


ROLE_LABELS = dict(CaseRole.ROLES)
