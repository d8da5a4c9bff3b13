"""One way in to every step of a case for the command line, the API and the web forms: the
step's name (a move of ``states.MOVES``), its parameters as text or JSON, turned into the values
the service function takes — with a Chinese message naming the parameter when one is wrong.

The table ``STEPS`` says, for each step, which service runs it and what each parameter is. The
services still check everything themselves; this only converts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from qingdan.cases import services
from qingdan.cases.models import DiscretionStandard, PenaltyCase, Preservation, Recusal
from qingdan.cases.states import MOVE_LABELS
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError
from qingdan.ingest.dates import parse_date

# parameter kinds: text, date, money, bool, int, officers, officer, user, codes, attendees, plan,
# standard, preservation, recusal, names
PARAM_LABELS = {
    "opinion": "意见",
    "reason": "理由",
    "on": "办理日期",
    "record": "笔录",
    "content": "内容",
    "correct_by": "改正期限",
    "facts": "违法事实",
    "handlers": "承办人员",
    "kind": "种类",
    "title": "名称",
    "collected_on": "取证日期",
    "description": "证明对象",
    "collected_by": "取证人",
    "items": "物品清单",
    "decision": "决定",
    "officer": "执法人员",
    "requested_by": "提出人",
    "granted": "是否回避",
    "days": "天数",
    "key": "期限",
    "basis": "处罚依据",
    "kinds": "处罚种类",
    "amount": "金额",
    "declared_triggers": "听证情形",
    "statement": "陈述申辩内容",
    "review": "复核意见",
    "waived": "放弃",
    "held_on": "日期",
    "place": "地点",
    "presider": "主持人",
    "public": "公开举行",
    "attendees": "参加人员",
    "report": "报告",
    "standard": "裁量基准",
    "circumstance": "裁量情节",
    "outside_range_reason": "超出幅度理由",
    "legal_situations": "法制审核情形",
    "major": "重大案件",
    "agree": "同意",
    "conclusion": "结论意见",
    "confiscation": "没收违法所得",
    "text": "决定内容",
    "method": "送达方式",
    "witnesses": "见证人员",
    "note": "情况说明",
    "paid_on": "缴纳日期",
    "receipt": "票据号",
    "surcharge": "加处罚款",
    "plan": "分期计划",
    "started_on": "开始日期",
    "ended_on": "结束日期",
    "result": "结果",
    "preservation": "先行登记保存",
    "recusal": "回避申请",
}


@dataclass(frozen=True)
class Step:
    run: Callable[..., Any]
    params: dict[str, str]
    required: frozenset[str] = field(default_factory=frozenset)


def _step(run: Callable[..., Any], required: str = "", **params: str) -> Step:
    return Step(run, params, frozenset(required.split()))


STEPS: dict[str, Step] = {
    "record_inspection": _step(services.record_inspection, "record", record="text", on="date"),
    "order_correction": _step(
        services.order_correction, "content", content="text", correct_by="date", on="date"
    ),
    "submit_filing": _step(
        services.submit_filing, "facts handlers", facts="text", handlers="officers", on="date"
    ),
    "review_filing": _step(services.review_filing, "opinion", opinion="text", on="date"),
    "approve_filing": _step(services.approve_filing, "opinion", opinion="text", on="date"),
    "refuse_filing": _step(services.refuse_filing, "reason", reason="text", on="date"),
    "return_filing": _step(services.return_filing, "opinion", opinion="text", on="date"),
    "add_evidence": _step(
        services.add_evidence,
        "kind title collected_on",
        kind="text",
        title="text",
        collected_on="date",
        description="text",
        collected_by="text",
    ),
    "register_preservation": _step(services.register_preservation, "items", items="text", on="date"),
    "decide_preservation": _step(
        services.decide_preservation,
        "preservation decision",
        preservation="preservation",
        decision="text",
        on="date",
    ),
    "declare_recusal": _step(
        services.declare_recusal, "officer reason", officer="officer", reason="text", requested_by="text"
    ),
    "decide_recusal": _step(
        services.decide_recusal, "recusal granted opinion", recusal="recusal", granted="bool", opinion="text"
    ),
    "pause": _step(services.pause, "kind reason", kind="text", reason="text", on="date"),
    "resume": _step(services.resume, "", on="date"),
    "extend": _step(services.extend, "key days reason", key="text", days="int", reason="text", on="date"),
    "notify": _step(
        services.notify,
        "facts basis kinds",
        facts="text",
        basis="text",
        kinds="codes",
        amount="money",
        reason="text",
        declared_triggers="codes",
        on="date",
    ),
    "record_statement": _step(
        services.record_statement,
        "statement review",
        statement="text",
        review="text",
        waived="bool",
        on="date",
    ),
    "request_hearing": _step(services.request_hearing, "", on="date"),
    "schedule_hearing": _step(
        services.schedule_hearing,
        "held_on place presider",
        held_on="date",
        place="text",
        presider="user",
        public="bool",
        on="date",
    ),
    "record_hearing": _step(
        services.record_hearing, "record attendees", record="text", attendees="names", on="date"
    ),
    "submit_decision": _step(
        services.submit_decision,
        "report kinds",
        report="text",
        kinds="codes",
        amount="money",
        standard="standard",
        circumstance="text",
        outside_range_reason="text",
        legal_situations="codes",
        major="bool",
        on="date",
    ),
    "review_decision": _step(services.review_decision, "opinion", opinion="text", on="date"),
    "legal_review": _step(services.legal_review, "opinion", opinion="text", agree="bool", on="date"),
    "record_discussion": _step(
        services.record_discussion,
        "held_on attendees conclusion",
        held_on="date",
        attendees="attendees",
        conclusion="text",
    ),
    "return_decision": _step(services.return_decision, "opinion", opinion="text", on="date"),
    "decide": _step(
        services.decide,
        "decision opinion",
        decision="text",
        opinion="text",
        kinds="codes",
        amount="money",
        confiscation="money",
        text="text",
        on="date",
    ),
    "serve": _step(services.serve, "method", method="text", on="date", witnesses="officers", note="text"),
    "record_payment": _step(
        services.record_payment,
        "amount paid_on",
        amount="money",
        paid_on="date",
        receipt="text",
        surcharge="bool",
    ),
    "approve_installments": _step(services.approve_installments, "plan reason", plan="plan", reason="text"),
    "record_remedy": _step(
        services.record_remedy,
        "kind started_on",
        kind="text",
        started_on="date",
        ended_on="date",
        result="text",
    ),
    "close": _step(services.close, "report", report="text", on="date"),
    "archive": _step(services.archive, "", on="date"),
    "decide_on_the_spot": _step(
        services.decide_on_the_spot,
        "facts basis kinds",
        facts="text",
        basis="text",
        kinds="codes",
        amount="money",
        statement="text",
        on="date",
    ),
    "publish": _step(services.publish, "", on="date"),
    "withdraw": _step(services.withdraw, "reason", reason="text", on="date"),
}


def describe(move: str) -> str:
    """The step's parameters for a help text: 名称（类型，必填）."""
    step = STEPS[move]
    return "、".join(
        f"{name}（{PARAM_LABELS.get(name, name)}{'，必填' if name in step.required else ''}）"
        for name in step.params
    )


def run(
    actor: Actor,
    case: PenaltyCase,
    move: str,
    params: dict[str, Any],
    content: bytes = b"",
    file_name: str = "",
) -> Any:
    """Convert ``params`` for the step ``move`` and call its service."""
    step = STEPS.get(move)
    if step is None:
        names = "、".join(f"{m}（{MOVE_LABELS[m]}）" for m in STEPS)
        raise QingdanError(f"没有名为「{move}」的办案步骤。可用：{names}")
    unknown = set(params) - set(step.params)
    if unknown:
        raise QingdanError(
            f"{MOVE_LABELS[move]}没有参数「{'、'.join(sorted(unknown))}」。可用：{describe(move)}"
        )
    missing = [name for name in sorted(step.required) if params.get(name) in (None, "", [])]
    if missing:
        names = "、".join(f"{name}（{PARAM_LABELS.get(name, name)}）" for name in missing)
        raise QingdanError(f"{MOVE_LABELS[move]}缺少参数：{names}")
    values = {name: convert(step.params[name], name, value, case) for name, value in params.items()}
    if move == "add_evidence":
        values.update(content=content, file_name=file_name)
    return step.run(actor, case, **values)


def convert(kind: str, name: str, value: Any, case: PenaltyCase) -> Any:
    label = f"参数「{name}」（{PARAM_LABELS.get(name, name)}）"
    try:
        return _CONVERT[kind](value, case.department, case)
    except QingdanError as error:
        raise QingdanError(f"{label}：{error}") from None
    except (ValueError, TypeError, json.JSONDecodeError):
        raise QingdanError(f"{label}：无法识别「{value}」") from None


def _text(value: Any, *_: Any) -> str:
    return str(value)


def _date(value: Any, *_: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    day = parse_date(str(value))
    if day is None:
        raise QingdanError(f"「{value}」不是日期（如 2026-03-05）")
    return day


def _bool(value: Any, *_: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是", "同意", "on"):
        return True
    if text in ("0", "false", "no", "n", "否", "不同意", "off", ""):
        return False
    raise QingdanError(f"「{value}」须为 是 或 否")


def _int(value: Any, *_: Any) -> int:
    return int(value)


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    text = str(value).strip()
    if text.startswith("["):
        return list(json.loads(text))
    return [part.strip() for part in text.replace("、", ",").replace("，", ",").split(",") if part.strip()]


def officer_named(department: Department, ref: Any) -> Officer:
    """An officer of the department by id, 执法证号 or name."""
    ref = str(ref).strip()
    found = Officer.objects.filter(department=department, certificate_number=ref).first()
    if found is None and ref.isdigit():
        found = Officer.objects.filter(department=department, pk=int(ref)).first()
    if found is None:
        named = list(Officer.objects.filter(department=department, name=ref)[:2])
        if len(named) > 1:
            raise QingdanError(f"本部门有两位以上执法人员名为「{ref}」，请用执法证号")
        found = named[0] if named else None
    if found is None:
        raise QingdanError(f"{department}没有执法人员「{ref}」（可用编号、执法证号或姓名）")
    return found


def _officers(value: Any, department: Department, _: Any) -> list[Officer]:
    return [officer_named(department, ref) for ref in _list(value)]


def _officer(value: Any, department: Department, _: Any) -> Officer:
    return officer_named(department, value)


def _user(value: Any, *_: Any) -> Any:
    found = get_user_model().objects.filter(username=str(value).strip()).first()
    if found is None:
        raise QingdanError(f"没有用户「{value}」")
    return found


def _codes(value: Any, *_: Any) -> list[str]:
    return [str(code) for code in _list(value)]


def _names(value: Any, *_: Any) -> list[str]:
    return [str(name) for name in _list(value)]


def _attendees(value: Any, *_: Any) -> list[dict[str, str]]:
    """JSON ``[{"name", "title", "view"}]``, or text ``姓名:职务:意见;姓名:职务:意见``."""
    if isinstance(value, list):
        return [dict(row) for row in value]
    text = str(value).strip()
    if text.startswith("["):
        return [dict(row) for row in json.loads(text)]
    rows = []
    for part in text.replace("；", ";").split(";"):
        if part.strip():
            name, title, view = ([*part.replace("：", ":").split(":", 2), "", ""])[:3]
            rows.append({"name": name.strip(), "title": title.strip(), "view": view.strip()})
    return rows


def _plan(value: Any, *_: Any) -> list[tuple[dt.date, str]]:
    """JSON ``[["2026-05-01", "1000"], …]`` or text ``2026-05-01:1000;2026-06-01:1000``."""
    if isinstance(value, str) and not value.strip().startswith("["):
        pairs = [
            part.replace("：", ":").split(":", 1)
            for part in value.replace("；", ";").split(";")
            if part.strip()
        ]
    else:
        pairs = json.loads(value) if isinstance(value, str) else value
    plan = []
    for day, amount in pairs:
        parsed = _date(day)
        if parsed is None:
            raise QingdanError("每期须写明应缴日期")
        plan.append((parsed, str(amount)))
    return plan


def _standard(value: Any, department: Department, _: Any) -> DiscretionStandard | None:
    if value in (None, ""):
        return None
    found = DiscretionStandard.objects.filter(department=department, code=str(value).strip()).first()
    if found is None:
        raise QingdanError(f"本部门没有编号为「{value}」的裁量基准")
    return found


def _preservation(value: Any, _: Department, case: PenaltyCase) -> Preservation:
    found = case.preservations.filter(pk=int(value)).first()
    if found is None:
        raise QingdanError(f"本案没有编号为 {value} 的先行登记保存")
    return found


def _recusal(value: Any, _: Department, case: PenaltyCase) -> Recusal:
    found = case.recusals.filter(pk=int(value)).first()
    if found is None:
        raise QingdanError(f"本案没有编号为 {value} 的回避申请")
    return found


_CONVERT: dict[str, Callable[[Any, Department, PenaltyCase], Any]] = {
    "text": _text,
    "date": _date,
    "money": _text,  # the service reads amounts (and says what is wrong with one)
    "bool": _bool,
    "int": _int,
    "officers": _officers,
    "officer": _officer,
    "user": _user,
    "codes": _codes,
    "names": _names,
    "attendees": _attendees,
    "plan": _plan,
    "standard": _standard,
    "preservation": _preservation,
    "recusal": _recusal,
}


def find_case(ref: Any) -> PenaltyCase:
    """A case by its id or its 案号."""
    text = str(ref).strip()
    found = PenaltyCase.objects.select_related("department").filter(number=text).first()
    if found is None and text.isdigit():
        found = PenaltyCase.objects.select_related("department").filter(pk=int(text)).first()
    if found is None:
        from qingdan.errors import NotFound

        raise NotFound(f"没有案号或编号为「{text}」的案件")
    return found


def convert_date(value: str, name: str) -> dt.date:
    """A required date given on the command line, or a refusal naming the option."""
    day = _date(value)
    if day is None:
        raise QingdanError(f"参数「{name}」：须填写日期（如 2026-03-05）")
    return day
