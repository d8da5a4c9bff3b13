"""执法文书: the Word documents of a case, made from templates administrators can replace.

A document is a docxtpl template rendered with ``context(case, kind)``: plain strings, lists and
dicts (dates already in Chinese form, sums as ``1,234.00元``), so a template needs no code.
Templates run in a Jinja sandbox with no globals and a short list of filters; an uploaded one is
checked before it is kept (a real .docx, no macros, within the size limits, every name it uses
known, renders with a sample case). A department's own template wins over the shared one, the
shared one over the shipped default (``document_forms``).

Every write is a service (who may, atomic, audited): ``upload_template``, ``remove_template``,
``make_document``. ``major_filing_report`` builds the half-year 重大行政处罚决定备案报告.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from docxtpl import DocxTemplate
from jinja2 import DictLoader, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment

from qingdan.cases import procedure, states
from qingdan.cases.document_forms import default_template
from qingdan.cases.models import (
    CaseAction,
    CaseDeadline,
    CaseDocument,
    CaseOfficer,
    CaseRole,
    Discussion,
    DocumentTemplate,
    Evidence,
    Hearing,
    Payment,
    PenaltyCase,
)
from qingdan.cases.roles import can_see_cases
from qingdan.core.audit import log, record
from qingdan.core.models import Department, Jurisdiction
from qingdan.core.permissions import Actor, can_edit, can_see_drafts, require
from qingdan.enforcement.models import Officer
from qingdan.errors import NotFound, QingdanError

KIND_LABELS = dict(DocumentTemplate.KINDS)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UNPACKED_FACTOR = 20  # how much larger than the file a template may unpack to
MAX_ENTRIES = 2000
MAX_REPEAT = 10_000  # the longest string or list a template may make with ``*``

# --- formatting: what the context holds and the filters a template may use ----------------

DIGITS = "零壹贰叁肆伍陆柒捌玖"
NUMERALS = "〇一二三四五六七八九"


def cn_date(value: dt.date | str | None) -> str:
    """2026年3月5日 (a date, an ISO string, or nothing → "")."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return cn_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


def money(value: Decimal | int | str | None) -> str:
    """1,234.00元 (nothing → "")."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value).replace(',', '').removesuffix('元')):,.2f}元"


def upper_money(value: Decimal | int | str | None) -> str:
    """人民币大写: 壹仟贰佰叁拾肆元伍角 (nothing → "")."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value).replace(",", "").removesuffix("元"))
    cents = int((abs(amount) * 100).quantize(Decimal(1), ROUND_HALF_UP))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    text = (_upper_integer(yuan) + "元") if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    text += DIGITS[fen] + "分" if fen else ("" if jiao else "整")
    return ("负" if amount < 0 else "") + (text if cents else "零元整")


def _upper_integer(number: int) -> str:
    units, groups_big = ["", "拾", "佰", "仟"], ["", "万", "亿", "万亿"]
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out, zero_pending = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out += "零"
        zero_pending, inner_zero, text = False, False, ""
        for position in (3, 2, 1, 0):
            digit = group // 10**position % 10
            if digit == 0:
                inner_zero = bool(text)
                continue
            text += ("零" if inner_zero else "") + DIGITS[digit] + units[position]
            inner_zero = False
        out += text + groups_big[index]
    return out


def cn_count(number: int) -> str:
    """A count below 100 in words, as the forms write periods: 六十, 十五, 六."""
    tens, ones = divmod(number, 10)
    if not 0 < number < 100:
        return str(number)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens] + "十")
    return head + (NUMERALS[ones] if ones else "")


def cn_number(number: int) -> str:
    """A year as 二〇二六 (for forms that spell it out)."""
    return "".join(NUMERALS[int(d)] for d in str(number))


SAFE_FILTERS = [
    "default",
    "join",
    "length",
    "first",
    "last",
    "trim",
    "replace",
    "upper",
    "lower",
    "e",
    "escape",
]


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja for templates people upload: no attribute starting with ``_``, no mutation, no
    globals (no ``range``), a short list of filters, and no ``*`` that builds a huge string."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("幂运算")
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            count = right if isinstance(right, int) else left
            size = len(left if isinstance(right, int) else right)
            if isinstance(count, int) and count * max(size, 1) > MAX_REPEAT:
                raise SecurityError("重复次数过多")
        return super().call_binop(context, operator, left, right)


def sandbox() -> Sandbox:
    # an empty loader: {% import %}, {% include %} and {% extends %} find nothing to load
    env = Sandbox(undefined=StrictUndefined, autoescape=True, loader=DictLoader({}))
    env.globals.clear()
    env.filters = {name: FILTERS[name] for name in SAFE_FILTERS}
    env.filters.update({"cn_date": cn_date, "money": money, "upper_money": upper_money})
    return env


# --- which document when ------------------------------------------------------------------

PROGRESSION = [
    states.DISCOVERED,
    states.FILING,
    states.INVESTIGATING,
    states.NOTIFIED,
    states.HEARING,
    states.DECIDING,
    states.DECIDED,
    states.SERVED,
    states.CLOSED,
    states.ARCHIVED,
]
RANK = {stage: index for index, stage in enumerate(PROGRESSION)} | {states.NOT_FILED: 1}

# the stage from which each kind of a case's documents can be made (docs/cases.md 文书与模板)
AVAILABLE_FROM = {
    "inspection_record": states.DISCOVERED,
    "correction_order": states.DISCOVERED,
    "filing_form": states.FILING,
    "penalty_notice": states.INVESTIGATING,
    "hearing_notice": states.INVESTIGATING,
    "investigation_report": states.INVESTIGATING,
    "hearing_record": states.HEARING,
    "decision_form": states.DECIDING,
    "discussion_record": states.DECIDING,
    "decision": states.DECIDED,
    "service_receipt": states.DECIDED,
    "closure_report": states.CLOSED,
    "on_the_spot_decision": states.SERVED,
}
SIMPLE_KINDS = {"inspection_record", "correction_order", "on_the_spot_decision"}
REPORT_KINDS = {"major_filing_report"}


def unavailable_reason(case: PenaltyCase, kind: str) -> str:
    """Why ``kind`` cannot be made for the case now ("" when it can), in Chinese."""
    label = KIND_LABELS[kind]
    if kind in REPORT_KINDS:
        return f"「{label}」按部门和半年度生成（qingdan cases report），不属于单个案件。"
    if case.procedure == PenaltyCase.SIMPLE and kind not in SIMPLE_KINDS:
        return f"简易程序案件没有「{label}」。"
    if case.procedure != PenaltyCase.SIMPLE and kind == "on_the_spot_decision":
        return "「当场行政处罚决定书」只用于简易程序案件。"
    first = AVAILABLE_FROM[kind]
    if RANK[case.stage] < RANK[first] or (case.stage == states.NOT_FILED and RANK[first] > 1):
        return (
            f"案件处于「{case.stage_label}」阶段，还不能制作「{label}」"
            f"（自「{states.LABELS[first]}」阶段起可以制作）。"
        )
    return _missing_facts(case, kind)


def _missing_facts(case: PenaltyCase, kind: str) -> str:
    label = KIND_LABELS[kind]
    if kind == "hearing_notice" and not case.hearing_triggers:
        return "本案不属于可以要求听证的情形（行政处罚法第63条），不制作「听证告知书」。"
    if kind == "hearing_record" and not Hearing.objects.filter(case=case).exclude(recorded_on=None).exists():
        return "听证尚未举行，还不能制作「听证笔录」。"
    if kind == "discussion_record" and not case.discussions.exists():
        return "本案尚未集体讨论，还不能制作「案件集体讨论笔录」。"
    if kind in ("decision", "service_receipt", "on_the_spot_decision") and not case.decision:
        return f"本案尚未作出决定，还不能制作「{label}」。"
    if kind == "decision" and case.decision == PenaltyCase.TRANSFER:
        return "本案已移送司法机关，不制作行政处罚决定书。"
    return ""


def require_available(case: PenaltyCase, kind: str) -> None:
    if kind not in KIND_LABELS:
        raise QingdanError(f"没有「{kind}」这种文书；可用：{'、'.join(KIND_LABELS)}")
    reason = unavailable_reason(case, kind)
    if reason:
        raise QingdanError(reason)


def available_kinds(case: PenaltyCase) -> list[tuple[str, str]]:
    """The kinds that can be made for the case now, as (kind, label)."""
    return [
        (k, v) for k, v in DocumentTemplate.KINDS if k not in REPORT_KINDS and not unavailable_reason(case, k)
    ]


# --- who may ------------------------------------------------------------------------------


def can_see_case(actor: Actor, case: PenaltyCase) -> bool:
    """Whoever may see the department's cases (``roles.can_see_cases``): its 填报员, the accounts
    with a case role there, administrators, the reviewers of its jurisdiction."""
    return can_see_cases(actor, case.department)


def can_manage_templates(actor: Actor, department: Department | None) -> bool:
    """Shared templates: administrators; a department's own: its 填报员 or an administrator."""
    return actor.is_admin if department is None else can_edit(actor, department)


def can_report(actor: Actor, department: Department) -> bool:
    if can_see_drafts(actor, department):
        return True
    return bool(
        actor.user is not None
        and CaseRole.objects.filter(department=department, user=actor.user)
        .exclude(role=CaseRole.OFFICER)
        .exists()
    )


# --- the context --------------------------------------------------------------------------


@dataclass
class Facts:
    """Everything a document is made from, read once: the case and its related rows (a list of
    unsaved rows for the sample a template is checked against)."""

    case: PenaltyCase
    department: Department
    jurisdiction: Jurisdiction
    case_officers: list[CaseOfficer] = field(default_factory=list)
    actions: list[CaseAction] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    hearing: Hearing | None = None
    discussions: list[Discussion] = field(default_factory=list)
    deadlines: list[CaseDeadline] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    number_prefix: str = ""
    made_by: str = ""
    today: dt.date | None = None


def facts_of(case: PenaltyCase, made_by: str = "") -> Facts:
    department = case.department
    rules = getattr(department, "case_rules", None)
    return Facts(
        case=case,
        department=department,
        jurisdiction=department.jurisdiction,
        case_officers=list(case.officers.select_related("officer").order_by("id")),
        actions=list(case.actions.all()),
        evidence=list(case.evidence.all()),
        hearing=Hearing.objects.filter(case=case).first(),
        discussions=list(case.discussions.order_by("held_on", "id")),
        deadlines=list(case.deadlines.all()),
        payments=list(case.payments.all()),
        number_prefix=rules.number_prefix if rules else "",
        made_by=made_by,
        today=timezone.localdate(),
    )


def context(case: PenaltyCase, kind: str = "", made_by: str = "") -> dict[str, Any]:
    """Every name a template may use, for this case (docs/cases.md lists them)."""
    return build_context(facts_of(case, made_by))


def build_context(facts: Facts) -> dict[str, Any]:
    case, actions = facts.case, facts.actions
    slots = _approvals(actions)
    discussion = _discussion(facts.discussions[-1] if facts.discussions else None)
    slots["decision"]["discussion"] = {
        "name": discussion["presider"],
        "opinion": discussion["conclusion"],
        "outcome": "",
        "date": discussion["held_on"],
        "role": "集体讨论",
    }
    return {
        "case": _case(facts),
        "party": _party(case),
        "department": {
            "name": facts.department.name,
            "jurisdiction": facts.jurisdiction.name,
            "number_prefix": facts.number_prefix,
        },
        "officers": _officers(facts.case_officers),
        "filing": {
            **slots["filing"],
            "date": _date_of(actions, "approve_filing"),
            "note": _filing_note(actions),
        },
        "decision_approvals": slots["decision"],
        "closure": slots["closure"],
        "approvals": [_slot(a) for a in actions if a.move in APPROVAL_MOVES],
        "actions": [_slot(a) | {"move": a.label} for a in actions],
        "inspection": _inspection(actions),
        "correction": _correction(actions),
        "notice": {"date": _date_of(actions, "notify")},
        "statements": [_slot(a) for a in actions if a.move == "record_statement"],
        "statements_text": _statements_text(actions, facts.hearing),
        "evidence": [_evidence(e) for e in facts.evidence],
        "evidence_text": "；".join(
            f"{e.position}. {e.get_kind_display()}：{e.title}" for e in facts.evidence
        ),
        "hearing": _hearing(facts.hearing),
        "discussion": discussion,
        "deadlines": [_deadline(d) for d in facts.deadlines],
        "service": _service(case, actions),
        "payments": [_payment(p) for p in facts.payments],
        "payments_text": _payments_text(facts.payments),
        "rights": _rights(facts.jurisdiction),
        "decision_title": "不予行政处罚决定书"
        if case.decision == PenaltyCase.NO_PENALTY
        else "行政处罚决定书",
        "today": cn_date(facts.today or timezone.localdate()),
        "made_by": facts.made_by,
    }


APPROVAL_MOVES = {
    "submit_filing",
    "review_filing",
    "approve_filing",
    "refuse_filing",
    "submit_decision",
    "review_decision",
    "legal_review",
    "decide",
    "close",
}
# (move, role or "" for any) -> (form, slot); the newest action for a slot wins (after a return)
SLOTS: list[tuple[str, str, str, str]] = [
    ("submit_filing", "", "filing", "submitted"),
    ("review_filing", CaseRole.UNIT_HEAD, "filing", "unit_head"),
    ("review_filing", CaseRole.DEPUTY, "filing", "deputy"),
    ("approve_filing", "", "filing", "head"),
    ("refuse_filing", "", "filing", "head"),
    ("submit_decision", "", "decision", "submitted"),
    ("review_decision", CaseRole.UNIT_HEAD, "decision", "unit_head"),
    ("review_decision", CaseRole.DEPUTY, "decision", "deputy"),
    ("legal_review", "", "decision", "legal"),
    ("decide", "", "decision", "head"),
    ("close", CaseRole.OFFICER, "closure", "submitted"),
    ("close", "", "closure", "submitted"),
    ("close", CaseRole.UNIT_HEAD, "closure", "unit_head"),
    ("close", CaseRole.HEAD, "closure", "head"),
]
FORM_SLOTS = {
    "filing": ["submitted", "unit_head", "deputy", "head"],
    "decision": ["submitted", "unit_head", "deputy", "legal", "discussion", "head"],
    "closure": ["submitted", "unit_head", "head"],
}
ROLE_LABELS = dict(CaseRole.ROLES)
OUTCOME_LABELS = dict(CaseAction.OUTCOMES)
EMPTY_SLOT = {"name": "", "opinion": "", "outcome": "", "date": "", "role": ""}


def _slot(action: CaseAction) -> dict[str, str]:
    outcome = OUTCOME_LABELS.get(action.outcome, "")
    return {
        "name": person(action),
        "opinion": _text(action.opinion) or outcome,
        "outcome": outcome,
        "date": cn_date(action.on),
        "role": ROLE_LABELS.get(action.role, action.role),
    }


def person(action: CaseAction) -> str:
    """The name who signs: the account's full name, else the recorded 办理人 without its role."""
    user = action.user if action.user_id else None
    full = user.get_full_name() if user is not None else ""
    return full or plain_name(action.actor_name)


def plain_name(recorded: str) -> str:
    """A name as the services record it (``str(actor)``: 孙局长（部门填报员）) without the role."""
    return re.sub(r"（[^（）]*）$", "", _text(recorded))


def _approvals(actions: list[CaseAction]) -> dict[str, dict[str, dict[str, str]]]:
    forms = {name: {slot: dict(EMPTY_SLOT) for slot in slots} for name, slots in FORM_SLOTS.items()}
    for action in actions:
        for move, role, form, slot in SLOTS:
            if action.move == move and (role == "" or action.role == role):
                if role or not _has_specific(move, action.role):
                    forms[form][slot] = _slot(action)
                break
    return forms


def _has_specific(move: str, role: str) -> bool:
    """Whether a (move, role) has its own slot, so the catch-all "" rule must not take it."""
    return any(m == move and r == role and r for m, r, _, _ in SLOTS)


def _date_of(actions: list[CaseAction], move: str) -> str:
    dates = [a.on for a in actions if a.move == move]
    return cn_date(dates[-1]) if dates else ""


def _filing_note(actions: list[CaseAction]) -> str:
    refused = [a for a in actions if a.move == "refuse_filing"]
    return f"不予立案：{_text(refused[-1].opinion)}" if refused else ""


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any) -> str:
    """A value as text a document can hold: no control characters (XML refuses them, and docxtpl
    reads \\a and \\f as paragraph and page breaks)."""
    return CONTROL.sub("", "" if value is None else str(value)).strip()


def _case(facts: Facts) -> dict[str, Any]:
    case = facts.case
    standard = case.standard
    circumstances = dict(_circumstances())
    proposed_range = ""
    if case.proposed_min is not None or case.proposed_max is not None:
        proposed_range = f"{money(case.proposed_min) or '—'}至{money(case.proposed_max) or '—'}"
    law_name = case.law.title if case.law_id and case.law else ""
    return {
        "number": case.number or f"（未立案，线索 {case.pk or ''}）",
        "title": _text(case.title),
        "procedure": case.get_procedure_display(),
        "stage": case.stage_label,
        "source": case.get_source_display(),
        "source_detail": _text(case.source_detail),
        "source_ref": _text(case.source_ref),
        "occurred_on": cn_date(case.occurred_on),
        "unit": _text(case.unit),
        "facts": _text(case.facts),
        "power_code": _text(case.power_code),
        "power_name": _text(case.power_name),
        "violated_basis": _text(standard.violated_basis if standard else "") or law_name,
        "basis": _text(case.basis) or _text(standard.penalty_basis if standard else ""),
        "law": law_name,
        "article": _text(case.article),
        "standard": f"{standard.code} {standard.violation}" if standard else "",
        "circumstance": circumstances.get(case.circumstance, case.circumstance),
        "proposed_range": proposed_range,
        "proposed_amount": money(case.proposed_amount),
        "proposed_kinds": "、".join(_labels("penalty_kinds", case.proposed_kinds)),
        "proposed_penalty": _penalty(case.proposed_kinds, case.proposed_amount),
        "outside_range_reason": _text(case.outside_range_reason),
        "notified_amount": money(case.notified_amount),
        "is_major": "是" if case.is_major else "否",
        "legal_review_reasons": "、".join(_labels("legal_review_situations", case.legal_review_reasons)),
        "hearing_triggers": "、".join(_labels("hearing_triggers", case.hearing_triggers)),
        "hearing_available": bool(case.hearing_triggers),
        "decision": case.get_decision_display() if case.decision else "",
        "penalty_kinds": "、".join(_labels("penalty_kinds", case.penalty_kinds)),
        "fine_amount": money(case.fine_amount),
        "fine_amount_upper": upper_money(case.fine_amount),
        "confiscation_amount": money(case.confiscation_amount),
        "decision_text": _text(case.decision_text).rstrip("。")
        or _penalty(case.penalty_kinds, case.fine_amount),
        "decided_on": cn_date(case.decided_on),
        "served_on": cn_date(case.served_on),
        "closed_on": cn_date(case.closed_on),
        "closure_report": _text(case.closure_report),
        "archived_on": cn_date(case.archived_on),
    }


def _circumstances() -> list[tuple[str, str]]:
    from qingdan.cases.models import DiscretionLevel

    return DiscretionLevel.CIRCUMSTANCES


def _labels(key: str, codes: list[Any]) -> list[str]:
    """Codes of the procedure's lists (fine, large_fine …) as their Chinese labels."""
    known = procedure.labels(key)
    return [known.get(str(code), str(code)) for code in codes]


def _penalty(kinds: list[Any], amount: Decimal | None) -> str:
    parts = [k for k in _labels("penalty_kinds", kinds) if k != "罚款"]
    if amount is not None:
        parts.append(f"罚款{money(amount)}")
    return "；".join(parts)


def _party(case: PenaltyCase) -> dict[str, str]:
    return {
        "kind": case.party_kind,
        "kind_label": case.get_party_kind_display(),
        "name": _text(case.party_name),
        "id_number": _text(case.party_id_number),
        "representative": _text(case.party_representative),
        "address": _text(case.party_address),
        "phone": _text(case.party_phone),
        "electronic_address": _text(case.electronic_address) if case.electronic_consent else "",
    }


def _officer(officer: Officer) -> dict[str, str]:
    return {"name": officer.name, "certificate_number": officer.certificate_number, "unit": officer.unit}


def _officers(rows: list[CaseOfficer]) -> dict[str, Any]:
    inspectors = [_officer(r.officer) for r in rows if r.role == CaseOfficer.INSPECTOR]
    handlers = [_officer(r.officer) for r in rows if r.role == CaseOfficer.HANDLER]
    everyone = list({o["name"] + o["certificate_number"]: o for o in inspectors + handlers}.values())
    return {
        "inspectors": inspectors,
        "handlers": handlers,
        "inspectors_text": _officers_text(inspectors),
        "handlers_text": _officers_text(handlers),
        "all_text": _officers_text(everyone),
    }


def _officers_text(officers: list[dict[str, str]]) -> str:
    return "、".join(f"{o['name']}（执法证号 {o['certificate_number'] or '无'}）" for o in officers)


def _last(actions: list[CaseAction], move: str) -> CaseAction | None:
    found = [a for a in actions if a.move == move]
    return found[-1] if found else None


def _inspection(actions: list[CaseAction]) -> dict[str, str]:
    action = _last(actions, "record_inspection")
    if action is None:
        return {"date": "", "place": "", "content": "", "recorder": ""}
    data = action.data or {}
    return {
        "date": cn_date(action.on),
        "place": _text(data.get("地点") or data.get("place")),
        "content": _text(data.get("笔录") or data.get("content")) or _text(action.opinion),
        "recorder": _text(data.get("记录人") or data.get("recorder")) or person(action),
    }


def _correction(actions: list[CaseAction]) -> dict[str, str]:
    action = _last(actions, "order_correction")
    if action is None:
        return {"date": "", "due": "", "content": ""}
    data = action.data or {}
    return {
        "date": cn_date(action.on),
        "due": cn_date(data.get("改正期限") or data.get("due")),
        "content": _text(data.get("责令改正") or data.get("content")) or _text(action.opinion),
    }


def _statements_text(actions: list[CaseAction], hearing: Hearing | None) -> str:
    said = [a for a in actions if a.move == "record_statement"]
    parts = [_statement(a) for a in said]
    if not said:
        parts.append("当事人在规定期限内未提出陈述、申辩。")
    if hearing is not None and hearing.recorded_on:
        parts.append(f"本机关于{cn_date(hearing.held_on)}依法举行了听证。")
    return "".join(p if p.endswith("。") else p + "。" for p in parts)


def _statement(action: CaseAction) -> str:
    data = action.data or {}
    if data.get("放弃"):
        return f"当事人于{cn_date(action.on)}书面放弃陈述、申辩的权利"
    said = _text(data.get("陈述申辩"))
    review = _text(action.opinion)
    text = f"当事人于{cn_date(action.on)}提出陈述、申辩：{said or review}"
    return text + (f"。经复核：{review}" if said and review else "")


def _evidence(piece: Evidence) -> dict[str, str]:
    return {
        "position": str(piece.position),
        "kind": piece.get_kind_display(),
        "title": _text(piece.title),
        "description": _text(piece.description),
        "collected_on": cn_date(piece.collected_on),
        "collected_by": _text(piece.collected_by),
        "file_name": piece.file_name,
        "sha256": piece.sha256,
    }


def _hearing(hearing: Hearing | None) -> dict[str, Any]:
    if hearing is None:
        hearing = Hearing()
    attendees = [a if isinstance(a, dict) else {"name": str(a)} for a in hearing.attendees or []]
    names = [
        _text(a.get("name")) + (f"（{_text(a.get('title'))}）" if a.get("title") else "") for a in attendees
    ]
    return {
        "requested_on": cn_date(hearing.requested_on),
        "notified_on": cn_date(hearing.notified_on),
        "held_on": cn_date(hearing.held_on),
        "place": _text(hearing.place),
        "public_label": ("公开" if hearing.public else "不公开") if hearing.held_on else "",
        "presider": plain_name(hearing.presider),
        "record": _text(hearing.record),
        "attendees": [{"name": _text(a.get("name")), "title": _text(a.get("title"))} for a in attendees],
        "attendees_text": "、".join(names),
        "recorded_on": cn_date(hearing.recorded_on),
    }


def _discussion(discussion: Discussion | None) -> dict[str, Any]:
    if discussion is None:
        return {
            "held_on": "",
            "presider": "",
            "recorded_by": "",
            "attendees": [],
            "attendees_text": "",
            "conclusion": "",
        }
    attendees = []
    for row in discussion.attendees or []:
        if isinstance(row, dict):
            name, title = _text(row.get("name")), _text(row.get("title"))
            label = f"{name}（{title}）" if title else name
            attendees.append({"name": name, "title": title, "label": label, "view": _text(row.get("view"))})
    return {
        "held_on": cn_date(discussion.held_on),
        "presider": plain_name(discussion.presider),
        "recorded_by": plain_name(discussion.recorded_by_name),
        "attendees": attendees,
        "attendees_text": "、".join(
            f"{a['name']}（{a['title']}）" if a["title"] else a["name"] for a in attendees
        ),
        "conclusion": _text(discussion.conclusion),
    }


def _deadline(deadline: CaseDeadline) -> dict[str, str]:
    return {
        "label": deadline.label,
        "basis": deadline.basis,
        "start": cn_date(deadline.start),
        "due": cn_date(deadline.due),
        "status": deadline.get_status_display(),
    }


def _service(case: PenaltyCase, actions: list[CaseAction]) -> dict[str, str]:
    action = _last(actions, "serve")
    data = (action.data or {}) if action else {}
    return {
        "document": "不予行政处罚决定书" if case.decision == PenaltyCase.NO_PENALTY else "行政处罚决定书",
        "method": case.get_service_method_display() if case.service_method else "",
        "served_on": cn_date(case.served_on),
        "place": _text(data.get("place")) or _text(case.party_address),
        "note": _text(case.service_note),
    }


def _payment(payment: Payment) -> dict[str, str]:
    return {
        "paid_on": cn_date(payment.paid_on),
        "amount": money(payment.amount),
        "surcharge": "加处罚款" if payment.surcharge else "罚款",
        "receipt": payment.receipt,
    }


def _payments_text(payments: list[Payment]) -> str:
    if not payments:
        return "尚无缴款记录。"
    lines = [
        f"{cn_date(p.paid_on)}缴纳{'加处罚款' if p.surcharge else '罚款'}{money(p.amount)}"
        + (f"（票据号 {p.receipt}）" if p.receipt else "")
        for p in payments
    ]
    total = sum((p.amount for p in payments), Decimal(0))
    return "；".join(lines) + f"。合计{money(total)}。"


def _rights(jurisdiction: Jurisdiction) -> dict[str, Any]:
    """复议 within 60 days (行政复议法 第20条), 诉讼 within 6 months (行政诉讼法 第46条); 陈述申辩
    and 听证 requests within 5 working days (行政处罚法 第64、85条)."""
    rights = procedure.rules()["rights"]
    review_days, lawsuit_months = int(rights["review_days"]), int(rights["lawsuit_months"])
    return {
        "review_days": review_days,
        "review_period": f"{cn_count(review_days)}日",
        "review_basis": rights["review_basis"],
        "lawsuit_months": lawsuit_months,
        "lawsuit_period": f"{cn_count(lawsuit_months)}个月",
        "lawsuit_basis": rights["lawsuit_basis"],
        "review_body": f"{jurisdiction.name}人民政府",
        "court": "有管辖权的人民法院",
        "statement_period": "五个工作日",
        "hearing_request_period": "五个工作日",
    }


# --- templates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    content: bytes
    sha256: str
    source: str  # 本部门 / 共用 / 默认
    file_name: str


def template_for(department: Department | None, kind: str) -> Template:
    """The template a document of ``kind`` is made from: the department's own, else the shared
    one, else the shipped default."""
    owners = ([department] if department is not None else []) + [None]
    for owner in owners:
        source = "共用" if owner is None else "本部门"
        row = DocumentTemplate.objects.filter(department=owner, kind=kind).order_by("-id").first()
        if row is not None:
            return Template(bytes(row.content), row.sha256, source, row.file_name)
    content = default_template(kind)
    return Template(content, hashlib.sha256(content).hexdigest(), "默认", f"{kind}.docx")


def render(content: bytes, values: dict[str, Any]) -> bytes:
    """A template filled in, in the sandbox; a problem comes back as a Chinese QingdanError."""
    try:
        document = DocxTemplate(io.BytesIO(content))
        document.render(values, jinja_env=sandbox(), autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except QingdanError:
        raise
    except Exception as exc:
        raise QingdanError(_explain(exc)) from exc
    return out.getvalue()


def _explain(exc: Exception) -> str:
    near = "".join(getattr(exc, "docx_context", []) or []).strip()
    where = f"（附近文字：「{near[:60]}」）" if near else ""
    message = str(exc)
    if isinstance(exc, SecurityError) or "unsafe" in message:
        return f"模板试图访问不允许的内容，已拒绝（模板不能执行代码）{where}。"
    if isinstance(exc, UndefinedError):
        name = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
        found = next((g for g in name.groups() if g), "") if name else ""
        if found.startswith("_"):
            return f"模板试图访问不允许的内容「{found}」，已拒绝（模板不能执行代码）{where}。"
        return f"模板使用了不存在的名称「{found}」{where}。可用的名称见 docs/cases.md「文书与模板」。"
    missing_filter = re.search(r"No filter named '([^']+)'", message)
    if missing_filter:
        return (
            f"模板使用了不允许的过滤器「{missing_filter.group(1)}」；可用：{'、'.join(sandbox().filters)}。"
        )
    if isinstance(exc, TemplateSyntaxError):
        return (
            f"模板语法错误{where}：{{{{ }}}} 或 {{% %}} 不成对、写法不对，"
            "或用了模板不支持的语句（如 import）。"
        )
    if isinstance(exc, TemplateError):
        return f"模板不能使用此写法（如 import、include、extends）{where}。"
    return f"无法读取或填写模板：{type(exc).__name__}{where}。"


def check_template(kind: str, file_name: str, content: bytes) -> None:
    """Refuse, in Chinese, a template that is not a plain .docx within the limits, uses a name
    the context does not have, or fails to render a sample case in the sandbox."""
    name = file_name or "模板"
    limit = int(getattr(settings, "QINGDAN_TEMPLATE_MAX_BYTES", 5 * 1024 * 1024))
    if len(content) > limit:
        raise QingdanError(f"「{name}」有 {_size(len(content))}，超过模板大小上限 {_size(limit)}。")
    if name.lower().endswith((".docm", ".dotm")):
        raise QingdanError(f"「{name}」是启用宏的文档，不能作为模板；请在 Word 中另存为 .docx。")
    _check_package(name, content, limit * UNPACKED_FACTOR)
    sample = sample_context(kind)
    try:
        variables = DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables(jinja_env=sandbox())
    except Exception as exc:
        raise QingdanError(f"「{name}」：{_explain(exc)}") from exc
    unknown = sorted(set(variables) - set(sample))
    if unknown:
        raise QingdanError(
            f"「{name}」使用了未知的名称：{'、'.join(f'「{u}」' for u in unknown)}。"
            "可用的名称见 docs/cases.md「文书与模板」。"
        )
    try:
        render(content, sample)
    except QingdanError as exc:
        raise QingdanError(f"「{name}」用示例案件试填失败：{exc.message}") from exc


def _check_package(name: str, content: bytes, unpacked_limit: int) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise QingdanError(f"「{name}」不是 Word 文档（.docx）：无法作为 zip 文件读取。") from exc
    names = {e.filename for e in entries}
    if len(entries) > MAX_ENTRIES:
        raise QingdanError(f"「{name}」内含 {len(entries)} 个部件，不像一份模板，已拒绝。")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > unpacked_limit:
        raise QingdanError(
            f"「{name}」解压后有 {_size(unpacked)}，超过上限 {_size(unpacked_limit)}（可能是压缩炸弹）。"
        )
    if "word/document.xml" not in names:
        raise QingdanError(f"「{name}」不是 Word 文档（.docx）：缺少 word/document.xml。")
    types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        raise QingdanError(f"「{name}」含有宏（VBA），不能作为模板；请在 Word 中另存为不含宏的 .docx。")
    # Word never writes a DTD; one in a part could only be there to expand or fetch entities
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in package.read(entry.filename):
            raise QingdanError(f"「{name}」的 {entry.filename} 含有 DOCTYPE 声明，Word 不会这样写，已拒绝。")


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def sample_context(kind: str) -> dict[str, Any]:
    """The context of a made-up case with every part filled, to check a template against."""
    if kind in REPORT_KINDS:
        from qingdan.cases import document_sample

        case = document_sample.facts().case
        return _report_context(case.department, 2026, 1, [case], {None}, dt.date(2026, 7, 20))
    from qingdan.cases import document_sample

    return build_context(document_sample.facts())


def template_json(row: DocumentTemplate | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "kind": row.kind,
        "file_name": row.file_name,
        "sha256": row.sha256,
        "department": row.department_id,
    }


# --- services -----------------------------------------------------------------------------


def require_kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        raise QingdanError(f"没有「{kind}」这种文书；可用：{'、'.join(KIND_LABELS)}")
    return KIND_LABELS[kind]


def _scope(department: Department | None) -> str:
    return department.name if department else "共用"


def upload_template(
    actor: Actor, kind: str, file_name: str, content: bytes, department: Department | None = None
) -> DocumentTemplate:
    """Keep a checked template for ``kind``: the department's own, or (``department`` None) the
    shared one; it replaces the one there was."""
    label = require_kind(kind)
    require(can_manage_templates(actor, department), actor, f"上传{_scope(department)}的「{label}」模板")
    check_template(kind, file_name, content)
    with transaction.atomic():
        old = list(DocumentTemplate.objects.select_for_update().filter(department=department, kind=kind))
        before = template_json(old[-1]) if old else None
        DocumentTemplate.objects.filter(pk__in=[o.pk for o in old]).delete()
        row = DocumentTemplate.objects.create(
            department=department,
            kind=kind,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            file_name=file_name[:255],
            uploaded_by_name=actor.name,
        )
        _audit(actor, "template_upload", row, before, template_json(row))
    return row


def remove_template(actor: Actor, kind: str, department: Department | None = None) -> None:
    """Remove an uploaded template: documents of ``kind`` are made from the next one again
    (the shared one, or the shipped default)."""
    label = require_kind(kind)
    require(can_manage_templates(actor, department), actor, f"删除{_scope(department)}的「{label}」模板")
    with transaction.atomic():
        rows = list(DocumentTemplate.objects.select_for_update().filter(department=department, kind=kind))
        if not rows:
            raise NotFound(f"{_scope(department)}没有上传过「{label}」模板，用的已是默认模板。")
        _audit(actor, "template_remove", rows[-1], template_json(rows[-1]), None)
        DocumentTemplate.objects.filter(pk__in=[r.pk for r in rows]).delete()


def _audit(
    actor: Actor,
    action: str,
    row: DocumentTemplate,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record(
        action,
        object_type="documenttemplate",
        object_id=row.pk,
        object_repr=f"{_scope(row.department)}「{KIND_LABELS[row.kind]}」模板 {row.file_name}",
        before=before,
        after=after,
        actor=actor.user,
        actor_name=str(actor),
    )


def make_document(actor: Actor, case: PenaltyCase, kind: str) -> CaseDocument:
    """Make (and keep) a document of ``kind`` for the case, from the template in force."""
    label = require_kind(kind)
    # from what is stored now, not from a copy the caller may hold from before the last step
    case = PenaltyCase.objects.select_related("department__jurisdiction", "standard", "law").get(pk=case.pk)
    require(can_see_case(actor, case), actor, f"制作{case}的「{label}」")
    require_available(case, kind)
    template = template_for(case.department, kind)
    try:
        content = render(template.content, context(case, kind, actor.name))
    except QingdanError as exc:
        raise QingdanError(f"「{label}」{template.source}模板 {template.file_name}：{exc.message}") from exc
    with transaction.atomic():
        document = CaseDocument.objects.create(
            case=case,
            kind=kind,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            template_sha256=template.sha256,
            made_by_name=actor.name,
        )
        log(
            actor,
            "case_document",
            case,
            after={
                "document": document.pk,
                "kind": kind,
                "sha256": document.sha256,
                "template_sha256": template.sha256,
                "template": template.source,
            },
        )
    return document


def latest_document(actor: Actor, case: PenaltyCase, kind: str) -> CaseDocument:
    """The newest kept document of ``kind`` (a read: what a GET returns)."""
    label = require_kind(kind)
    require(can_see_case(actor, case), actor, f"查看{case}的文书")
    document = case.documents.filter(kind=kind).order_by("-made_at", "-id").first()
    if document is None:
        raise NotFound(f"{case}还没有制作过「{label}」。")
    return document


def document_file_name(document: CaseDocument) -> str:
    case = document.case
    return f"{case.number or f'线索{case.pk}'}-{KIND_LABELS[document.kind]}.docx"


# --- 重大行政处罚决定备案报告 -----------------------------------------------------------------------


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half not in (1, 2):
        raise QingdanError(f"半年度只能是 1（上半年）或 2（下半年），不能是 {half}。")
    if not 1900 < year < 3000:
        raise QingdanError(f"年度 {year} 不对。")
    return (
        (dt.date(year, 1, 1), dt.date(year, 6, 30))
        if half == 1
        else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    )


def major_cases(department: Department, year: int, half: int) -> list[PenaltyCase]:
    first, last = half_year(year, half)
    return list(
        PenaltyCase.objects.filter(
            department=department, is_major=True, decided_on__gte=first, decided_on__lte=last
        )
        .exclude(decision="")
        .order_by("decided_on", "number_seq", "id")
    )


def major_filing_report(actor: Actor, department: Department, year: int, half: int) -> bytes:
    """The half-year 重大行政处罚决定备案报告: the department's 重大 cases decided in that half."""
    require(can_report(actor, department), actor, f"制作{department.name}的重大行政处罚决定备案报告")
    cases = major_cases(department, year, half)
    discussed: set[int | None] = set(
        Discussion.objects.filter(case__in=cases).values_list("case_id", flat=True)
    )
    values = _report_context(department, year, half, cases, discussed, timezone.localdate())
    template = template_for(department, "major_filing_report")
    return render(template.content, values)


def _report_context(
    department: Department,
    year: int,
    half: int,
    cases: list[PenaltyCase],
    discussed: set[int | None],
    today: dt.date,
) -> dict[str, Any]:
    rows = [
        {
            "position": str(index),
            "number": case.number,
            "party": _text(case.party_name),
            "title": _text(case.title),
            "decision_text": _text(case.decision_text) or _penalty(case.penalty_kinds, case.fine_amount),
            "fine_amount": money(case.fine_amount),
            "decided_on": cn_date(case.decided_on),
            "discussed": "是" if case.pk in discussed else "否",
        }
        for index, case in enumerate(cases, 1)
    ]
    total = sum(((c.fine_amount or 0) + (c.confiscation_amount or 0) for c in cases), Decimal(0))
    jurisdiction = department.jurisdiction.name
    return {
        "department": {"name": department.name, "jurisdiction": jurisdiction, "number_prefix": ""},
        "report": {
            "year": str(year),
            "half": "上半年" if half == 1 else "下半年",
            "period": f"{year}年{'上' if half == 1 else '下'}半年",
            "recipient": f"{jurisdiction}人民政府",
            "count": str(len(rows)),
            "total": money(total),
            "cases": rows,
        },
        "today": cn_date(today),
    }
