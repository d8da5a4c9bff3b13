"""检查任务 after the draw: one service function per step (record a result, confirm 整改, refer to a
case, publish a plan's results), each locking the task, checking its state (``states.TASK_MOVES``),
who acts (an inspector drawn for the task, certified that day; a lead to publish) and its own
condition, writing atomically and recording who did it in the audit log.

Every result starts the department-level deadline ``inspection-publication`` (20 working days on
the official calendar, subject ``inspection-task:<id>``); publishing finishes it, met or missed.
The reads — a person's tasks, overdue 整改, the per-enterprise burden, the published results —
are at the end; they never write.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from qingdan.cases import deadlines
from qingdan.cases.models import CaseDeadline, CaseRole, PenaltyCase
from qingdan.cases.services import open_case
from qingdan.core.audit import log
from qingdan.core.models import Jurisdiction
from qingdan.core.permissions import Actor, PermissionDenied
from qingdan.errors import NotFound, QingdanError
from qingdan.inspection import roles, states
from qingdan.inspection.models import InspectionPlan, InspectionTask, PlanDepartment, TaskInspector

PUBLICATION_RULE = "inspection-publication"
SUBJECT_PREFIX = "inspection-task:"
PAGE_SIZE = 50
RESULT_LABELS = dict(InspectionTask.RESULTS)
# the words a person may type for a result: the code or its Chinese label
RESULT_WORDS = {
    **{code: code for code in RESULT_LABELS},
    **{label: code for code, label in RESULT_LABELS.items()},
}


def _today() -> dt.date:
    return timezone.localdate()


def subject_of(task: InspectionTask | int) -> str:
    """The deadline subject of a task: ``inspection-task:<id>``."""
    return f"{SUBJECT_PREFIX}{task.pk if isinstance(task, InspectionTask) else task}"


def result_code(word: str) -> str:
    """``none_found``/``rectify``/``refer`` or their Chinese names → the code, or a refusal."""
    code = RESULT_WORDS.get(word.strip())
    if code is None:
        raise QingdanError(
            f"检查结果「{word}」无法识别，可用："
            + "、".join(f"{c}（{label}）" for c, label in RESULT_LABELS.items())
        )
    return code


def _locked(task: InspectionTask | int) -> InspectionTask:
    pk = task.pk if isinstance(task, InspectionTask) else task
    return (
        InspectionTask.objects.select_for_update(of=("self",))  # the inspectee is an outer join
        .select_related("plan__department", "plan__item", "member__inspectee")
        .get(pk=pk)
    )


def _inspector(actor: Actor, task: InspectionTask, day: dt.date, what: str) -> TaskInspector:
    """The actor's place among the task's drawn inspectors, certified on ``day``, or a refusal."""
    mine: set[tuple[int, int]] = set()
    if actor.user is not None:
        mine = {
            (d, o)
            for d, o in CaseRole.objects.filter(
                user=actor.user, role=CaseRole.OFFICER, officer__isnull=False
            ).values_list("department_id", "officer_id")
        }
    for link in task.inspectors.select_related("part__department", "officer"):
        if (link.part.department_id, link.officer_id) in mine:
            roles.acting_inspector(actor, link.part.department, day)
            return link
    raise PermissionDenied(f"{actor}不是本检查任务抽中的检查人员，不能{what}。")


def _day(on: dt.date | None, what: str) -> dt.date:
    day = on or _today()
    if day > _today():
        raise QingdanError(f"{what} {day:%Y-%m-%d} 晚于今天，不能预先登记。")
    return day


def _need(text: str, what: str) -> str:
    if not text.strip():
        raise QingdanError(f"请填写{what}。")
    return text.strip()


def _open_case(
    actor: Actor, task: InspectionTask, link: TaskInspector, *, title: str, on: dt.date, detail: str
) -> PenaltyCase:
    """移交立案: a case lead of the acting officer's department, with the task as its source and the
    task's inspectors of that department as its 检查人员."""
    plan, member = task.plan, task.member
    team = [ti.officer for ti in task.inspectors.select_related("officer") if ti.part_id == link.part_id]
    return open_case(
        actor,
        link.part.department,
        title=_need(title, "案由"),
        source="random",
        source_ref=subject_of(task),
        source_detail=f"双随机抽查 {plan.number}「{plan.title}」第 {task.order} 号检查任务：{detail}",
        occurred_on=on,
        party_kind=PenaltyCase.ORGANISATION,
        party_name=member.name,
        party_id_number=member.uscc,
        party_address=member.inspectee.address if member.inspectee else "",
        inspectors=team,
    )


@transaction.atomic
def record_result(
    actor: Actor,
    task: InspectionTask,
    *,
    result: str,
    findings: str,
    inspected_on: dt.date,
    rectify_due: dt.date | None = None,
    title: str = "",
) -> InspectionTask:
    """登记检查结果 by a drawn inspector: 未发现问题 (办结), 责令整改 with a deadline (整改中), or 移交立案
    (a case is opened, ``title`` its 案由; 办结). Starts the 20-working-day publication deadline."""
    task = _locked(task)
    states.require_task_move(task.state, "record_result")
    code = result_code(result)
    plan = task.plan
    day = _day(inspected_on, "检查日期")
    if not plan.period_start <= day <= plan.period_end:
        raise QingdanError(
            f"检查日期 {day:%Y-%m-%d} 不在计划的抽查期间（{plan.period_start:%Y-%m-%d}至{plan.period_end:%Y-%m-%d}）内。"
        )
    link = _inspector(actor, task, day, "登记检查结果")
    task.findings = _need(findings, "检查情况")
    if code == InspectionTask.RECTIFY:
        if rectify_due is None:
            raise QingdanError("责令整改须写明整改期限。")
        if rectify_due <= day:
            raise QingdanError(f"整改期限 {rectify_due:%Y-%m-%d} 须晚于检查日期 {day:%Y-%m-%d}。")
    elif rectify_due is not None:
        raise QingdanError(f"「{RESULT_LABELS[code]}」不设整改期限。")
    if code == InspectionTask.REFER:
        task.case = _open_case(actor, task, link, title=title, on=day, detail=task.findings)
    task.result, task.inspected_on, task.rectify_due = code, day, rectify_due
    task.state = states.RECTIFYING if code == InspectionTask.RECTIFY else states.DONE
    task.recorded_by_name = str(actor)
    task.save()
    recorded = _today()
    due = deadlines.start_subject(
        plan.department_id, PUBLICATION_RULE, subject_of(task), recorded, label=_deadline_label(task)
    )
    log(
        actor,
        "inspection_task_record_result",
        task,
        before={"状态": states.TASK_LABELS[states.ASSIGNED]},
        after={
            "检查对象": f"{task.member.name}（{task.member.uscc}）",
            "检查结果": RESULT_LABELS[code],
            "检查日期": f"{day:%Y-%m-%d}",
            **({"整改期限": f"{rectify_due:%Y-%m-%d}"} if rectify_due else {}),
            **({"案件": task.case.pk} if task.case else {}),
            "公示期限": f"{due.due:%Y-%m-%d}",
        },
    )
    return task


def _deadline_label(task: InspectionTask) -> str:
    return f"检查结果公示：{task.member.name}"


@transaction.atomic
def confirm_rectified(
    actor: Actor, task: InspectionTask, *, on: dt.date | None = None, note: str = ""
) -> InspectionTask:
    """确认整改完成 by a drawn inspector after the 复查 (整改中 → 办结)."""
    task = _locked(task)
    states.require_task_move(task.state, "confirm_rectified")
    day = _day(on, "整改完成日期")
    if task.inspected_on and day < task.inspected_on:
        raise QingdanError(f"整改完成日期 {day:%Y-%m-%d} 早于检查日期 {task.inspected_on:%Y-%m-%d}。")
    _inspector(actor, task, day, "确认整改完成")
    if note.strip():
        task.findings = f"{task.findings}\n整改复查（{day:%Y-%m-%d}）：{note.strip()}"
    task.rectified_on = day
    task.state = states.require_task_move(task.state, "confirm_rectified")
    task.save(update_fields=["findings", "rectified_on", "state"])
    late = task.rectify_due is not None and day > task.rectify_due
    log(
        actor,
        "inspection_task_confirm_rectified",
        task,
        before={"状态": states.TASK_LABELS[states.RECTIFYING]},
        after={
            "整改完成日期": f"{day:%Y-%m-%d}",
            **({"逾期": "是"} if late else {}),
            **({"说明": note.strip()} if note.strip() else {}),
        },
    )
    return task


def refer_reason(task: InspectionTask, day: dt.date) -> str:
    return "逾期未整改" if task.rectify_due is not None and day > task.rectify_due else "整改不到位"


@transaction.atomic
def refer(actor: Actor, task: InspectionTask, *, on: dt.date | None = None, title: str) -> InspectionTask:
    """移交立案 of a 责令整改 task (逾期未整改, or 整改不到位 on the 复查): opens a case (整改中 → 办结)."""
    task = _locked(task)
    states.require_task_move(task.state, "refer")
    day = _day(on, "移交日期")
    if task.inspected_on and day < task.inspected_on:
        raise QingdanError(f"移交日期 {day:%Y-%m-%d} 早于检查日期 {task.inspected_on:%Y-%m-%d}。")
    link = _inspector(actor, task, day, "移交立案")
    reason = refer_reason(task, day)
    detail = f"{reason}（整改期限 {task.rectify_due:%Y-%m-%d}）。检查情况：{task.findings}"
    task.case = _open_case(actor, task, link, title=title, on=day, detail=detail)
    task.state = states.require_task_move(task.state, "refer")
    task.save(update_fields=["case", "state"])
    log(
        actor,
        "inspection_task_refer",
        task,
        before={"状态": states.TASK_LABELS[states.RECTIFYING]},
        after={"事由": reason, "案件": task.case.pk, "案由": task.case.title},
    )
    return task


@transaction.atomic
def publish_results(actor: Actor, plan: InspectionPlan, *, on: dt.date | None = None) -> list[InspectionTask]:
    """结果公示: every recorded, unpublished result of the plan is published on ``on`` (today by
    default); each one's publication deadline is met, or missed when ``on`` is after it."""
    plan = InspectionPlan.objects.select_for_update().select_related("department").get(pk=plan.pk)
    roles.require_lead(actor, plan.department, "公示检查结果")
    day = _day(on, "公示日期")
    waiting = list(
        InspectionTask.objects.select_for_update()
        .select_related("member")
        .filter(plan=plan, published_on__isnull=True)
        .exclude(state=states.ASSIGNED)
        .order_by("order")
    )
    if not waiting:
        raise QingdanError(f"计划{plan.number}没有待公示的检查结果。")
    for task in waiting:
        states.require_task_move(task.state, "publish")
        if task.inspected_on and day < task.inspected_on:
            raise QingdanError(
                f"公示日期 {day:%Y-%m-%d} 早于{task.member.name}的检查日期 {task.inspected_on:%Y-%m-%d}。"
            )
    missed = []
    for task in waiting:
        task.published_on = day
        finished = deadlines.finish_subject(PUBLICATION_RULE, subject_of(task), day)
        if finished is not None and finished.status == CaseDeadline.MISSED:
            missed.append(task.member.name)
    InspectionTask.objects.bulk_update(waiting, ["published_on"])
    log(
        actor,
        "inspection_task_publish",
        plan,
        after={
            "公示日期": f"{day:%Y-%m-%d}",
            "检查结果": len(waiting),
            **({"逾期公示": "、".join(missed)} if missed else {}),
        },
    )
    return waiting


# --- reads ----------------------------------------------------------------------------------


def officer_ids(actor: Actor) -> list[int]:
    """The officers the actor acts as (their 执法人员 bindings in any department)."""
    if actor.user is None:
        return []
    return list(
        CaseRole.objects.filter(user=actor.user, role=CaseRole.OFFICER, officer__isnull=False).values_list(
            "officer_id", flat=True
        )
    )


def open_first(rows: QuerySet[InspectionTask]) -> QuerySet[InspectionTask]:
    """待检查 and 整改中 before 办结; then by 整改期限 and the plan's period."""
    rank = Case(
        When(state=states.ASSIGNED, then=Value(0)),
        When(state=states.RECTIFYING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.annotate(done_rank=rank).order_by(
        "done_rank", "rectify_due", "plan__period_end", "plan_id", "order"
    )


def mine(actor: Actor) -> QuerySet[InspectionTask]:
    """The tasks the actor was drawn for, open first."""
    drawn = TaskInspector.objects.filter(officer_id__in=officer_ids(actor)).values("task_id")
    return open_first(InspectionTask.objects.filter(pk__in=drawn).select_related("plan", "member"))


def of_plan(actor: Actor, plan: InspectionPlan) -> QuerySet[InspectionTask]:
    """A plan's tasks, for someone who may see the inspection work of one of its departments."""
    if not any(roles.can_see(actor, part.department) for part in plan.parts.select_related("department")):
        raise PermissionDenied(f"{actor}无权查看计划{plan.number}的检查任务。")
    return open_first(plan.tasks.select_related("plan", "member"))


def may_see(actor: Actor, task: InspectionTask) -> bool:
    """A task's inspectors, and whoever sees the inspection work of one of the plan's departments."""
    if set(officer_ids(actor)) & set(task.inspectors.values_list("officer_id", flat=True)):
        return True
    return any(roles.can_see(actor, part.department) for part in task.plan.parts.select_related("department"))


def overdue_rectifications(
    *, today: dt.date | None = None, department_id: int | None = None, officers: list[int] | None = None
) -> QuerySet[InspectionTask]:
    """逾期未整改: the 整改 deadline has passed and the task is still 整改中 (for the desk and pages)."""
    rows = InspectionTask.objects.filter(state=states.RECTIFYING, rectify_due__lt=today or _today())
    if department_id is not None:
        rows = rows.filter(
            plan__in=PlanDepartment.objects.filter(department_id=department_id).values("plan_id")
        )
    if officers is not None:
        rows = rows.filter(pk__in=TaskInspector.objects.filter(officer_id__in=officers).values("task_id"))
    return rows.select_related("plan", "member").order_by("rectify_due", "id")


def rectify_state(task: InspectionTask, today: dt.date | None = None) -> str:
    """整改 as the public may read it (no findings text)."""
    if task.result != InspectionTask.RECTIFY:
        return ""
    if task.rectified_on:
        return f"已整改（{task.rectified_on:%Y-%m-%d}）"
    if task.case_id:
        on = task.case.occurred_on if task.case else None
        return f"{refer_reason(task, on) if on else '未整改'}，已移交立案"
    if task.rectify_due and task.rectify_due < (today or _today()):
        return f"整改期限 {task.rectify_due:%Y-%m-%d} 已过，待复查"
    return f"整改中（期限 {task.rectify_due:%Y-%m-%d}）" if task.rectify_due else "整改中"


def task_json(task: InspectionTask, *, full: bool = True, today: dt.date | None = None) -> dict[str, Any]:
    """A task for the API and the command line (``full``: the findings and inspectors too)."""
    today = today or _today()
    member, plan = task.member, task.plan
    data: dict[str, Any] = {
        "id": task.pk,
        "plan": {"id": plan.pk, "number": plan.number, "title": plan.title},
        "order": task.order,
        "inspectee": {"name": member.name, "uscc": member.uscc},
        "state": task.state,
        "state_label": task.state_label,
        "result": task.result,
        "result_label": RESULT_LABELS.get(task.result, ""),
        "inspected_on": _iso(task.inspected_on),
        "rectify_due": _iso(task.rectify_due),
        "rectified_on": _iso(task.rectified_on),
        "rectify_overdue": task.state == states.RECTIFYING
        and bool(task.rectify_due and task.rectify_due < today),
        "case_id": task.case_id,
        "published_on": _iso(task.published_on),
    }
    if full:
        deadline = (
            CaseDeadline.objects.filter(case=None, subject=subject_of(task), rule=PUBLICATION_RULE)
            .exclude(status=CaseDeadline.CANCELLED)
            .first()
        )
        data |= {
            "findings": task.findings,
            "recorded_by": task.recorded_by_name,
            "inspectors": [
                {
                    "name": ti.officer.name,
                    "certificate_number": ti.officer.certificate_number,
                    "department": ti.part.department.name,
                }
                for ti in task.inspectors.select_related("officer", "part__department")
            ],
            "publication_deadline": {
                "due": deadline.due.isoformat(),
                "status": deadline.status,
                "status_label": deadline.get_status_display(),
                "uncertain": deadline.uncertain,
                "warnings": list(deadline.warnings),
                "basis": deadline.basis,
            }
            if deadline
            else None,
        }
    return data


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def paged(rows: QuerySet[Any] | list[Any], page: int) -> tuple[list[Any], int, int, int]:
    """(the rows of ``page``, the page shown, pages, count), 50 a page."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(max(1, page), pages)
    return list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]), page, pages, count


def published(department_id: int) -> QuerySet[InspectionTask]:
    """The published results of the plans a department took part in, newest first."""
    return (
        InspectionTask.objects.filter(
            published_on__isnull=False,
            plan__in=PlanDepartment.objects.filter(department_id=department_id).values("plan_id"),
        )
        .select_related("plan__item", "member", "case")
        .order_by("-published_on", "plan_id", "order")
    )


def published_json(task: InspectionTask, today: dt.date | None = None) -> dict[str, Any]:
    """What the portal publishes of a result: no findings text, no inspectors' notes."""
    return {
        "id": task.pk,
        "inspectee": task.member.name,
        "uscc": task.member.uscc,
        "plan": task.plan.number,
        "plan_title": task.plan.title,
        "item": task.plan.item.name,
        "inspected_on": _iso(task.inspected_on),
        "result": task.result,
        "result_label": RESULT_LABELS.get(task.result, ""),
        "rectification": rectify_state(task, today),
        "published_on": _iso(task.published_on),
    }


# --- per-enterprise burden --------------------------------------------------------------------


def burden(year: int, jurisdiction: Jurisdiction | None = None) -> list[dict[str, Any]]:
    """企业受检负担: per 统一社会信用代码, the drawn tasks of the year across departments — by which
    departments and plans, in which months — flagging 同月多部门检查: two or more different plans in
    one month (a 联合抽查 is one plan, one visit, and is not flagged). A task's month is the month
    of its inspection once recorded, else the month of its draw."""
    rows = InspectionTask.objects.filter(plan__state=states.DRAWN).annotate(
        day=Coalesce("inspected_on", "plan__draw_on")
    )
    rows = rows.filter(day__year=year)
    if jurisdiction is not None:
        rows = rows.filter(plan__department__jurisdiction=jurisdiction)
    departments: dict[int, list[str]] = defaultdict(list)
    plan_ids = set(rows.values_list("plan_id", flat=True))
    for plan_id, name in (
        InspectionPlan.objects.filter(pk__in=plan_ids)
        .values_list("pk", "parts__department__name")
        .order_by("pk", "parts__position")
    ):
        departments[plan_id].append(name)
    found: dict[str, dict[str, Any]] = {}
    for uscc, name, plan_id, number, day in rows.values_list(
        "member__uscc", "member__name", "plan_id", "plan__number", "day"
    ).order_by("member__uscc", "day", "plan_id"):
        entry = found.setdefault(uscc, {"uscc": uscc, "name": name, "plans": []})
        entry["plans"].append(
            {"id": plan_id, "number": number, "month": f"{day:%Y-%m}", "departments": departments[plan_id]}
        )
    result = []
    for entry in found.values():
        by_month: dict[str, set[int]] = defaultdict(set)
        for p in entry["plans"]:
            by_month[p["month"]].add(p["id"])
        crowded = sorted(m for m, ids in by_month.items() if len(ids) >= 2)
        names = list(dict.fromkeys(d for p in entry["plans"] for d in p["departments"]))
        result.append(
            entry
            | {
                "times": len(entry["plans"]),
                "departments": names,
                "months": sorted(by_month),
                "same_month": crowded,
                "flag": "同月多部门检查" if crowded else "",
            }
        )
    result.sort(key=lambda e: (not e["same_month"], -e["times"], e["uscc"]))
    return result


# --- finding by what a person types ----------------------------------------------------------


def find_task(ref: str | int) -> InspectionTask:
    """A task by its id, or a refusal."""
    text = str(ref).strip()
    found = (
        InspectionTask.objects.select_related("plan", "member").filter(pk=int(text)).first()
        if text.isdigit() and 0 < int(text) < 2**63
        else None
    )
    if found is None:
        raise NotFound(f"没有编号为 {text} 的检查任务。")
    return found


def find_plan(ref: str | int) -> InspectionPlan:
    """A plan by its id or its 计划编号, or a refusal."""
    text = str(ref).strip()
    rows = InspectionPlan.objects.select_related("department")
    found = rows.filter(number=text).first()
    if found is None and text.isdigit() and 0 < int(text) < 2**63:
        found = rows.filter(pk=int(text)).first()
    if found is None:
        raise NotFound(f"没有编号为「{text}」的抽查计划。")
    return found
