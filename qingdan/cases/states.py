"""The stages of a 行政处罚案件 and the moves between them, in one table.

Each move is one service function in ``qingdan.cases.services`` (the pretix manner: check the
precondition, refuse in Chinese, write atomically, record who did it). The services ask
``require_move`` before they write, so no stage can be skipped from the web, the API or the CLI.

Why a table and not a state-machine library: the procedure has eleven stages and a score of moves;
each move needs its own precondition (two certified officers, the chain of approvals, a hearing
held, 法制审核 where Art. 58 requires it) that a library would only wrap. django-fsm is archived
(its successor lives inside viewflow), python-statemachine and transitions keep the state on a
Python object rather than in the row the transaction locks. A dict a reader sees at a glance and
one ``select_for_update`` keep it simpler.
"""

from __future__ import annotations

from qingdan.errors import QingdanError

# stages (PenaltyCase.stage)
DISCOVERED = "discovered"  # 发现: 现场检查笔录, 责令改正; the 立案审批表 is being prepared
FILING = "filing"  # 立案审批: 执法科室负责人 → 主管局长 → 主要负责人
NOT_FILED = "not_filed"  # 不予立案 (a recorded decision; terminal)
INVESTIGATING = "investigating"  # 调查取证
NOTIFIED = "notified"  # 已告知: the 陈述、申辩 / 听证 request period runs
HEARING = "hearing"  # 听证
DECIDING = "deciding"  # 处罚决定审批: 承办科室审核 → 法制审核 → 集体讨论 → 主要负责人
DECIDED = "decided"  # 已决定, not yet served
SERVED = "served"  # 已送达: 执行 (payment, 分期/延期, 复议/诉讼)
CLOSED = "closed"  # 结案
ARCHIVED = "archived"  # 归档 (terminal)

STAGES: list[tuple[str, str]] = [
    (DISCOVERED, "发现"),
    (FILING, "立案审批"),
    (NOT_FILED, "不予立案"),
    (INVESTIGATING, "调查取证"),
    (NOTIFIED, "告知"),
    (HEARING, "听证"),
    (DECIDING, "决定审批"),
    (DECIDED, "已决定"),
    (SERVED, "送达执行"),
    (CLOSED, "结案"),
    (ARCHIVED, "归档"),
]
LABELS = dict(STAGES)

# move name -> (stages it may start from, the stage it leads to; None = stays)
MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    # 发现 and 立案 (seed 001 三(一)(二))
    "record_inspection": (frozenset({DISCOVERED}), None),
    "order_correction": (frozenset({DISCOVERED}), None),
    "submit_filing": (frozenset({DISCOVERED}), FILING),
    "review_filing": (frozenset({FILING}), None),  # 科室负责人, 主管局长: opinion, forward
    "approve_filing": (frozenset({FILING}), INVESTIGATING),  # 主要负责人: 立案, names 承办人员
    "refuse_filing": (frozenset({DISCOVERED, FILING}), NOT_FILED),  # 不予立案
    "return_filing": (frozenset({FILING}), DISCOVERED),
    # 调查取证
    "add_evidence": (frozenset({INVESTIGATING, NOTIFIED, HEARING}), None),
    "register_preservation": (frozenset({INVESTIGATING}), None),
    "decide_preservation": (frozenset({INVESTIGATING, NOTIFIED, HEARING, DECIDING}), None),
    "declare_recusal": (frozenset({DISCOVERED, FILING, INVESTIGATING, NOTIFIED, HEARING}), None),
    "decide_recusal": (frozenset({DISCOVERED, FILING, INVESTIGATING, NOTIFIED, HEARING}), None),
    "pause": (frozenset({INVESTIGATING, NOTIFIED, HEARING, DECIDING}), None),  # 鉴定, 公告 …
    "resume": (frozenset({INVESTIGATING, NOTIFIED, HEARING, DECIDING}), None),
    "extend": (frozenset({FILING, INVESTIGATING, NOTIFIED, HEARING, DECIDING}), None),
    # 告知, 陈述申辩, 听证 (行政处罚法 第44、45、63、64条)
    "notify": (frozenset({INVESTIGATING}), NOTIFIED),
    "record_statement": (frozenset({NOTIFIED}), None),
    "request_hearing": (frozenset({NOTIFIED}), HEARING),
    "schedule_hearing": (frozenset({HEARING}), None),
    "record_hearing": (frozenset({HEARING}), None),
    # 处罚决定审批 (seed 001 三(四); 行政处罚法 第57、58条)
    "submit_decision": (frozenset({NOTIFIED, HEARING}), DECIDING),
    "review_decision": (frozenset({DECIDING}), None),  # 承办科室审核
    "legal_review": (frozenset({DECIDING}), None),  # 法制审核
    "record_discussion": (frozenset({DECIDING}), None),  # 集体讨论
    "return_decision": (frozenset({DECIDING}), INVESTIGATING),
    "decide": (frozenset({DECIDING}), DECIDED),  # 主要负责人
    # 送达, 执行, 结案
    "serve": (frozenset({DECIDED}), SERVED),
    "record_payment": (frozenset({SERVED}), None),
    "approve_installments": (frozenset({SERVED}), None),
    "record_remedy": (frozenset({SERVED}), None),  # 复议 / 诉讼 started or ended
    "close": (frozenset({SERVED, DECIDED}), CLOSED),
    "archive": (frozenset({CLOSED, NOT_FILED}), ARCHIVED),
    # 简易程序 (第51、52条): recorded and decided on the spot, served at once
    "decide_on_the_spot": (frozenset({DISCOVERED}), SERVED),
    # 三项制度
    "publish": (frozenset({DECIDED, SERVED, CLOSED, ARCHIVED}), None),
    "withdraw": (frozenset({DECIDED, SERVED, CLOSED, ARCHIVED}), None),
}

MOVE_LABELS: dict[str, str] = {
    "record_inspection": "现场检查笔录",
    "order_correction": "责令改正",
    "submit_filing": "提请立案",
    "review_filing": "立案审核",
    "approve_filing": "批准立案",
    "refuse_filing": "不予立案",
    "return_filing": "退回立案审批",
    "add_evidence": "登记证据",
    "register_preservation": "先行登记保存",
    "decide_preservation": "先行登记保存处理决定",
    "declare_recusal": "申请回避",
    "decide_recusal": "回避决定",
    "pause": "中止计算期限",
    "resume": "恢复计算期限",
    "extend": "延长期限",
    "notify": "事先告知",
    "record_statement": "陈述申辩",
    "request_hearing": "申请听证",
    "schedule_hearing": "听证通知",
    "record_hearing": "听证笔录",
    "submit_decision": "提请处罚决定",
    "review_decision": "承办科室审核",
    "legal_review": "法制审核",
    "record_discussion": "集体讨论",
    "return_decision": "退回补充调查",
    "decide": "作出决定",
    "serve": "送达",
    "record_payment": "缴纳罚款",
    "approve_installments": "分期或延期缴纳",
    "record_remedy": "复议或诉讼",
    "close": "结案",
    "archive": "归档",
    "decide_on_the_spot": "简易程序当场处罚",
    "publish": "公示",
    "withdraw": "撤回公示",
}

OPEN_STAGES = frozenset({DISCOVERED, FILING, INVESTIGATING, NOTIFIED, HEARING, DECIDING, DECIDED, SERVED})


def require_move(stage: str, move: str) -> str:
    """The stage a move leads to (the same stage for a move that does not change it), or a
    refusal that names the stage the case is in and the stages the move needs."""
    starts, target = MOVES[move]
    if stage not in starts:
        need = "、".join(LABELS[s] for s in STAGES_ORDER if s in starts)
        raise QingdanError(
            f"案件处于「{LABELS.get(stage, stage)}」阶段，不能{MOVE_LABELS[move]}（须在「{need}」阶段）。"
        )
    return target or stage


STAGES_ORDER = [code for code, _ in STAGES]
