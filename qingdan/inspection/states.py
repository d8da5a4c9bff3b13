"""The states of a 抽查计划 and of a 检查任务, and the moves between them, in one table each (the
manner of ``qingdan.cases.states``). Every move is one service function that calls
``require_move`` under a row lock before it writes, so no step can be skipped from the web, the
API or the CLI.

A plan is drafted, then **committed** (its population and inspector pool frozen, their SHA-256
published together with the named source of the seed), then **drawn** once with the seed that
source announced. A committed plan can be cancelled before its draw (publicly, with a reason); a
drawn plan cannot be drawn again with another seed.
"""

from __future__ import annotations

from qingdan.errors import QingdanError

# InspectionPlan.state
DRAFT = "draft"
COMMITTED = "committed"
DRAWN = "drawn"
CANCELLED = "cancelled"
PLAN_STATES = [(DRAFT, "草拟"), (COMMITTED, "已公布待抽取"), (DRAWN, "已抽取"), (CANCELLED, "已撤销")]
PLAN_LABELS = dict(PLAN_STATES)

PLAN_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "edit": (frozenset({DRAFT}), None),
    "join": (frozenset({DRAFT}), None),  # 联合抽查: another department adds its item
    "commit": (frozenset({DRAFT}), COMMITTED),
    "run": (frozenset({COMMITTED}), DRAWN),
    "cancel": (frozenset({DRAFT, COMMITTED}), CANCELLED),
}

# InspectionTask.state
ASSIGNED = "assigned"  # 待检查
RECTIFYING = "rectifying"  # 责令整改, follow-up running
DONE = "done"  # 已办结 (未发现问题, 整改完成, or 移交立案)
TASK_STATES = [(ASSIGNED, "待检查"), (RECTIFYING, "整改中"), (DONE, "已办结")]
TASK_LABELS = dict(TASK_STATES)

TASK_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "record_result": (frozenset({ASSIGNED}), None),  # → DONE or RECTIFYING, by the result
    "confirm_rectified": (frozenset({RECTIFYING}), DONE),
    "refer": (frozenset({RECTIFYING}), DONE),  # 逾期未整改 → 移交立案
    "publish": (frozenset({RECTIFYING, DONE}), None),
}

ACTION_LABELS = {
    "inspection_catalog_derive": "随机抽查事项清单：生成草稿",
    "inspection_catalog_new_draft": "随机抽查事项清单：新建草稿",
    "inspection_catalog_edit": "随机抽查事项清单：修改事项",
    "inspection_catalog_add": "随机抽查事项清单：添加事项",
    "inspection_catalog_remove": "随机抽查事项清单：删除事项",
    "inspection_catalog_publish": "随机抽查事项清单：发布",
    "inspection_pool_import": "检查对象名录库：导入",
    "inspection_conflict_declare": "执法检查人员：申报回避",
    "inspection_conflict_withdraw": "执法检查人员：撤回回避申报",
    "inspection_plan_create": "抽查计划：草拟",
    "inspection_plan_edit": "抽查计划：修改",
    "inspection_plan_join": "抽查计划：加入联合抽查",
    "inspection_plan_commit": "抽查计划：公布检查对象并锁定",
    "inspection_plan_run": "抽查计划：抽取",
    "inspection_plan_cancel": "抽查计划：撤销",
    "inspection_task_record_result": "检查任务：登记检查结果",
    "inspection_task_confirm_rectified": "检查任务：确认整改完成",
    "inspection_task_refer": "检查任务：移交立案",
    "inspection_task_publish": "检查任务：公示检查结果",
}


def require_move(
    table: dict[str, tuple[frozenset[str], str | None]], labels: dict[str, str], state: str, move: str
) -> str:
    """The state after ``move``, or a refusal naming the state it is in."""
    starts, after = table[move]
    if state not in starts:
        label = (
            ACTION_LABELS.get(f"inspection_plan_{move}")
            or ACTION_LABELS.get(f"inspection_task_{move}")
            or move
        )
        raise QingdanError(f"当前状态为「{labels.get(state, state)}」，不能{label.split('：')[-1]}。")
    return after or state


def require_plan_move(state: str, move: str) -> str:
    return require_move(PLAN_MOVES, PLAN_LABELS, state, move)


def require_task_move(state: str, move: str) -> str:
    return require_move(TASK_MOVES, TASK_LABELS, state, move)
