"""机构改革: record (and, for a mistake, undo) that departments took over from others.

Recording a succession is what makes a department abolished: ``Department.objects.current()``
leaves out every predecessor, so the home page, the department lists, search and the overlap
checks stop treating it as current, while its pages, versions and downloads stay readable.

Rules, checked before anything is written:
- administrators only;
- a department cannot succeed itself, and lineage cannot go round in a circle (A → B → A);
- the date cannot lie in the future: the registry records reorganisations that have happened;
- a successor abolished on or before the date cannot take anything over (record its own
  successor instead); one abolished later can, so history may be entered out of order;
- a rename is one department becoming one other: a renamed department has no other successors.

Search needs no reindexing: the index does not store whether a department is current; each
search leaves out the abolished departments it reads from ``Succession`` at query time, so a
record (or an undo) takes effect at once in every process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from qingdan.core import outbox
from qingdan.core.audit import log
from qingdan.core.models import Department, PendingWork, Succession
from qingdan.core.permissions import Actor, require
from qingdan.errors import QingdanError


def record_succession(
    actor: Actor,
    successor: Department,
    predecessors: list[Department],
    basis: str = "",
    effective_on: date | None = None,
    rename: bool = False,
) -> list[Succession]:
    """Record that ``successor`` took over from ``predecessors`` on ``effective_on`` (default:
    today); recording the same pair again updates its date, basis and kind."""
    require(actor.is_admin, actor, "记录机构沿革")
    predecessors = list(dict.fromkeys(predecessors))
    day = effective_on or timezone.localdate()
    _check(successor, predecessors, day, rename)
    with transaction.atomic():
        before = _names(successor.predecessors.order_by("name"))
        rows = [
            Succession.objects.update_or_create(
                successor=successor,
                predecessor=predecessor,
                defaults={"basis": basis.strip(), "effective_on": effective_on, "rename": rename},
            )[0]
            for predecessor in predecessors
        ]
        after = {
            "predecessors": _names(predecessors),
            "effective_on": effective_on,
            "basis": basis.strip(),
            "rename": rename,
        }
        log(actor, "succession", successor, before={"predecessors": before}, after=after)
        _owe_crossing([successor, *predecessors])
    return rows


def undo_succession(actor: Actor, successor: Department, predecessors: list[Department]) -> int:
    """Delete a mistaken record: ``predecessors`` did not go to ``successor`` after all."""
    require(actor.is_admin, actor, "撤销机构沿革记录")
    rows = Succession.objects.filter(successor=successor, predecessor__in=predecessors)
    found = list(rows.select_related("predecessor"))
    missing = [d.name for d in predecessors if d.pk not in {r.predecessor_id for r in found}]
    if missing:
        raise QingdanError(f"没有「{'、'.join(missing)} → {successor.name}」的沿革记录，无需撤销")
    with transaction.atomic():
        Succession.objects.filter(pk__in=[r.pk for r in found]).delete()
        undone = [{"predecessor": r.predecessor.name, "effective_on": r.effective_on} for r in found]
        log(actor, "succession_undo", successor, before={"successions": undone})
        _owe_crossing([successor, *predecessors])
    return len(found)


def _owe_crossing(departments: list[Department]) -> None:
    # an abolished department's list leaves the cross-department check of its jurisdiction
    outbox.owe(PendingWork.CROSSING, {d.jurisdiction_id for d in departments})


def _check(successor: Department, predecessors: list[Department], day: date, rename: bool) -> None:
    if not predecessors:
        raise QingdanError("请至少指定一个前身部门")
    if successor in predecessors:
        raise QingdanError(f"{successor.name}不能是自己的前身部门")
    if day > timezone.localdate():
        raise QingdanError(f"撤并日期 {day.isoformat()} 晚于今天：只能记录已经发生的机构改革")
    edges = _edges()
    for predecessor in predecessors:
        path = _path(edges, successor.pk, predecessor.pk)
        if path:
            chain = " → ".join(_department_names(path))
            raise QingdanError(
                f"不能记录 {predecessor.name} → {successor.name}：沿革已是 {chain}，再记录会成环"
            )
    _check_successor_current(successor, day)
    _check_rename(successor, predecessors, rename)


def _check_successor_current(successor: Department, day: date) -> None:
    ended = Succession.objects.filter(predecessor=successor).select_related("successor")
    earliest = min(ended, key=lambda r: r.date, default=None)
    if earliest is not None and earliest.date <= day:
        raise QingdanError(
            f"{successor.name}已于 {earliest.date.isoformat()} 撤销（职责由 {earliest.successor.name} 承接），"
            f"不能在 {day.isoformat()} 承接其他部门的职责：请把后继部门记录为 {earliest.successor.name}"
        )


def _check_rename(successor: Department, predecessors: list[Department], rename: bool) -> None:
    if rename and len(predecessors) != 1:
        raise QingdanError("更名只能是一个部门改为另一个部门名称：请只写一个前身部门")
    for predecessor in predecessors:
        others = Succession.objects.filter(predecessor=predecessor).exclude(successor=successor)
        if rename and others.exists():
            names = "、".join(r.successor.name for r in others.select_related("successor"))
            raise QingdanError(f"{predecessor.name}的职责已划入 {names}，不能再记录为更名")
        renamed = others.filter(rename=True).select_related("successor").first()
        if renamed is not None:
            raise QingdanError(
                f"{predecessor.name}已记录为更名为 {renamed.successor.name}，不能再并入其他部门"
            )


def _edges() -> dict[int, set[int]]:
    """predecessor id → successor ids, for the whole registry (the table is small)."""
    edges: dict[int, set[int]] = defaultdict(set)
    for before, after in Succession.objects.values_list("predecessor_id", "successor_id"):
        edges[before].add(after)
    return edges


def _path(edges: dict[int, set[int]], start: int, goal: int) -> list[int]:
    """The department ids from ``start`` forward to ``goal`` along successions, or []."""
    trail: dict[int, int] = {}
    frontier, seen = [start], {start}
    while frontier:
        here = frontier.pop()
        if here == goal:
            path = [here]
            while path[-1] != start:
                path.append(trail[path[-1]])
            return path[::-1]
        for nxt in edges.get(here, ()):
            if nxt not in seen:
                seen.add(nxt)
                trail[nxt] = here
                frontier.append(nxt)
    return []


def _department_names(ids: list[int]) -> list[str]:
    names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [names[pk] for pk in ids]


def _names(departments: Iterable[Department]) -> list[str]:
    return [d.name for d in departments]
