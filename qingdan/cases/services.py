"""The steps of a 行政处罚案件, one function each (seed 001 三、查处流程; 行政处罚法 2021).

Every step: lock the case row, ask ``states.require_move`` whether the case's stage allows it,
ask ``roles`` whether the actor holds the role the step needs, check the step's own precondition,
write inside ``transaction.atomic()``, record a ``CaseAction`` (who, in which role, with what
opinion) and an audit entry, and start or finish the deadlines the step opens or meets. The web
pages, the API and the command line call these functions and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from qingdan.cases import deadlines, procedure, states
from qingdan.cases.models import (
    CaseAction,
    CaseDeadline,
    CaseOfficer,
    CaseRole,
    CaseRules,
    Discussion,
    Evidence,
    Hearing,
    Installment,
    Payment,
    PenaltyCase,
    Preservation,
    Recusal,
    Suspension,
)
from qingdan.cases.roles import ROLE_LABELS, acting_officer, require_on_case, require_role
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, PermissionDenied
from qingdan.deadlines import calendars
from qingdan.enforcement.models import Officer
from qingdan.enforcement.staff import require_certified
from qingdan.errors import QingdanError

# --- the common shape of a step ---------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _day(on: dt.date | None) -> dt.date:
    day = on or _today()
    if day > _today():
        raise QingdanError(f"办理日期 {day:%Y-%m-%d} 晚于今天，不能预先登记。")
    return day


def _locked(case: PenaltyCase | int) -> PenaltyCase:
    pk = case.pk if isinstance(case, PenaltyCase) else case
    return PenaltyCase.objects.select_for_update().select_related("department").get(pk=pk)


def _record(
    actor: Actor,
    case: PenaltyCase,
    move: str,
    day: dt.date,
    *,
    role: str = "",
    opinion: str = "",
    outcome: str = "",
    data: dict[str, Any] | None = None,
) -> CaseAction:
    """Move the case (the stage ``states.MOVES`` gives) and record who did it."""
    before = case.stage
    case.stage = states.require_move(before, move)
    case.save()
    action = CaseAction.objects.create(
        case=case,
        move=move,
        stage_before=before,
        stage_after=case.stage,
        role=role,
        actor_name=actor.name,
        user=actor.user,
        opinion=opinion.strip(),
        outcome=outcome,
        on=day,
        data=data or {},
    )
    after = {"阶段": case.stage_label, **({"意见": opinion.strip()} if opinion.strip() else {})}
    log(actor, f"case_{move}", case, before={"阶段": states.LABELS[before]}, after=after | _readable(data))
    return action


def _readable(data: dict[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (data or {}).items() if not key.startswith("_")}


def _since_last(case: PenaltyCase, submit_move: str) -> list[CaseAction]:
    """The actions taken since the case was last submitted for this approval."""
    last = case.actions.filter(move=submit_move).order_by("-acted_at", "-id").first()
    if last is None:
        return []
    return list(case.actions.filter(id__gt=last.id).order_by("id"))


def _need_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise QingdanError(f"请填写{label}。")
    return value


def _money(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").removesuffix("元"))
    except InvalidOperation:
        raise QingdanError(f"{label}「{value}」不是金额。") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise QingdanError(f"{label}「{value}」须为不小于 0、最多两位小数的金额。")
    return amount


def _officers(
    department: Department, officers: Sequence[Officer | int], day: dt.date, what: str
) -> list[Officer]:
    """At least two distinct officers of the department, each certified on ``day`` (第四十二条)."""
    found: list[Officer] = []
    for item in officers:
        officer = item if isinstance(item, Officer) else Officer.objects.filter(pk=item).first()
        if officer is None or officer.department_id != department.pk:
            raise QingdanError(f"{what}须为{department}登记的执法人员（编号 {item} 不是）。")
        require_certified(officer, day)
        if officer not in found:
            found.append(officer)
    need = procedure.min_officers()
    if len(found) < need:
        raise QingdanError(
            f"{what}不得少于{need}人，且须持有有效执法证（{procedure.basis('min_officers')}）。"
        )
    return found


def _recused(case: PenaltyCase) -> set[int]:
    return set(case.recusals.filter(decision=Recusal.GRANTED).values_list("officer_id", flat=True))


# --- 发现 -------------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    actor: Actor,
    department: Department,
    *,
    title: str,
    source: str,
    occurred_on: dt.date,
    party_kind: str,
    party_name: str,
    inspectors: Sequence[Officer | int],
    unit: str = "",
    party_id_number: str = "",
    party_address: str = "",
    party_representative: str = "",
    party_phone: str = "",
    source_detail: str = "",
    source_ref: str = "",
    procedure_kind: str = PenaltyCase.GENERAL,
) -> PenaltyCase:
    """发现: an officer of the department records a lead with the ≥ 2 officers who inspected."""
    day = _day(occurred_on)
    officer = acting_officer(actor, department, _today())
    if source not in dict(PenaltyCase.SOURCES):
        raise QingdanError(
            f"未知的案件来源「{source}」（可用：{'、'.join(dict(PenaltyCase.SOURCES).values())}）"
        )
    if party_kind not in dict(PenaltyCase.PARTY_KINDS):
        raise QingdanError("当事人类型须为 person（公民）或 organisation（法人或其他组织）。")
    team = _officers(department, inspectors, day, "检查人员")
    if officer not in team:
        raise QingdanError(f"登记人{officer.name}须是检查人员之一。")
    case = PenaltyCase.objects.create(
        department=department,
        procedure=procedure_kind,
        title=_need_text(title, "案由"),
        source=source,
        source_detail=source_detail.strip(),
        source_ref=source_ref.strip(),
        occurred_on=day,
        unit=(unit or officer.unit).strip(),
        party_kind=party_kind,
        party_name=_need_text(party_name, "当事人"),
        party_id_number=party_id_number.strip(),
        party_address=party_address.strip(),
        party_representative=party_representative.strip(),
        party_phone=party_phone.strip(),
        created_by_name=str(actor),
    )
    CaseOfficer.objects.bulk_create(
        [CaseOfficer(case=case, officer=member, role=CaseOfficer.INSPECTOR) for member in team]
    )
    CaseAction.objects.create(
        case=case,
        move="open",
        stage_before="",
        stage_after=case.stage,
        role=CaseRole.OFFICER,
        actor_name=actor.name,
        user=actor.user,
        on=_today(),
        data={"检查人员": [m.name for m in team], "来源": case.get_source_display()},
    )
    log(
        actor,
        "case_open",
        case,
        after={"案由": case.title, "当事人": case.party_name, "检查人员": [m.name for m in team]},
    )
    if procedure_kind == PenaltyCase.GENERAL:
        deadlines.start(case, "filing", day)
    return case


@transaction.atomic
def record_inspection(
    actor: Actor, case: PenaltyCase, *, record: str, on: dt.date | None = None
) -> CaseAction:
    """现场检查（勘查）笔录, by an officer who inspected."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "制作现场检查笔录")
    return _record(
        actor,
        case,
        "record_inspection",
        day,
        role=CaseRole.OFFICER,
        data={"笔录": _need_text(record, "笔录内容")},
    )


@transaction.atomic
def order_correction(
    actor: Actor,
    case: PenaltyCase,
    *,
    content: str,
    correct_by: dt.date | None = None,
    on: dt.date | None = None,
) -> CaseAction:
    """责令改正违法行为通知书."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "责令改正")
    data: dict[str, Any] = {"责令改正": _need_text(content, "责令改正内容")}
    if correct_by:
        data["改正期限"] = correct_by.isoformat()
    return _record(actor, case, "order_correction", day, role=CaseRole.OFFICER, data=data)


# --- 立案 -------------------------------------------------------------------------------------

FILING_CHAIN = [CaseRole.UNIT_HEAD, CaseRole.DEPUTY]  # then the head approves


@transaction.atomic
def submit_filing(
    actor: Actor,
    case: PenaltyCase,
    *,
    facts: str,
    handlers: Sequence[Officer | int],
    on: dt.date | None = None,
) -> CaseAction:
    """立案审批表 by an inspecting officer, naming the ≥ 2 承办人员 proposed."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "提请立案")
    team = _officers(case.department, handlers, day, "承办人员")
    case.facts = _need_text(facts, "案件基本情况")
    return _record(
        actor,
        case,
        "submit_filing",
        day,
        role=CaseRole.OFFICER,
        data={"承办人员": [m.name for m in team], "_handlers": [m.pk for m in team]},
    )


@transaction.atomic
def review_filing(actor: Actor, case: PenaltyCase, *, opinion: str, on: dt.date | None = None) -> CaseAction:
    """执法科室负责人, then 主管局长: each reads the 立案审批表 and writes an opinion."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "review_filing")
    done = [a.role for a in _since_last(case, "submit_filing") if a.move == "review_filing"]
    if len(done) >= len(FILING_CHAIN):
        raise QingdanError("立案审批表已经科室负责人和主管局长审核，等待主要负责人批准。")
    role = FILING_CHAIN[len(done)]
    require_role(actor, case, role, "审核立案审批表" if role == CaseRole.UNIT_HEAD else "审批立案审批表")
    return _record(
        actor,
        case,
        "review_filing",
        day,
        role=role,
        opinion=_need_text(opinion, "审核意见"),
        outcome=CaseAction.AGREE,
    )


def _chain_done(case: PenaltyCase, submit_move: str, review_move: str, roles: list[str]) -> None:
    done = [a.role for a in _since_last(case, submit_move) if a.move == review_move]
    missing = [role for role in roles if role not in done]
    if missing:
        raise QingdanError(f"尚待{'、'.join(ROLE_LABELS[r] for r in missing)}审核，不能越级批准。")


@transaction.atomic
def approve_filing(actor: Actor, case: PenaltyCase, *, opinion: str, on: dt.date | None = None) -> CaseAction:
    """主要负责人 approves: the case is filed, gets its 案号 and its 承办人员."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "approve_filing")
    require_role(actor, case, CaseRole.HEAD, "批准立案")
    _chain_done(case, "submit_filing", "review_filing", FILING_CHAIN)
    submitted = case.actions.filter(move="submit_filing").order_by("-id").first()
    assert submitted is not None
    team = _officers(case.department, submitted.data.get("_handlers", []), day, "承办人员")
    _number(case, day)
    CaseOfficer.objects.bulk_create(
        [CaseOfficer(case=case, officer=member, role=CaseOfficer.HANDLER) for member in team],
        ignore_conflicts=True,
    )
    action = _record(
        actor,
        case,
        "approve_filing",
        day,
        role=CaseRole.HEAD,
        opinion=_need_text(opinion, "批准意见"),
        outcome=CaseAction.AGREE,
        data={"案号": case.number, "承办人员": [m.name for m in team]},
    )
    deadlines.finish(case, "filing", day)
    deadlines.start(case, "decision", day)
    return action


def _number(case: PenaltyCase, day: dt.date) -> None:
    """The next 案号 of the department for the year, in its format (鹿工信罚〔2026〕3号)."""
    rules = CaseRules.objects.filter(department=case.department_id).first()
    prefix = rules.number_prefix if rules else f"{case.department.name}罚"
    pattern = rules.number_format if rules else "{prefix}〔{year}〕{seq}号"
    last = (
        PenaltyCase.objects.filter(department=case.department_id, number_year=day.year).aggregate(
            Max("number_seq")
        )["number_seq__max"]
        or 0
    )
    case.number_year, case.number_seq = day.year, last + 1
    case.number = pattern.format(prefix=prefix, year=day.year, seq=last + 1)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # two approvals at once in one department: the writer lock makes this rare
        raise QingdanError("案号分配冲突，请重试。") from None


@transaction.atomic
def refuse_filing(actor: Actor, case: PenaltyCase, *, reason: str, on: dt.date | None = None) -> CaseAction:
    """不予立案 — the 主要负责人's recorded decision, with its reason."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "refuse_filing")
    require_role(actor, case, CaseRole.HEAD, "决定不予立案")
    action = _record(
        actor,
        case,
        "refuse_filing",
        day,
        role=CaseRole.HEAD,
        opinion=_need_text(reason, "不予立案理由"),
        outcome=CaseAction.DISAGREE,
    )
    deadlines.finish(case, "filing", day)
    return action


@transaction.atomic
def return_filing(actor: Actor, case: PenaltyCase, *, opinion: str, on: dt.date | None = None) -> CaseAction:
    """A reviewer in the chain sends the 立案审批表 back to the officers with the reason."""
    roles = [CaseRole.UNIT_HEAD, CaseRole.DEPUTY, CaseRole.HEAD]
    return _send_back(actor, case, "return_filing", roles, "退回立案审批表", opinion, on)


def _send_back(
    actor: Actor, case: PenaltyCase, move: str, roles: list[str], what: str, opinion: str, on: dt.date | None
) -> CaseAction:
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, move)
    role = _any_role(actor, case, roles, what)
    opinion = _need_text(opinion, "退回理由")
    return _record(actor, case, move, day, role=role, opinion=opinion, outcome=CaseAction.DISAGREE)


def _any_role(actor: Actor, case: PenaltyCase, roles: list[str], what: str) -> str:
    """The first of ``roles`` the actor holds; an officer must also be on this case."""
    for role in roles:
        try:
            if role == CaseRole.OFFICER:
                require_on_case(actor, case, _today(), what)
            else:
                require_role(actor, case, role, what)
            return role
        except QingdanError:
            continue
    names = "、".join("本案承办人员" if r == CaseRole.OFFICER else ROLE_LABELS[r] for r in roles)
    raise PermissionDenied(f"只有{case.department}的{names}可以{what}（{actor}不是）。")


# --- 调查取证 ---------------------------------------------------------------------------------


def evidence_dir() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def evidence_path(sha256: str) -> Path:
    return evidence_dir() / sha256[:2] / sha256


@transaction.atomic
def add_evidence(
    actor: Actor,
    case: PenaltyCase,
    *,
    kind: str,
    title: str,
    collected_on: dt.date,
    content: bytes = b"",
    file_name: str = "",
    description: str = "",
    collected_by: str = "",
) -> Evidence:
    """A piece of evidence, its file kept by its SHA-256 (the same file twice is stored once)."""
    case = _locked(case)
    day = _day(collected_on)
    officer = require_on_case(actor, case, _today(), "登记证据")
    if kind not in dict(Evidence.KINDS):
        raise QingdanError(f"未知的证据种类「{kind}」（可用：{'、'.join(dict(Evidence.KINDS).values())}）")
    limit = int(getattr(settings, "QINGDAN_EVIDENCE_MAX_MB", 200)) * 1024 * 1024
    if len(content) > limit:
        raise QingdanError(f"证据文件「{file_name}」超过 {limit // 1024 // 1024} MB。")
    digest = hashlib.sha256(content).hexdigest() if content else ""
    if content:
        path = evidence_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(content)
            partial.replace(path)
    position = (case.evidence.aggregate(Max("position"))["position__max"] or 0) + 1
    item = Evidence.objects.create(
        case=case,
        position=position,
        kind=kind,
        title=_need_text(title, "证据名称"),
        description=description.strip(),
        collected_on=day,
        collected_by=(collected_by or officer.name).strip(),
        file_name=Path(file_name).name[:255],
        size=len(content),
        sha256=digest,
        added_by_name=str(actor),
    )
    _record(
        actor,
        case,
        "add_evidence",
        _today(),
        role=CaseRole.OFFICER,
        data={"证据": f"{position}. {item.title}", "种类": item.get_kind_display(), "SHA-256": digest},
    )
    return item


@transaction.atomic
def register_preservation(
    actor: Actor, case: PenaltyCase, *, items: str, on: dt.date | None = None
) -> Preservation:
    """先行登记保存 (第五十六条): recorded, and decided within seven working days."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "先行登记保存")
    saved = Preservation.objects.create(case=case, items=_need_text(items, "物品清单"), registered_on=day)
    _record(
        actor,
        case,
        "register_preservation",
        day,
        role=CaseRole.OFFICER,
        data={"物品": saved.items, "_id": saved.pk},
    )
    deadlines.start(case, "preservation", day)
    return saved


@transaction.atomic
def decide_preservation(
    actor: Actor, case: PenaltyCase, preservation: Preservation, *, decision: str, on: dt.date | None = None
) -> CaseAction:
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "decide_preservation")
    require_role(actor, case, CaseRole.HEAD, "对先行登记保存的物品作出处理决定")
    if preservation.case_id != case.pk or preservation.decided_on:
        raise QingdanError("该先行登记保存不属于本案，或已作出处理决定。")
    preservation.decision, preservation.decided_on = _need_text(decision, "处理决定"), day
    preservation.save()
    action = _record(
        actor, case, "decide_preservation", day, role=CaseRole.HEAD, opinion=preservation.decision
    )
    if not case.preservations.filter(decided_on__isnull=True).exists():
        deadlines.finish(case, "preservation", day)
    return action


@transaction.atomic
def declare_recusal(
    actor: Actor, case: PenaltyCase, officer: Officer, *, reason: str, requested_by: str = ""
) -> Recusal:
    """回避 (第四十三条): an officer declares it, or an officer records the party's request."""
    case = _locked(case)
    states.require_move(case.stage, "declare_recusal")
    acting_officer(actor, case.department, _today())
    if not case.officers.filter(officer=officer).exists():
        raise QingdanError(f"{officer.name}不在本案中，无需回避。")
    recusal = Recusal.objects.create(
        case=case,
        officer=officer,
        requested_by=(requested_by or str(actor)).strip(),
        reason=_need_text(reason, "回避理由"),
    )
    _record(
        actor,
        case,
        "declare_recusal",
        _today(),
        role=CaseRole.OFFICER,
        data={"回避人员": officer.name, "理由": recusal.reason},
    )
    return recusal


@transaction.atomic
def decide_recusal(
    actor: Actor, case: PenaltyCase, recusal: Recusal, *, granted: bool, opinion: str
) -> CaseAction:
    """The 主要负责人 decides (第四十三条第三款); a granted recusal takes the officer off the case."""
    case = _locked(case)
    states.require_move(case.stage, "decide_recusal")
    require_role(actor, case, CaseRole.HEAD, "决定回避")
    if recusal.case_id != case.pk or recusal.decision:
        raise QingdanError("该回避申请不属于本案，或已作出决定。")
    recusal.decision = Recusal.GRANTED if granted else Recusal.REFUSED
    recusal.decided_by_name, recusal.decided_on = str(actor), _today()
    recusal.save()
    if granted:
        case.officers.filter(officer=recusal.officer).delete()
    return _record(
        actor,
        case,
        "decide_recusal",
        _today(),
        role=CaseRole.HEAD,
        opinion=_need_text(opinion, "决定意见"),
        outcome=CaseAction.AGREE if granted else CaseAction.DISAGREE,
        data={"回避人员": recusal.officer.name, "决定": recusal.get_decision_display()},
    )


def _handlers_ready(case: PenaltyCase, day: dt.date) -> None:
    """Still ≥ 2 certified handlers once recusals are taken off."""
    team = [c.officer for c in case.officers.filter(role=CaseOfficer.HANDLER).select_related("officer")]
    _officers(case.department, [o for o in team if o.pk not in _recused(case)], day, "承办人员")


@transaction.atomic
def pause(
    actor: Actor, case: PenaltyCase, *, kind: str, reason: str, on: dt.date | None = None
) -> Suspension:
    """期限中止 (听证, 检测鉴定, 公告 …) approved by the 主要负责人: the decision period stands still."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "pause")
    require_role(actor, case, CaseRole.HEAD, "批准中止计算期限")
    if kind not in dict(Suspension.KINDS) or kind in ("review", "lawsuit"):
        raise QingdanError("中止事由须为 听证、检测检验鉴定、公告 或 其他。复议、诉讼请用“复议或诉讼”登记。")
    if case.suspensions.filter(ended_on__isnull=True).exclude(kind__in=["review", "lawsuit"]).exists():
        raise QingdanError("本案已有尚未结束的期限中止，请先恢复。")
    suspension = Suspension.objects.create(
        case=case, kind=kind, started_on=day, note=_need_text(reason, "中止理由")
    )
    _record(
        actor,
        case,
        "pause",
        day,
        role=CaseRole.HEAD,
        opinion=suspension.note,
        data={"事由": suspension.get_kind_display()},
    )
    deadlines.recompute_case(case)
    return suspension


@transaction.atomic
def resume(actor: Actor, case: PenaltyCase, *, on: dt.date | None = None) -> CaseAction:
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "resume")
    require_role(actor, case, CaseRole.HEAD, "恢复计算期限")
    running = case.suspensions.filter(ended_on__isnull=True).exclude(kind__in=["review", "lawsuit"]).first()
    if running is None:
        raise QingdanError("本案没有正在中止的期限。")
    if day < running.started_on:
        raise QingdanError(f"恢复日期不能早于中止日期 {running.started_on:%Y-%m-%d}。")
    running.ended_on = day
    running.save()
    action = _record(
        actor, case, "resume", day, role=CaseRole.HEAD, data={"事由": running.get_kind_display()}
    )
    deadlines.recompute_case(case)
    return action


@transaction.atomic
def extend(
    actor: Actor, case: PenaltyCase, *, key: str, days: int, reason: str, on: dt.date | None = None
) -> CaseAction:
    """An approved extension (立案 15 + 15 working days; 第六十条 “经本行政机关负责人批准，可以延长”)."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "extend")
    require_role(actor, case, CaseRole.HEAD, "批准延长期限")
    if days <= 0:
        raise QingdanError("延长天数须为正整数。")
    deadline = deadlines.extend(case, key, days)
    return _record(
        actor,
        case,
        "extend",
        day,
        role=CaseRole.HEAD,
        opinion=_need_text(reason, "延长理由"),
        data={"期限": deadline.label, "延长": days, "新到期日": deadline.due.isoformat()},
    )


# --- 告知, 陈述申辩, 听证 ---------------------------------------------------------------------


def hearing_triggers(
    case: PenaltyCase, kinds: list[str], amount: Decimal | None, declared: list[str]
) -> list[str]:
    """Which Art. 63 triggers apply: the kinds proposed, the amount against the department's
    较大数额, and what the officers declared (“其他较重的行政处罚”, other rules)."""
    rules = CaseRules.objects.filter(department=case.department_id).first()
    person = case.party_kind == PenaltyCase.PERSON
    large = None
    if rules is not None:
        large = rules.hearing_amount_person if person else rules.hearing_amount_organisation
    if large is None:
        large = Decimal(
            str(
                getattr(
                    settings,
                    "QINGDAN_HEARING_AMOUNT_PERSON" if person else "QINGDAN_HEARING_AMOUNT_ORGANISATION",
                )
            )
        )
    found = []
    for item in procedure.rules()["hearing_triggers"]["items"]:
        hit = bool(set(item["kinds"]) & set(kinds))
        if item.get("amount"):
            hit = hit and amount is not None and amount >= large
        if hit or item["code"] in declared:
            found.append(item["code"])
    return found


@transaction.atomic
def notify(
    actor: Actor,
    case: PenaltyCase,
    *,
    facts: str,
    basis: str,
    kinds: list[str],
    amount: Any = None,
    reason: str = "",
    declared_triggers: Sequence[str] = (),
    on: dt.date | None = None,
) -> CaseAction:
    """行政处罚事先告知书 (第四十四条): facts, reasons, basis, the penalty proposed and the rights —
    陈述、申辩, and 听证 where Art. 63 applies. The 5-working-day request period starts."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "事先告知")
    states.require_move(case.stage, "notify")
    _handlers_ready(case, day)
    if not case.evidence.exists():
        raise QingdanError("尚未登记任何证据，不能事先告知。")
    if case.preservations.filter(decided_on__isnull=True).exists():
        raise QingdanError("先行登记保存的物品尚未作出处理决定。")
    kinds = procedure.check_codes("penalty_kinds", list(kinds), "处罚种类")
    if not kinds:
        raise QingdanError("请选择拟给予的处罚种类。")
    fine = _money(amount, "拟罚款数额")
    if "fine" in kinds and fine is None:
        raise QingdanError("拟给予罚款的，请填写拟罚款数额。")
    declared = procedure.check_codes("hearing_triggers", list(declared_triggers), "听证情形")
    case.facts = _need_text(facts, "违法事实")
    case.basis = _need_text(basis, "处罚依据")
    case.proposed_kinds, case.proposed_amount, case.notified_amount = kinds, fine, fine
    case.hearing_triggers = hearing_triggers(case, kinds, fine, declared)
    action = _record(
        actor,
        case,
        "notify",
        day,
        role=CaseRole.OFFICER,
        opinion=reason,
        data={
            "拟处罚": "、".join(procedure.labels("penalty_kinds")[k] for k in kinds),
            "拟罚款": str(fine) if fine is not None else "",
            "听证权利": "有" if case.hearing_triggers else "无",
        },
    )
    deadlines.start(case, "statement", day)
    return action


@transaction.atomic
def record_statement(
    actor: Actor,
    case: PenaltyCase,
    *,
    statement: str,
    review: str,
    waived: bool = False,
    on: dt.date | None = None,
) -> CaseAction:
    """陈述、申辩 heard and reviewed (第四十五条) — or the party's written waiver of them."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "记录陈述申辩")
    return _record(
        actor,
        case,
        "record_statement",
        day,
        role=CaseRole.OFFICER,
        opinion=_need_text(review, "复核意见"),
        data={"陈述申辩": _need_text(statement, "陈述申辩内容"), "放弃": waived},
    )


@transaction.atomic
def request_hearing(actor: Actor, case: PenaltyCase, *, on: dt.date | None = None) -> Hearing:
    """The party asks for a hearing within five working days of the notice (第六十四条)."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, _today(), "登记听证申请")
    states.require_move(case.stage, "request_hearing")
    if not case.hearing_triggers:
        raise QingdanError("拟给予的处罚不属于第六十三条规定的听证情形，当事人无权要求听证。")
    window = case.deadlines.filter(rule=deadlines.rule_code(case, "statement")).order_by("-id").first()
    if window is not None and day > window.due:
        raise QingdanError(f"听证申请期限已于 {window.due:%Y-%m-%d} 届满（{window.basis}）。")
    hearing = Hearing.objects.create(case=case, requested_on=day)
    _record(actor, case, "request_hearing", day, role=CaseRole.OFFICER)
    deadlines.finish(case, "statement", day)
    return hearing


@transaction.atomic
def schedule_hearing(
    actor: Actor,
    case: PenaltyCase,
    *,
    held_on: dt.date,
    place: str,
    presider: Any,
    public: bool = True,
    on: dt.date | None = None,
) -> Hearing:
    """The legal office notifies the hearing seven working days ahead and names a presider who did
    not investigate the case (第六十四条)."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "schedule_hearing")
    require_role(actor, case, CaseRole.LEGAL, "组织听证")
    ahead = deadlines.rule(deadlines.rule_code(case, "hearing_notice"))
    earliest = calendars.due(day, ahead.days, ahead.unit)
    if held_on < earliest.date:
        raise QingdanError(
            f"听证须在举行{ahead.days}个工作日前通知当事人（{ahead.basis}）：{day:%Y-%m-%d} 通知的，"
            f"最早 {earliest.date:%Y-%m-%d} 举行。"
        )
    presider_name = _presider(case, presider)
    hearing = case.hearing
    hearing.notified_on, hearing.held_on, hearing.place, hearing.public = (
        day,
        held_on,
        _need_text(place, "听证地点"),
        public,
    )
    hearing.presider, hearing.presider_user = presider_name, presider
    hearing.save()
    _record(
        actor,
        case,
        "schedule_hearing",
        day,
        role=CaseRole.LEGAL,
        data={"举行日期": held_on.isoformat(), "地点": hearing.place, "主持人": presider_name},
    )
    return hearing


def _presider(case: PenaltyCase, user: Any) -> str:
    if user is None:
        raise QingdanError("请指定听证主持人。")
    investigators = set(case.officers.values_list("officer_id", flat=True))
    bound = CaseRole.objects.filter(user=user, department=case.department_id, officer__in=investigators)
    if bound.exists():
        raise QingdanError("听证主持人须为本案调查人员以外的人员（第六十四条第四项）。")
    return str(user.get_full_name() or user.get_username())


@transaction.atomic
def record_hearing(
    actor: Actor, case: PenaltyCase, *, record: str, attendees: list[str], on: dt.date | None = None
) -> Hearing:
    """听证笔录 (第六十四条第八项), by the legal office after the hearing was held."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "record_hearing")
    require_role(actor, case, CaseRole.LEGAL, "制作听证笔录")
    hearing = case.hearing
    if hearing.held_on is None or day < hearing.held_on:
        raise QingdanError("听证尚未举行，不能制作听证笔录。")
    hearing.record, hearing.attendees, hearing.recorded_on = _need_text(record, "听证笔录"), attendees, day
    hearing.save()
    _record(actor, case, "record_hearing", day, role=CaseRole.LEGAL, data={"参加人": attendees})
    return hearing


# --- 处罚决定审批 -------------------------------------------------------------------------------


@transaction.atomic
def submit_decision(
    actor: Actor,
    case: PenaltyCase,
    *,
    report: str,
    kinds: list[str],
    amount: Any = None,
    standard: Any = None,
    circumstance: str = "",
    outside_range_reason: str = "",
    legal_situations: Sequence[str] = (),
    major: bool = False,
    on: dt.date | None = None,
) -> CaseAction:
    """案件调查终结报告 and 行政处罚决定审批表: the handlers propose the penalty. Who must review it
    next is settled here: 法制审核 in the situations of Art. 58, 集体讨论 for a major case."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "提请处罚决定")
    states.require_move(case.stage, "submit_decision")
    _statement_period_over(case, day)
    kinds = procedure.check_codes("penalty_kinds", list(kinds), "处罚种类")
    fine = _money(amount, "拟罚款数额")
    reasons = procedure.check_codes("legal_review_situations", list(legal_situations), "法制审核情形")
    if hasattr(case, "hearing") and case.hearing.recorded_on:
        reasons.append("heard")
    if standard is not None:
        reasons += _apply_standard(case, standard, circumstance, fine, outside_range_reason)
    rules = CaseRules.objects.filter(department=case.department_id).first()
    if rules is not None and rules.legal_review_all:
        reasons.append("department")
    case.proposed_kinds, case.proposed_amount = kinds, fine
    case.is_major = major or _major_by_amount(case, rules, fine)
    case.legal_review_reasons = list(dict.fromkeys(reasons))
    return _record(
        actor,
        case,
        "submit_decision",
        day,
        role=CaseRole.OFFICER,
        data={
            "调查终结报告": _need_text(report, "调查终结报告"),
            "拟处罚": "、".join(procedure.labels("penalty_kinds")[k] for k in kinds),
            "拟罚款": str(fine) if fine is not None else "",
            "须法制审核": bool(case.legal_review_reasons),
            "重大案件": case.is_major,
        },
    )


def _statement_period_over(case: PenaltyCase, day: dt.date) -> None:
    """The party has had its say: a hearing held and recorded, a written waiver, or the request
    period run out. A statement alone does not end the period — the party may still ask for a
    hearing within it."""
    heard = hasattr(case, "hearing")
    if heard and not case.hearing.recorded_on:
        raise QingdanError("当事人已申请听证，听证笔录完成前不能提请处罚决定。")
    if heard:
        return
    window = case.deadlines.filter(rule=deadlines.rule_code(case, "statement")).order_by("-id").first()
    waived = any(a.data.get("放弃") for a in case.actions.filter(move="record_statement"))
    if window is not None and day <= window.due and not waived:
        raise QingdanError(
            f"陈述、申辩和听证申请期限至 {window.due:%Y-%m-%d} 届满，当事人尚未书面放弃，不能提前提请决定。"
        )
    if window is not None and window.status == CaseDeadline.OPEN:
        window.status, window.done_on = CaseDeadline.MET, min(day, window.due)
        window.save(update_fields=["status", "done_on"])


def _apply_standard(
    case: PenaltyCase, standard: Any, circumstance: str, fine: Decimal | None, reason: str
) -> list[str]:
    """The 裁量基准 applied: its range is recorded; an amount outside it (a fine where the
    circumstance allows none, too little, too much) needs a written reason and 法制审核."""
    from qingdan.cases.discretion import level_of, outside_range
    from qingdan.cases.models import DiscretionStandard

    if not isinstance(standard, DiscretionStandard) or standard.department_id != case.department_id:
        raise QingdanError("裁量基准须为本部门的裁量基准。")
    level = level_of(standard, circumstance)
    case.standard, case.circumstance = standard, level.circumstance
    case.proposed_min, case.proposed_max = level.min_amount, level.max_amount
    message = outside_range(standard, level.circumstance, fine)
    if message is None:
        case.outside_range_reason = ""
        return []
    case.outside_range_reason = _need_text(reason, f"书面理由：{message}")
    return ["outside_range"]


def _major_by_amount(case: PenaltyCase, rules: CaseRules | None, fine: Decimal | None) -> bool:
    if rules is None or fine is None:
        return False
    limit = (
        rules.major_amount_person
        if case.party_kind == PenaltyCase.PERSON
        else rules.major_amount_organisation
    )
    return limit is not None and fine >= limit


@transaction.atomic
def review_decision(
    actor: Actor, case: PenaltyCase, *, opinion: str, on: dt.date | None = None
) -> CaseAction:
    """承办科室审核 of the 决定审批表 and the 调查终结报告."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "review_decision")
    require_role(actor, case, CaseRole.UNIT_HEAD, "审核处罚决定审批表")
    if any(a.move == "review_decision" for a in _since_last(case, "submit_decision")):
        raise QingdanError("承办科室已审核。")
    return _record(
        actor,
        case,
        "review_decision",
        day,
        role=CaseRole.UNIT_HEAD,
        opinion=_need_text(opinion, "审核意见"),
        outcome=CaseAction.AGREE,
    )


@transaction.atomic
def legal_review(
    actor: Actor, case: PenaltyCase, *, opinion: str, agree: bool = True, on: dt.date | None = None
) -> CaseAction:
    """法制审核 (第五十八条) by a reviewer with 法律职业资格, after the unit's review. A reviewer
    who disagrees sends the case back for more investigation."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "legal_review")
    require_role(actor, case, CaseRole.LEGAL, "进行法制审核")
    since = _since_last(case, "submit_decision")
    if not any(a.move == "review_decision" for a in since):
        raise QingdanError("承办科室尚未审核，不能进行法制审核。")
    if any(a.move == "legal_review" for a in since):
        raise QingdanError("本次提请已经法制审核。")
    reviewer = CaseRole.objects.filter(
        user=actor.user, department=case.department_id, role=CaseRole.LEGAL
    ).first()
    if reviewer and reviewer.officer_id and case.officers.filter(officer=reviewer.officer_id).exists():
        raise QingdanError("法制审核人员不能审核自己调查的案件。")
    action = _record(
        actor,
        case,
        "legal_review",
        day,
        role=CaseRole.LEGAL,
        opinion=_need_text(opinion, "法制审核意见"),
        outcome=CaseAction.AGREE if agree else CaseAction.DISAGREE,
    )
    if not agree:  # back to the handlers, as a return would
        case.stage = action.stage_after = states.INVESTIGATING
        case.save(update_fields=["stage"])
        action.save(update_fields=["stage_after"])
    return action


@transaction.atomic
def record_discussion(
    actor: Actor,
    case: PenaltyCase,
    *,
    held_on: dt.date,
    attendees: list[dict[str, str]],
    conclusion: str,
) -> Discussion:
    """案件集体讨论笔录 (第五十七条第二款): presided by the 主要负责人, each attendee's view."""
    case = _locked(case)
    day = _day(held_on)
    states.require_move(case.stage, "record_discussion")
    require_role(actor, case, CaseRole.HEAD, "主持集体讨论")
    since = _since_last(case, "submit_decision")
    if case.legal_review_reasons and not any(a.move == "legal_review" for a in since):
        raise QingdanError("须先经法制审核，再集体讨论。")
    clean = []
    for index, row in enumerate(attendees, 1):
        name = (row.get("name") or "").strip()
        view = (row.get("view") or "").strip()
        if not name or not view:
            raise QingdanError(f"第 {index} 位参加人员：姓名和意见都须填写。")
        clean.append({"name": name, "title": (row.get("title") or "").strip(), "view": view})
    if len(clean) < 3:
        raise QingdanError("集体讨论的参加人员不得少于 3 人。")
    discussion = Discussion.objects.create(
        case=case,
        held_on=day,
        presider=str(actor),
        attendees=clean,
        conclusion=_need_text(conclusion, "结论意见"),
        recorded_by_name=str(actor),
    )
    _record(
        actor,
        case,
        "record_discussion",
        day,
        role=CaseRole.HEAD,
        opinion=discussion.conclusion,
        data={"参加人数": len(clean)},
    )
    return discussion


@transaction.atomic
def return_decision(
    actor: Actor, case: PenaltyCase, *, opinion: str, on: dt.date | None = None
) -> CaseAction:
    """承办科室, 法制审核 or 主要负责人 sends the proposal back for more investigation."""
    roles = [CaseRole.UNIT_HEAD, CaseRole.LEGAL, CaseRole.HEAD]
    return _send_back(actor, case, "return_decision", roles, "退回补充调查", opinion, on)


@transaction.atomic
def decide(
    actor: Actor,
    case: PenaltyCase,
    *,
    decision: str,
    opinion: str,
    kinds: Sequence[str] = (),
    amount: Any = None,
    confiscation: Any = None,
    text: str = "",
    on: dt.date | None = None,
) -> CaseAction:
    """The 主要负责人 decides (seed 001 三(四)5): a penalty (kinds, amount), 不予处罚, or 移送司法机关 —
    only after the unit's review, 法制审核 where required and 集体讨论 for a major case; never
    heavier than notified because the party spoke (第四十五条第二款)."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "decide")
    require_role(actor, case, CaseRole.HEAD, "作出处罚决定")
    since = _since_last(case, "submit_decision")
    moves = {a.move for a in since}
    if "review_decision" not in moves:
        raise QingdanError("承办科室尚未审核，不能作出决定。")
    if case.legal_review_reasons and "legal_review" not in moves:
        labels = procedure.labels("legal_review_situations")
        reasons = "；".join(labels[r] for r in case.legal_review_reasons)
        raise QingdanError(f"本案须经法制审核（{reasons}），尚未审核。")
    if case.is_major and "record_discussion" not in moves:
        raise QingdanError(f"重大案件须经集体讨论（{procedure.basis('discussion')}），尚未讨论。")
    if decision not in dict(PenaltyCase.DECISIONS):
        raise QingdanError(
            "决定须为 penalty（给予行政处罚）、no_penalty（不予行政处罚）或 transfer（移送司法机关）。"
        )
    case.decision, case.decided_on = decision, day
    case.decision_text = text.strip()
    if decision == PenaltyCase.PENALTY:
        _penalty(case, list(kinds), _money(amount, "罚款"), _money(confiscation, "没收违法所得"))
    action = _record(
        actor,
        case,
        "decide",
        day,
        role=CaseRole.HEAD,
        opinion=_need_text(opinion, "决定意见"),
        outcome=CaseAction.AGREE,
        data={"决定": case.get_decision_display(), "罚款": str(case.fine_amount or "")},
    )
    deadlines.finish(case, "decision", day)
    if decision == PenaltyCase.PENALTY:
        deadlines.start(case, "service", day)
        deadlines.start(case, "publication", day)
    if case.is_major:
        deadlines.report_due(case, day)
    return action


def _penalty(case: PenaltyCase, kinds: list[str], fine: Decimal | None, confiscation: Decimal | None) -> None:
    kinds = procedure.check_codes("penalty_kinds", kinds, "处罚种类")
    if not kinds:
        raise QingdanError("给予行政处罚的，请选择处罚种类。")
    if "fine" in kinds and not fine:
        raise QingdanError("给予罚款的，请填写罚款数额。")
    statements = case.actions.filter(move="record_statement")
    spoke = any(not a.data.get("放弃") for a in statements) or hasattr(case, "hearing")
    if spoke and fine is not None and case.notified_amount is not None and fine > case.notified_amount:
        raise QingdanError(
            f"罚款 {fine} 元高于事先告知的 {case.notified_amount} 元：不得因当事人陈述、申辩而给予更重的处罚"
            f"（{procedure.basis('no_heavier_after_statement')}）。如有新的违法事实，应重新告知。"
        )
    if case.standard is not None and "outside_range" not in case.legal_review_reasons:
        from qingdan.cases.discretion import outside_range

        message = outside_range(case.standard, case.circumstance, fine)
        if message is not None:
            raise QingdanError(f"决定的{message}：请退回，由承办人员写明理由并经法制审核。")
    case.penalty_kinds, case.fine_amount, case.confiscation_amount = kinds, fine, confiscation


# --- 送达, 执行, 结案 -------------------------------------------------------------------------


@transaction.atomic
def serve(
    actor: Actor,
    case: PenaltyCase,
    *,
    method: str,
    on: dt.date | None = None,
    witnesses: Sequence[Officer | int] = (),
    note: str = "",
) -> CaseAction:
    """送达 the 行政处罚决定书 (第六十一条): 留置 needs two officers noting the refusal; 电子 needs the
    party's written consent."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "送达")
    states.require_move(case.stage, "serve")
    if method not in dict(PenaltyCase.SERVICE_METHODS) or method == "on_the_spot":
        raise QingdanError("送达方式须为 direct、left、post、electronic 或 public。")
    data: dict[str, Any] = {"方式": dict(PenaltyCase.SERVICE_METHODS)[method]}
    if method == "left":
        team = _officers(case.department, witnesses, day, "留置送达的见证执法人员")
        data["见证人员"] = [m.name for m in team]
        note = _need_text(note, "拒收情况")
    if method == "electronic" and not (case.electronic_consent and case.electronic_address):
        raise QingdanError("电子送达须当事人书面同意并确认电子送达地址（第六十一条第二款）。")
    case.served_on, case.service_method, case.service_note = day, method, note.strip()
    action = _record(actor, case, "serve", day, role=CaseRole.OFFICER, data=data)
    deadlines.finish(case, "service", day)
    if case.decision == PenaltyCase.PENALTY and case.fine_amount:
        deadlines.start(case, "payment", day)
    return action


@transaction.atomic
def record_payment(
    actor: Actor,
    case: PenaltyCase,
    *,
    amount: Any,
    paid_on: dt.date,
    receipt: str = "",
    surcharge: bool = False,
) -> Payment:
    case = _locked(case)
    day = _day(paid_on)
    require_on_case(actor, case, _today(), "登记缴款")
    states.require_move(case.stage, "record_payment")
    money = _money(amount, "缴款金额")
    if not money:
        raise QingdanError("请填写缴款金额。")
    payment = Payment.objects.create(
        case=case,
        paid_on=day,
        amount=money,
        surcharge=surcharge,
        receipt=receipt.strip(),
        recorded_by_name=str(actor),
    )
    _record(
        actor,
        case,
        "record_payment",
        _today(),
        role=CaseRole.OFFICER,
        data={"金额": str(money), "加处罚款": surcharge},
    )
    if outstanding(case) <= 0:
        deadlines.finish(case, "payment", day)
    return payment


def outstanding(case: PenaltyCase) -> Decimal:
    paid = sum((p.amount for p in case.payments.filter(surcharge=False)), Decimal(0))
    return (case.fine_amount or Decimal(0)) - paid


def surcharge(case: PenaltyCase, on: dt.date | None = None) -> Decimal:
    """加处罚款 (第七十二条): 3 % of the unpaid fine a day after the payment period, not counted
    while a 复议 or 诉讼 runs (第七十三条), never more than the fine."""
    day = on or _today()
    deadline = case.deadlines.filter(rule=deadlines.rule_code(case, "payment")).order_by("-id").first()
    if deadline is None or not case.fine_amount or day <= deadline.due:
        return Decimal(0)
    unpaid = outstanding(case)
    if unpaid <= 0:
        return Decimal(0)
    late = (day - deadline.due).days
    for s in case.suspensions.filter(kind__in=["review", "lawsuit"]):
        first = max(s.started_on, deadline.due + dt.timedelta(days=1))
        last = min(s.ended_on or day, day)
        late -= max(0, (last - first).days + 1)
    amount = (unpaid * procedure.surcharge_rate() * max(late, 0)).quantize(Decimal("0.01"))
    return min(amount, case.fine_amount)


@transaction.atomic
def approve_installments(
    actor: Actor, case: PenaltyCase, *, plan: list[tuple[dt.date, Any]], reason: str
) -> list[Installment]:
    """分期 or 延期 缴纳 (第六十六条第二款) approved by the 主要负责人; the payment deadline moves to
    the last instalment."""
    case = _locked(case)
    states.require_move(case.stage, "approve_installments")
    require_role(actor, case, CaseRole.HEAD, "批准分期或延期缴纳")
    rows = []
    for index, (due_on, amount) in enumerate(plan, 1):
        money = _money(amount, f"第 {index} 期金额")
        if not money:
            raise QingdanError(f"第 {index} 期金额须大于 0。")
        rows.append(Installment(case=case, due_on=due_on, amount=money, approved_by_name=str(actor)))
    if not rows or sum(r.amount for r in rows) != outstanding(case):
        raise QingdanError(f"各期金额之和须等于未缴罚款 {outstanding(case)} 元。")
    case.installments.all().delete()
    Installment.objects.bulk_create(rows)
    deadline = case.deadlines.filter(rule=deadlines.rule_code(case, "payment"), status="open").first()
    if deadline is not None:
        last = max(r.due_on for r in rows)
        deadline.extra_days += max(0, (last - deadline.due).days)
        deadline.due = max(deadline.due, last)
        deadline.save()
    _record(
        actor,
        case,
        "approve_installments",
        _today(),
        role=CaseRole.HEAD,
        opinion=_need_text(reason, "理由"),
        data={"期数": len(rows)},
    )
    return rows


@transaction.atomic
def record_remedy(
    actor: Actor,
    case: PenaltyCase,
    *,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    result: str = "",
) -> Suspension:
    """A 行政复议 or 行政诉讼 against the decision: 加处罚款 stops while it runs; a decision revoked or
    changed must be withdrawn from publication within three working days."""
    case = _locked(case)
    states.require_move(case.stage, "record_remedy")
    _any_role(actor, case, [CaseRole.OFFICER, CaseRole.LEGAL], "登记复议或诉讼")
    if kind not in ("review", "lawsuit"):
        raise QingdanError("须为 review（行政复议）或 lawsuit（行政诉讼）。")
    remedy = case.suspensions.filter(kind=kind, started_on=started_on).first() or Suspension(
        case=case, kind=kind, started_on=started_on
    )
    remedy.ended_on, remedy.note = ended_on, result.strip()
    remedy.save()
    _record(actor, case, "record_remedy", _today(), data={"类型": remedy.get_kind_display(), "结果": result})
    if result in ("撤销", "变更") and case.published_on and not case.withdrawn_on:
        deadlines.start(case, "withdrawal", ended_on or _today())
    return remedy


@transaction.atomic
def close(actor: Actor, case: PenaltyCase, *, report: str, on: dt.date | None = None) -> CaseAction:
    """结案 with the 结案报告: the fine paid (or the case decided without one), nothing still owed."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "结案")
    states.require_move(case.stage, "close")
    if case.stage == states.DECIDED and case.decision == PenaltyCase.PENALTY:
        raise QingdanError("处罚决定尚未送达，不能结案。")
    if case.decision == PenaltyCase.PENALTY and outstanding(case) > 0:
        raise QingdanError(f"罚款尚有 {outstanding(case)} 元未缴纳，不能结案（可申请强制执行后结案）。")
    case.closed_on, case.closure_report = day, _need_text(report, "结案报告")
    action = _record(actor, case, "close", day, role=CaseRole.OFFICER)
    deadlines.cancel(case, [k for k in ("service", "payment") if k])
    return action


@transaction.atomic
def archive(actor: Actor, case: PenaltyCase, *, on: dt.date | None = None) -> CaseAction:
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "archive")
    role = _any_role(actor, case, [CaseRole.UNIT_HEAD, CaseRole.HEAD], "归档")
    case.archived_on = day
    return _record(actor, case, "archive", day, role=role)


# --- 简易程序 ---------------------------------------------------------------------------------


@transaction.atomic
def decide_on_the_spot(
    actor: Actor,
    case: PenaltyCase,
    *,
    facts: str,
    basis: str,
    kinds: list[str],
    amount: Any = None,
    statement: str = "",
    on: dt.date | None = None,
) -> CaseAction:
    """简易程序 (第五十一、五十二条): facts clear, basis stated, a warning or a fine of at most 200 yuan
    (a person) or 3,000 yuan (an organisation), decided and handed over on the spot."""
    case, day = _locked(case), _day(on)
    require_on_case(actor, case, day, "当场作出处罚决定")
    states.require_move(case.stage, "decide_on_the_spot")
    if case.procedure != PenaltyCase.SIMPLE:
        raise QingdanError("本案按普通程序办理，不能当场处罚。")
    kinds = procedure.check_codes("penalty_kinds", list(kinds), "处罚种类")
    if not kinds or not set(kinds) <= {"warning", "fine"}:
        raise QingdanError(f"简易程序只能给予警告或罚款（{procedure.basis('simple_procedure_limit')}）。")
    fine = _money(amount, "罚款")
    limit = procedure.simple_limit(case.party_kind)
    if fine is not None and fine > limit:
        who = "公民" if case.party_kind == PenaltyCase.PERSON else "法人或者其他组织"
        raise QingdanError(
            f"对{who}当场罚款不得超过 {limit} 元（{procedure.basis('simple_procedure_limit')}），请按普通程序办理。"
        )
    case.facts, case.basis = _need_text(facts, "违法事实"), _need_text(basis, "处罚依据")
    case.decision, case.penalty_kinds, case.fine_amount = PenaltyCase.PENALTY, kinds, fine
    case.decided_on = case.served_on = day
    case.service_method = "on_the_spot"
    _number(case, day)
    CaseOfficer.objects.bulk_create(  # on the spot, those who found it handle it
        [
            CaseOfficer(case=case, officer=row.officer, role=CaseOfficer.HANDLER)
            for row in case.officers.filter(role=CaseOfficer.INSPECTOR).select_related("officer")
        ],
        ignore_conflicts=True,
    )
    action = _record(
        actor,
        case,
        "decide_on_the_spot",
        day,
        role=CaseRole.OFFICER,
        data={"罚款": str(fine or ""), "陈述申辩": statement.strip()},
    )
    if fine:
        deadlines.start(case, "payment", day)
    return action


# --- 三项制度: publication ---------------------------------------------------------------------


def masked_party(case: PenaltyCase) -> str:
    """A person's name is masked (张某某) and no ID number or address is published; an
    organisation is published with its name and 统一社会信用代码."""
    if case.party_kind == PenaltyCase.PERSON:
        name = case.party_name.strip()
        return f"{name[:1]}某某" if name else "某某"
    code = f"（统一社会信用代码：{case.party_id_number}）" if case.party_id_number else ""
    return f"{case.party_name}{code}"


@transaction.atomic
def publish(actor: Actor, case: PenaltyCase, *, on: dt.date | None = None) -> CaseAction:
    """公示 the decision (国办发〔2018〕118号: within 7 working days), the party's data masked."""
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "publish")
    _any_role(actor, case, [CaseRole.OFFICER, CaseRole.LEGAL], "公示处罚决定")
    if case.decision != PenaltyCase.PENALTY:
        raise QingdanError("只有给予行政处罚的决定需要公示。")
    if case.published_on and not case.withdrawn_on:
        raise QingdanError("该决定已经公示。")
    kinds = "、".join(procedure.labels("penalty_kinds").get(k, k) for k in case.penalty_kinds)
    fine = f"，罚款 {case.fine_amount} 元" if case.fine_amount else ""
    case.published_text = (
        f"{case.number} 当事人：{masked_party(case)}。违法事实：{case.facts} 处罚依据：{case.basis} "
        f"处罚决定：{kinds}{fine}。作出机关：{case.department.name}，{case.decided_on:%Y年%m月%d日}。"
    )
    case.published_on, case.withdrawn_on, case.withdraw_reason = day, None, ""
    action = _record(actor, case, "publish", day)
    deadlines.finish(case, "publication", day)
    return action


@transaction.atomic
def withdraw(actor: Actor, case: PenaltyCase, *, reason: str, on: dt.date | None = None) -> CaseAction:
    case, day = _locked(case), _day(on)
    states.require_move(case.stage, "withdraw")
    _any_role(actor, case, [CaseRole.OFFICER, CaseRole.LEGAL, CaseRole.HEAD], "撤回公示")
    if not case.published_on or case.withdrawn_on:
        raise QingdanError("该决定没有公示，无需撤回。")
    case.withdrawn_on, case.withdraw_reason = day, _need_text(reason, "撤回理由")
    action = _record(actor, case, "withdraw", day, opinion=case.withdraw_reason)
    deadlines.finish(case, "withdrawal", day)
    return action


# --- department case rules --------------------------------------------------------------------


@transaction.atomic
def save_rules(actor: Actor, department: Department, **fields: Any) -> CaseRules:
    """案件规则 of a department (案号, 立案期限规则, 较大数额, 重大案件数额): its 填报员 or an administrator."""
    from qingdan.enforcement.staff import require_edit

    require_edit(actor, department)
    rules, _ = CaseRules.objects.get_or_create(
        department=department, defaults={"number_prefix": f"{department.name}罚"}
    )
    before = {name: str(getattr(rules, name)) for name in fields}
    for name, value in fields.items():
        if name not in {f.name for f in CaseRules._meta.get_fields()} or name in ("id", "department"):
            raise QingdanError(f"案件规则没有「{name}」这一项。")
        if name.endswith("_person") or name.endswith("_organisation"):
            value = _money(value, str(getattr(CaseRules._meta.get_field(name), "verbose_name", name)))
        setattr(rules, name, value)
    if "{seq}" not in rules.number_format:
        raise QingdanError("案号格式须含 {seq}（序号）。")
    rules.updated_by_name = str(actor)
    rules.save()
    log(actor, "case_rules", rules, before=before, after={name: str(getattr(rules, name)) for name in fields})
    return rules


# --- 重大行政处罚决定备案 -----------------------------------------------------------------------


@transaction.atomic
def file_major_report(
    actor: Actor, department: Department, *, year: int, half: int, on: dt.date | None = None
) -> Any:
    """Record that the half-year 重大行政处罚决定备案报告 was sent (seed 001 二、报告程序): the
    department's deadline for that half-year is met (or missed, if sent late). The 主要负责人 or
    the 法制审核人员 of the department records it."""
    from qingdan.cases.models import CaseDeadline

    day = _day(on)
    if half not in (1, 2):
        raise QingdanError("半年须为 1（上半年）或 2（下半年）。")
    holder = (
        CaseRole.objects.filter(
            user=actor.user, department=department, role__in=[CaseRole.HEAD, CaseRole.LEGAL]
        ).exists()
        if actor.user is not None
        else False
    )
    if not holder:
        raise PermissionDenied(
            f"只有{department}的主要负责人或法制审核人员可以登记备案报告的报送（{actor}不是）。"
        )
    start = dt.date(year, 1 if half == 1 else 7, 1)
    deadline = (
        CaseDeadline.objects.select_for_update()
        .filter(department=department, case=None, rule=procedure.deadline_code("major_report"), start=start)
        .first()
    )
    if deadline is None:
        raise QingdanError(
            f"{department}在{year}年{'上' if half == 1 else '下'}半年没有需要备案的重大行政处罚决定。"
        )
    if deadline.status != CaseDeadline.OPEN:
        raise QingdanError(f"该半年的备案报告已于 {deadline.done_on:%Y-%m-%d} 登记报送。")
    deadline.status = CaseDeadline.MET if day <= deadline.due else CaseDeadline.MISSED
    deadline.done_on = day
    deadline.save(update_fields=["status", "done_on"])
    log(
        actor,
        "case_major_report",
        department,
        after={"备案报告": deadline.label, "报送日期": day.isoformat()},
    )
    return deadline
