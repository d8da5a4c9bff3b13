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

from qingdan.cases import procedure
from qingdan.cases.models import (
    CaseDeadline,
    CaseRole,
    DiscretionLevel,
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
        Field("statement", "陈述申辩内容", "textarea", required=False),
        Field("review", "复核意见", "textarea", required=False),
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
        Field("attendees", "参加人", "lines", help="每行一人"),
        Field("record", "听证笔录", "textarea"),
        ON,
    ),
    "submit_decision": (
        Field("report", "调查终结报告", "textarea"),
        KINDS,
        AMOUNT,
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
        Field("attendees", "参加人员及意见", "attendees", help="每行一人：姓名｜职务｜意见"),
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
        Field("plan", "分期", "plan", help="每行一期：应缴日期 金额，如 2026-03-01 500"),
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
    people: dict[int, str] = {}
    for role in CaseRole.objects.filter(department=case.department).select_related("user"):
        if role.officer_id in on_case:
            continue
        people.setdefault(role.user_id, role.user.get_full_name() or role.user.get_username())
    return [(str(pk), name) for pk, name in sorted(people.items(), key=lambda x: x[1])]


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


def values_from(
    fields: tuple[Field, ...],
    post: Any,
    files: Any,
    department: Department,
    case: PenaltyCase | None = None,
) -> dict[str, Any]:
    """The keyword arguments a POST gives the move's service, or a refusal naming the field."""
    values: dict[str, Any] = {}
    for field in fields:
        value = _value(field, post, files, department, case)
        if field.kind == "file":  # the service takes the bytes and the name
            values["file_name"], values["content"] = value or ("", b"")
        elif value is not None:  # an optional field left blank: the service's default (today for 「日期」)
            values[field.name] = value
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
    if field.kind == "codes":
        return _codes_from(field, post.getlist(field.name))
    raw = post.get(field.name, "").strip()
    if not raw:
        if field.required:
            raise QingdanError(f"「{field.label}」：不能空白")
        return _EMPTY.get(field.kind, "")
    return _typed(field, raw, department, case)


_EMPTY: dict[str, Any] = {
    "lines": [],
    "attendees": [],
    "plan": [],
    "date": None,
    "money": None,
    "int": None,
    "officer": None,
    "pick": None,
    "user": None,
    "yesno": None,
}


def _typed(field: Field, raw: str, department: Department, case: PenaltyCase | None) -> Any:
    if field.kind == "date":
        return _date(field.label, raw)
    if field.kind == "money":
        return _money(field.label, raw)
    if field.kind == "int":
        if not raw.isdigit():
            raise QingdanError(f"「{field.label}」：「{raw}」不是整数")
        return int(raw)
    if field.kind in ("select", "yesno"):
        if raw not in dict(field.choices):
            raise QingdanError(f"「{field.label}」：没有「{raw}」这一项")
        return raw == "1" if field.kind == "yesno" else raw
    if field.kind == "officer":
        return _officers(field, [raw], department)[0]
    if field.kind == "pick":
        if case is None or raw not in dict(choices_of(field, case)):
            raise QingdanError(f"「{field.label}」：所选记录不存在或已处理")
        return raw if field.name == "key" else _row(field.name, case, int(raw))
    if field.kind == "user":
        return _user(field.label, raw, department)
    if field.kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if field.kind == "attendees":
        return _attendees(field.label, raw)
    if field.kind == "plan":
        return _plan(field.label, raw)
    return raw


def _date(label: str, raw: str) -> dt.date:
    day = parse_date(raw)
    if day is None:
        raise QingdanError(f"「{label}」：「{raw}」不是日期，请写成 2026-03-05")
    return day


def _money(label: str, raw: str) -> Decimal:
    try:
        amount = Decimal(raw.replace(",", "").replace("，", "").removesuffix("元"))
    except InvalidOperation:
        raise QingdanError(f"「{label}」：「{raw}」不是金额") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise QingdanError(f"「{label}」：「{raw}」不是金额（不能为负，最多两位小数）")
    return amount


def _codes_from(field: Field, raw: list[str]) -> list[str]:
    known = dict(field.choices)
    picked = [x for x in raw if x]
    unknown = [x for x in picked if x not in known]
    if unknown:
        raise QingdanError(f"「{field.label}」：没有「{'、'.join(unknown)}」这一项")
    if field.required and not picked:
        raise QingdanError(f"「{field.label}」：请至少选择一项")
    return picked


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


def _user(label: str, raw: str, department: Department) -> Any:
    role = None
    if raw.isdigit():
        role = CaseRole.objects.filter(department=department, user_id=int(raw)).select_related("user").first()
    if role is None:
        raise QingdanError(f"「{label}」：所选人员在{department.name}没有案件角色")
    return role.user


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


def _plan(label: str, raw: str) -> list[tuple[dt.date, Decimal]]:
    plan = []
    for number, line in enumerate(raw.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2:
            raise QingdanError(f"「{label}」第 {number} 行：请写成「应缴日期 金额」，如 2026-03-01 500")
        plan.append(
            (
                _date(f"{label}」第 {number} 行「日期", parts[0]),
                _money(f"{label}」第 {number} 行「金额", parts[1]),
            )
        )
    return plan


def _row(name: str, case: PenaltyCase, pk: int) -> Any:
    rows: dict[str, Any] = {"preservation": Preservation, "recusal": Recusal}
    return rows[name].objects.get(case=case, pk=pk)


def today() -> dt.date:
    return timezone.localdate()


ROLE_LABELS = dict(CaseRole.ROLES)
