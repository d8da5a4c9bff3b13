"""The web form of each move, as data: which fields it asks for, with their labels, widgets and
choices. The names are the parameters of the step in ``qingdan.cases.steps`` (the one way in for
the command line, the API and these forms), which converts them and calls the service:
``params_from`` only turns what a browser posts (check boxes, one entry a line) into those
parameters. Opening a case is not a step of a case; ``values_from`` converts its form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from qingdan.cases import procedure
from qingdan.cases.models import (
    CaseDeadline,
    CaseRole,
    DiscretionLevel,
    Evidence,
    PenaltyCase,
    Suspension,
)
from qingdan.core.models import Department
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError
from qingdan.ingest.dates import parse_date

REMEDIES = [("review", "行政复议"), ("lawsuit", "行政诉讼")]


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
ON = Field("on", "日期", "date", required=False, help="空白为今天")


def _codes(key: str) -> tuple[tuple[str, str], ...]:
    return _choices(list(procedure.labels(key).items()))


KINDS = Field("kinds", "处罚种类", "codes", choices=_codes("penalty_kinds"))
KINDS_OPTIONAL = Field("kinds", "处罚种类", "codes", required=False, choices=_codes("penalty_kinds"))
AMOUNT = Field("amount", "罚款（元）", "money", required=False)

OPEN_CASE: tuple[Field, ...] = (
    Field("title", "案由"),
    Field("source", "案件来源", "select", choices=_choices(PenaltyCase.SOURCES)),
    Field("source_detail", "来源说明", "textarea", required=False),
    Field("source_ref", "来源编号", required=False, help="如抽查任务编号"),
    Field("occurred_on", "案发日期", "date", help="立案期限自此日起算"),
    Field("unit", "承办科室", required=False),
    Field("procedure_kind", "程序", "select", choices=_choices(PenaltyCase.PROCEDURES)),
    Field("party_kind", "当事人类型", "select", choices=_choices(PenaltyCase.PARTY_KINDS)),
    Field("party_name", "当事人"),
    Field("party_id_number", "证件号码", required=False, help="身份证号或统一社会信用代码"),
    Field("party_representative", "法定代表人", required=False),
    Field("party_address", "地址", required=False),
    Field("party_phone", "联系电话", required=False),
    Field("inspectors", "检查人员", "officers", help="两名以上持有效执法证的执法人员"),
)

FORMS: dict[str, tuple[Field, ...]] = {
    "record_inspection": (Field("record", "现场检查（勘查）情况", "textarea"), ON),
    "order_correction": (
        Field("content", "责令改正内容", "textarea"),
        Field("correct_by", "改正期限", "date", required=False),
        ON,
    ),
    "submit_filing": (
        Field("facts", "违法事实（初查）", "textarea"),
        Field("handlers", "拟定承办人员", "officers", help="两名以上持有效执法证的执法人员"),
        ON,
    ),
    "review_filing": (OPINION, ON),
    "approve_filing": (OPINION, ON),
    "refuse_filing": (Field("reason", "不予立案理由", "textarea"), ON),
    "return_filing": (Field("opinion", "退回理由", "textarea"), ON),
    "add_evidence": (
        Field("kind", "证据种类", "select", choices=_choices(Evidence.KINDS)),
        Field("title", "名称"),
        Field("description", "证明对象", "textarea", required=False),
        Field("collected_on", "取证日期", "date"),
        Field("collected_by", "取证人", required=False),
        Field("file", "证据文件", "file", required=False),
    ),
    "register_preservation": (Field("items", "物品清单", "textarea"), ON),
    "decide_preservation": (
        Field("preservation", "先行登记保存", "pick"),
        Field("decision", "处理决定", "textarea"),
        ON,
    ),
    "declare_recusal": (
        Field("officer", "须回避的执法人员", "officer"),
        Field("requested_by", "提出人", required=False, help="当事人申请时填写"),
        Field("reason", "理由", "textarea"),
    ),
    "decide_recusal": (
        Field("recusal", "回避申请", "pick"),
        Field("granted", "决定", "yesno", choices=(("1", "回避"), ("0", "不予回避"))),
        OPINION,
    ),
    "pause": (
        Field("kind", "中止事由", "select", choices=_choices(Suspension.KINDS)),
        Field("reason", "说明", "textarea"),
        ON,
    ),
    "resume": (ON,),
    "extend": (
        Field("key", "期限", "pick"),
        Field("days", "延长天数", "int"),
        Field("reason", "延长理由", "textarea"),
        ON,
    ),
    "notify": (
        Field("facts", "违法事实", "textarea"),
        Field("basis", "处罚依据", "textarea"),
        KINDS,
        AMOUNT,
        Field("reason", "处罚理由", "textarea", required=False),
        Field(
            "declared_triggers",
            "听证情形（其他）",
            "codes",
            required=False,
            choices=_codes("hearing_triggers"),
        ),
        ON,
    ),
    "record_statement": (
        Field("statement", "陈述申辩内容", "textarea", help="书面放弃的，写明放弃情况"),
        Field("review", "复核意见", "textarea"),
        Field("waived", "当事人书面放弃陈述申辩", "check", required=False),
        ON,
    ),
    "request_hearing": (ON,),
    "schedule_hearing": (
        Field("held_on", "举行日期", "date", help="通知须在举行七个工作日前"),
        Field("place", "地点"),
        Field("presider", "主持人", "user", help="非本案调查人员"),
        Field("public", "公开举行", "check", required=False),
        ON,
    ),
    "record_hearing": (
        Field("attendees", "参加人", "names", help="每行一人"),
        Field("record", "听证笔录", "textarea"),
        ON,
    ),
    "submit_decision": (
        Field("report", "调查终结报告", "textarea"),
        KINDS,
        AMOUNT,
        Field("standard", "裁量基准编号", required=False, help="本部门裁量基准的编号，按它给出建议数额"),
        Field(
            "circumstance",
            "裁量情节",
            "select",
            required=False,
            choices=_choices(DiscretionLevel.CIRCUMSTANCES),
        ),
        Field("outside_range_reason", "超出裁量幅度的理由", "textarea", required=False),
        Field(
            "legal_situations",
            "法制审核情形",
            "codes",
            required=False,
            choices=_codes("legal_review_situations"),
        ),
        Field("major", "重大案件（须集体讨论）", "check", required=False),
        ON,
    ),
    "review_decision": (OPINION, ON),
    "legal_review": (
        Field("agree", "审核结论", "yesno", choices=(("1", "同意"), ("0", "不同意，退回补充调查"))),
        OPINION,
        ON,
    ),
    "record_discussion": (
        Field("held_on", "讨论日期", "date"),
        Field("attendees", "参加人员及意见", "attendees", help="每行一人：姓名：职务：意见"),
        Field("conclusion", "结论意见", "textarea"),
    ),
    "return_decision": (Field("opinion", "退回理由", "textarea"), ON),
    "decide": (
        Field("decision", "决定", "select", choices=_choices(PenaltyCase.DECISIONS)),
        KINDS_OPTIONAL,
        AMOUNT,
        Field("confiscation", "没收违法所得（元）", "money", required=False),
        Field("text", "决定内容", "textarea", required=False),
        OPINION,
        ON,
    ),
    "serve": (
        Field("method", "送达方式", "select", choices=_choices(PenaltyCase.SERVICE_METHODS)),
        Field("witnesses", "见证执法人员", "officers", required=False, help="留置送达时两名执法人员"),
        Field("note", "送达情况", "textarea", required=False, help="留置送达时注明拒收情况和见证人"),
        ON,
    ),
    "record_payment": (
        Field("paid_on", "缴纳日期", "date"),
        Field("amount", "金额（元）", "money"),
        Field("receipt", "票据号", required=False),
        Field("surcharge", "加处罚款", "check", required=False),
    ),
    "approve_installments": (
        Field("plan", "分期", "plan", help="每行一期：应缴日期：金额，如 2026-03-01：500"),
        Field("reason", "理由", "textarea"),
    ),
    "record_remedy": (
        Field("kind", "类别", "select", choices=_choices(REMEDIES)),
        Field("started_on", "开始日期", "date"),
        Field("ended_on", "结束日期", "date", required=False),
        Field("result", "结果", "textarea", required=False),
    ),
    "close": (Field("report", "结案报告", "textarea"), ON),
    "archive": (ON,),
    "decide_on_the_spot": (
        Field("facts", "违法事实", "textarea"),
        Field("basis", "处罚依据", "textarea"),
        KINDS,
        Field(
            "amount", "罚款（元）", "money", required=False, help="公民二百元以下，法人或其他组织三千元以下"
        ),
        Field("statement", "当事人陈述申辩", "textarea", required=False),
        ON,
    ),
    "publish": (ON,),
    "withdraw": (Field("reason", "撤回理由", "textarea"), ON),
}


def officers_of(department: Department) -> list[Officer]:
    return list(Officer.objects.filter(department=department, status=Officer.ACTIVE))


def presiders_of(case: PenaltyCase) -> list[tuple[str, str]]:
    """Who may preside a hearing: the department's people with a case role who are not on the case
    (the service refuses an investigator, 第六十四条第四项; this only keeps them off the list)."""
    on_case = set(case.officers.values_list("officer_id", flat=True))
    people: dict[str, str] = {}
    for role in CaseRole.objects.filter(department=case.department).select_related("user"):
        if role.officer_id in on_case:
            continue
        people.setdefault(role.user.get_username(), role.user.get_full_name() or role.user.get_username())
    return sorted(people.items(), key=lambda x: x[1])


def deadline_key(code: str) -> str:
    """The procedure's key (filing, decision, …) of a deadline rule code."""
    for key, value in procedure.rules()["deadlines"].items():
        if value == code:
            return str(key)
    return "filing"  # a department's own 立案期限规则 replaces only the filing rule


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
    if field.name == "key":
        return [
            (deadline_key(d.rule), f"{d.label}（{d.due:%Y-%m-%d}）")
            for d in case.deadlines.filter(status=CaseDeadline.OPEN)
        ]
    return []


def params_from(fields: tuple[Field, ...], post: Any) -> dict[str, Any]:
    """A move's POST as the parameters of its step (``steps.run``): blank optional fields left
    out, so the service's defaults apply (today for 「日期」)."""
    params: dict[str, Any] = {}
    for field in fields:
        if field.kind == "file":
            continue
        if field.kind == "check":
            params[field.name] = "1" if post.get(field.name) else "0"
            continue
        if field.kind in ("officers", "codes"):
            value: Any = [x for x in post.getlist(field.name) if x]
        elif field.kind == "names":
            value = [line.strip() for line in post.get(field.name, "").splitlines() if line.strip()]
        elif field.kind in ("attendees", "plan"):  # the step's text form: entries separated by ;
            value = ";".join(line.strip() for line in post.get(field.name, "").splitlines() if line.strip())
        else:
            value = post.get(field.name, "").strip()
        if value or field.required:
            params[field.name] = value
    return params


def values_from(fields: tuple[Field, ...], post: Any, department: Department) -> dict[str, Any]:
    """The 发现 form as ``services.open_case``'s keyword arguments, or a refusal naming the field."""
    values: dict[str, Any] = {}
    for field in fields:
        value = _value(field, post, department)
        if value is not None:
            values[field.name] = value
    return values


def _value(field: Field, post: Any, department: Department) -> Any:
    if field.kind == "officers":
        return _officers(field, post.getlist(field.name), department)
    raw = post.get(field.name, "").strip()
    if not raw:
        if field.required:
            raise QingdanError(f"「{field.label}」：不能空白")
        return None
    if field.kind == "date":
        return _date(field.label, raw)
    if field.kind == "select" and raw not in dict(field.choices):
        raise QingdanError(f"「{field.label}」：没有「{raw}」这一项")
    return raw


def _date(label: str, raw: str) -> dt.date:
    day = parse_date(raw)
    if day is None:
        raise QingdanError(f"「{label}」：「{raw}」不是日期，请写成 2026-03-05")
    return day


def _officers(field: Field, raw: list[str], department: Department) -> list[Officer]:
    picked = [x for x in raw if x.strip()]
    if not picked:
        if field.required:
            raise QingdanError(f"「{field.label}」：请选择执法人员")
        return []
    if not all(x.isdigit() for x in picked):
        raise QingdanError(f"「{field.label}」：所选执法人员不存在")
    found = {o.pk: o for o in Officer.objects.filter(department=department, pk__in=[int(x) for x in picked])}
    if any(int(x) not in found for x in picked):
        raise QingdanError(f"「{field.label}」：所选执法人员不属于{department.name}")
    return [found[int(x)] for x in picked]


def today() -> dt.date:
    return timezone.localdate()


ROLE_LABELS = dict(CaseRole.ROLES)
