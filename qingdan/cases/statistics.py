"""Case statistics per department, 承办科室 (``PenaltyCase.unit``) or officer (``CaseOfficer``):
cases by stage, overdue deadlines, average days per stage. Pure queries, aggregated in the
database (a fixed number of queries whatever the number of cases), returning plain dataclasses.

Overdue: a ``CaseDeadline`` still open whose due day has passed, or one met late (``missed``).
Days in a stage: from the action that moved the case into the stage to the next action that moved
it out, by the actions' dates (``CaseAction.on``); a stage the case is still in is not counted.
发现 is entered when the lead is registered, not by an action, so it is measured only when a case
comes back to it (退回立案审批).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qingdan.cases import states
from qingdan.cases.models import CaseAction, CaseDeadline, CaseOfficer, CaseRole, PenaltyCase
from qingdan.core.models import Department
from qingdan.core.permissions import Actor, can_see_drafts
from qingdan.enforcement.models import Officer
from qingdan.errors import QingdanError

GROUPINGS = {"department": "部门", "unit": "承办科室", "officer": "执法人员"}
NO_UNIT = "（未填承办科室）"


@dataclass
class StageDays:
    stage: str
    label: str
    average: float  # days, to one decimal
    count: int  # how many stays in the stage were measured


@dataclass
class GroupStatistics:
    department_id: int
    department: str
    name: str  # the department, the unit or the officer
    by_stage: dict[str, int] = field(default_factory=dict)
    total: int = 0
    open: int = 0
    overdue: int = 0
    stage_days: list[StageDays] = field(default_factory=list)

    def stage_rows(self) -> list[tuple[str, int]]:
        """(stage label, count) in the procedure's order, for the stages with cases."""
        return [(states.LABELS[s], self.by_stage[s]) for s in states.STAGES_ORDER if self.by_stage.get(s)]


@dataclass
class CaseStatistics:
    by: str
    today: dt.date
    groups: list[GroupStatistics] = field(default_factory=list)

    @property
    def by_label(self) -> str:
        return GROUPINGS[self.by]

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "today": self.today.isoformat(),
            "stages": dict(states.STAGES),
            "groups": [asdict(g) for g in self.groups],
        }


def case_statistics(
    departments: Iterable[Department] | QuerySet[Department] | None = None,
    by: str = "department",
    today: dt.date | None = None,
) -> CaseStatistics:
    """The statistics of ``departments`` (all when None), grouped ``by`` department, unit or officer."""
    if by not in GROUPINGS:
        raise QingdanError(f"统计口径「{by}」无效（可用：department 部门、unit 承办科室、officer 执法人员）")
    today = today or timezone.localdate()
    ids = None if departments is None else [d.pk for d in departments]
    names = dict(
        Department.objects.filter(**({} if ids is None else {"pk__in": ids})).values_list("pk", "name")
    )
    result = CaseStatistics(by, today)
    groups: dict[tuple[int, Any], GroupStatistics] = {}

    def group(key: tuple[int, Any]) -> GroupStatistics:
        if key not in groups:
            groups[key] = GroupStatistics(key[0], names.get(key[0], ""), "")
        return groups[key]

    for row in _cases(ids, by):
        g = group((row["department_id"], row["key"]))
        g.by_stage[row["stage"]] = row["n"]
        g.total += row["n"]
        g.open += row["n"] if row["stage"] in states.OPEN_STAGES else 0
    for row in _overdue(ids, by, today):
        group((row["department_id"], row["key"])).overdue = row["n"]
    for department_id, key, stage, average, count in _stage_days(ids, by):
        label = states.LABELS.get(stage, stage)
        group((department_id, key)).stage_days.append(
            StageDays(stage, label, round(float(average), 1), count)
        )
    _name(groups, by)
    order = {s: i for i, s in enumerate(states.STAGES_ORDER)}
    for g in groups.values():
        g.stage_days.sort(key=lambda d: order.get(d.stage, 99))
    result.groups = sorted(groups.values(), key=lambda g: (g.department, g.name))
    return result


def _key(by: str) -> Any:
    if by == "department":
        return Value(None, output_field=IntegerField())
    return F("unit") if by == "unit" else F("officers__officer_id")


def _cases(ids: list[int] | None, by: str) -> QuerySet[Any]:
    rows = PenaltyCase.objects.all() if ids is None else PenaltyCase.objects.filter(department_id__in=ids)
    if by == "officer":
        rows = rows.filter(officers__isnull=False)
    return (
        rows.annotate(key=_key(by))
        .values("department_id", "key", "stage")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )


def _overdue(ids: list[int] | None, by: str, today: dt.date) -> QuerySet[Any]:
    rows = CaseDeadline.objects.filter(
        Q(status=CaseDeadline.OPEN, due__lt=today) | Q(status=CaseDeadline.MISSED)
    )
    if ids is not None:
        rows = rows.filter(department_id__in=ids)
    if by == "department":
        rows = rows.annotate(key=Value(None, output_field=IntegerField()))
    elif by == "unit":
        rows = rows.annotate(key=Coalesce("case__unit", "unit_name"))
    else:
        rows = rows.filter(case__officers__isnull=False).annotate(key=F("case__officers__officer_id"))
    return rows.values("department_id", "key").annotate(n=Count("id", distinct=True)).order_by()


def _stage_days(ids: list[int] | None, by: str) -> list[tuple[int, Any, str, float, int]]:
    """Average days per stage by group, in one query: each move into a stage paired with the
    case's next move (LEAD over the case's stage-changing actions), when that move leaves it.
    By officer, each stay joins the case's officers through the (case, officer, role) index and
    is counted once per officer whatever their roles."""
    q = connection.ops.quote_name
    action, case, officer = (m._meta.db_table for m in (CaseAction, PenaltyCase, CaseOfficer))
    if connection.vendor == "postgresql":
        days = "(m.left_on - m.entered)"
    else:
        days = "(julianday(m.left_on) - julianday(m.entered))"
    where, params = "", []
    if ids is not None:
        if not ids:
            return []
        where = f" AND p.department_id IN ({', '.join(['%s'] * len(ids))})"
        params = list(ids)
    stays = "stays"
    if by == "officer":
        stays = f"""(SELECT DISTINCT s.id, s.case_id, s.stage, s.days, co.officer_id AS key
                     FROM stays s JOIN {q(officer)} co ON co.case_id = s.case_id)"""
    key = {"department": "NULL", "unit": "p.unit", "officer": "x.key"}[by]
    group = f"p.department_id, {'' if by == 'department' else key + ', '}x.stage"
    sql = f"""
        WITH m AS (
            SELECT a.id, a.case_id, a.stage_after, a.{q("on")} AS entered,
                   LEAD(a.{q("on")}) OVER w AS left_on,
                   LEAD(a.stage_before) OVER w AS left_from
            FROM {q(action)} a
            JOIN {q(case)} p ON p.id = a.case_id
            WHERE a.stage_before <> a.stage_after{where}
            WINDOW w AS (PARTITION BY a.case_id ORDER BY a.acted_at, a.id)
        ), stays AS (
            SELECT m.id, m.case_id, m.stage_after AS stage, {days} AS days
            FROM m WHERE m.left_on IS NOT NULL AND m.left_from = m.stage_after
        )
        SELECT p.department_id, {key}, x.stage, AVG(x.days), COUNT(*)
        FROM {stays} x JOIN {q(case)} p ON p.id = x.case_id
        GROUP BY {group}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


def _name(groups: dict[tuple[int, Any], GroupStatistics], by: str) -> None:
    officers: dict[int, str] = {}
    if by == "officer":
        ids = [k[1] for k in groups if k[1] is not None]
        officers = dict(Officer.objects.filter(pk__in=ids).values_list("pk", "name"))
    for (_, key), g in groups.items():
        if by == "department":
            g.name = g.department
        elif by == "unit":
            g.name = key or NO_UNIT
        else:
            g.name = officers.get(key, str(key))


# --- who may see -----------------------------------------------------------------------------


def can_see_statistics(actor: Actor, department: Department) -> bool:
    """The department's staff and reviewers (as for its drafts) and whoever holds a case role
    there (执法人员, 科室负责人, 局领导, 法制审核人员)."""
    if can_see_drafts(actor, department):
        return True
    user = actor.user
    return bool(user is not None and CaseRole.objects.filter(user=user, department=department).exists())


def visible_departments(actor: Actor) -> list[Department]:
    """The departments whose statistics ``actor`` may see."""
    departments = list(Department.objects.select_related("jurisdiction").order_by("name"))
    if actor.is_admin:
        return departments
    roles: set[int] = set()
    if actor.user is not None:
        roles = set(CaseRole.objects.filter(user=actor.user).values_list("department_id", flat=True))
    return [d for d in departments if d.pk in roles or can_see_drafts(actor, d)]
