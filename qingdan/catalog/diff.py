"""What changed between two versions of one department's list, the way a reviewer reads it.

``diff_records(old, new)`` is pure: two ListRecords in, a ListDiff out, no database.

Items are matched, not compared by position, so a renumbering or a reorder alone says nothing.
Texts are compared in a normalised form (NFKC, which folds full-width ASCII to half-width, then
without punctuation, whitespace and control characters), so an edit of spacing or punctuation
alone is not a change either. Matching goes in rounds, each on what the earlier ones left:

1. equal normalised texts. Where a text is written more than once, the pairs that share more go
   first (a task: the same duty; a duty: its tasks; a boundary matter: its shares), so that
   swapping two duties that hold the same task, or two entries of the same matter, is no change;
2. the most similar remaining pairs, best first, whose ``difflib.SequenceMatcher.ratio`` is at
   least ``LONG_RATIO`` (0.6) when either text has ``LONG_TEXT`` (20) or more normalised
   characters, else ``SHORT_RATIO`` (0.75): in a short text a few characters are a larger share,
   and two different short tasks easily share half their characters (负责…工作). Only pairs
   whose lengths allow 0.6 are tried (one at most 7/3 of the other); then a bound from the sets
   of characters, ``real_quick_ratio`` and ``quick_ratio`` must pass before the ratio is computed;
3. duties left over are paired when at least ``SHARED_TASKS`` (half) of the tasks of the larger
   one matched each other: a duty rewritten beyond recognition but keeping its tasks is reworded;
4. units left over are a rename when the tasks that named the old unit and those that name the
   new one overlap by half of both together, so a rename is one change, not one per task.

Tasks are matched across the whole list, so a task moved to another duty is ``task_moved``. A
matched task that changed in several ways is one change: its kind is the first of moved,
reworded, units changed, note changed, and ``fields`` names them all. A removed duty is one
change that carries its tasks (``before`` holds them all); of these, the ones found in another
duty are ``task_moved`` and the others are not reported again. An added duty likewise. Unit names
match only when equal (or by round 4); powers by code when both have one, else by name; all
other items by the rounds above. Units and phones are compared as sets.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from qingdan.ingest.records import (
    REGIME_PARTS,
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    PowerRecord,
    TaskRecord,
    UnitRecord,
    plain,
)

LONG_TEXT = 20
LONG_RATIO = 0.6
SHORT_RATIO = 0.75
SHARED_TASKS = 0.5
QUOTE = 40  # characters of an item's text quoted in a summary
CONTEXT = 20  # characters of the duty or matter around it

KIND_LABELS: dict[str, str] = {
    "unit_added": "新增科室",
    "unit_removed": "删除科室",
    "unit_renamed": "科室更名",
    "unit_phone_changed": "电话变更",
    "unit_kind_changed": "科室类别变更",
    "duty_added": "新增职责",
    "duty_removed": "删除职责",
    "duty_reworded": "改写职责",
    "task_added": "新增事项",
    "task_removed": "删除事项",
    "task_reworded": "改写事项",
    "task_moved": "事项调整职责",
    "task_units_changed": "事项调整科室",
    "task_note_changed": "备注变更",
    "boundary_added": "新增边界事项",
    "boundary_removed": "删除边界事项",
    "boundary_reworded": "改写边界事项",
    "share_added": "新增部门分工",
    "share_removed": "删除部门分工",
    "share_changed": "部门分工变更",
    "service_added": "新增公共服务",
    "service_removed": "删除公共服务",
    "service_changed": "公共服务变更",
    "regime_added": "新增监管制度",
    "regime_removed": "删除监管制度",
    "regime_changed": "监管制度变更",
    "power_added": "新增权力事项",
    "power_removed": "删除权力事项",
    "power_changed": "权力事项变更",
}

_SHARE_LABELS = {"department": "相关部门", "division": "职责分工", "basis": "相关依据", "case": "案例"}
_SERVICE_LABELS = {"name": "服务事项", "content": "主要内容", "units": "承办科室", "phones": "联系电话"}
_REGIME_PART_LABELS = ("对象", "内容", "方式", "措施", "程序", "处理")
_REGIME_LABELS = {
    "matter": "事项",
    **{part: f"监督检查{label}" for part, label in zip(REGIME_PARTS, _REGIME_PART_LABELS, strict=True)},
}
_POWER_LABELS = {
    "name": "事项名称",
    "code": "事项编码",
    "type": "事项类型",
    "subitems": "子项",
    "basis": "设定依据",
    "subject": "实施主体",
    "units": "承办机构",
    "duties": "责任事项",
    "accountability": "追责情形",
    "phones": "监督电话",
}
_TASK_KINDS = {
    "duty": "task_moved",
    "text": "task_reworded",
    "units": "task_units_changed",
    "note": "task_note_changed",
}

Key = tuple[int, ...]  # where a change sorts: section, then places in the new list
Pairs = dict[int, int]  # old index -> new index
Keyed = Iterator[tuple[Key, "Change"]]


@dataclass
class Change:
    kind: str  # a key of KIND_LABELS
    section: str  # units | duties | tasks | boundaries | services | supervision | powers
    summary: str  # one sentence for a reviewer
    before: dict[str, Any] | None  # the old item, or only its changed fields; None when added
    after: dict[str, Any] | None
    old_path: str = ""  # e.g. duties[2].tasks[0]; "" when added
    new_path: str = ""
    fields: list[str] = field(default_factory=list)  # what changed, for the *_changed kinds


@dataclass
class ListDiff:
    changes: list[Change] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        return dict(Counter(c.kind for c in self.changes))

    def to_json(self) -> dict[str, Any]:
        return {"changes": [asdict(c) for c in self.changes], "counts": self.counts()}


def diff_records(old: ListRecord, new: ListRecord) -> ListDiff:
    """Every change from ``old`` to ``new``, in the new list's document order."""
    lists = _match_lists(old, new)
    keyed = [
        *_unit_changes(lists),
        *_duty_changes(lists),
        *_task_changes(lists),
        *_boundary_changes(old, new),
        *_SERVICES.changes(old.services, new.services, lists.renames),
        *_SUPERVISION.changes(old.supervision, new.supervision, lists.renames),
        *_POWERS.changes(old.powers, new.powers, lists.renames),
    ]
    keyed.sort(key=lambda kc: kc[0])
    return ListDiff([c for _, c in keyed])


# --- text ---------------------------------------------------------------------------------


class _Kept(dict[int, str | None]):
    """A ``str.translate`` table that learns, per character, whether ``normalise`` keeps it."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.category(chr(code))[0] in "PZC" else chr(code)
        self[code] = kept
        return kept


_KEPT = _Kept()


def normalise(text: str) -> str:
    """The form texts are compared in: NFKC, without punctuation, whitespace and controls."""
    return unicodedata.normalize("NFKC", text).translate(_KEPT)


def _same(a: Any, b: Any, renames: dict[str, str]) -> bool:
    """Equal as a reviewer sees it: texts normalised, lists (units, phones) as sets."""
    if isinstance(a, list):
        return {renames.get(normalise(v), normalise(v)) for v in a} == {normalise(v) for v in b}
    return normalise(a) == normalise(b)


def _short(text: str, limit: int = QUOTE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(values: Sequence[str]) -> str:
    return "、".join(values) or "（无）"


def _excerpts(a: str, b: str) -> tuple[str, str]:
    """Both texts quoted from shortly before where they first differ, so the change shows."""
    return _excerpt(a, b), _excerpt(b, a)


def _excerpt(text: str, other: str) -> str:
    text = " ".join(text.split())
    at = _first_difference(text, other)
    if at < QUOTE - CONTEXT // 2:
        return _short(text)
    return "…" + _short(text[at - CONTEXT // 2 :], QUOTE - 1)


def _first_difference(text: str, other: str) -> int:
    """Where in ``text`` its normalised form first departs from that of ``other``."""
    mine, theirs = normalise(text), normalise(other)
    at = next((k for k, (x, y) in enumerate(zip(mine, theirs, strict=False)) if x != y), len(theirs))
    seen = 0
    for index, char in enumerate(text):
        seen += len(normalise(char))
        if seen > at:
            return index
    return len(text)


# --- matching -----------------------------------------------------------------------------

Allowed = Callable[[int, int], bool] | None  # which old/new pairs may match; None: all
Affinity = Callable[[int, int], int] | None  # what two items share besides their text


def _match(old: Sequence[str], new: Sequence[str], affinity: Affinity = None) -> Pairs:
    """Pair normalised texts: equal ones, then the most similar; ``affinity`` breaks ties."""
    pairs: Pairs = {}
    _pair_equal(old, new, pairs, affinity=affinity)
    _pair_similar(old, new, pairs, affinity=affinity)
    return pairs


def _match_by(old: Sequence[Any], new: Sequence[Any], name: str, affinity: Affinity = None) -> Pairs:
    return _match(
        [normalise(getattr(x, name)) for x in old], [normalise(getattr(x, name)) for x in new], affinity
    )


def _overlap(old: list[frozenset[str]], new: list[frozenset[str]]) -> Affinity:
    """Affinity of two containers: how many of their children's normalised texts they share."""
    return lambda i, j: len(old[i] & new[j])


def _pair_equal(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    pairs: Pairs,
    allowed: Allowed = None,
    affinity: Affinity = None,
) -> None:
    """Equal keys among the items ``pairs`` does not hold yet. Where a key is written more than
    once, the pairs of highest affinity go first, then document order."""
    taken = set(pairs.values())
    groups: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, key in enumerate(old):
        if i not in pairs:
            groups[key][0].append(i)
    for j, key in enumerate(new):
        if j not in taken:
            groups[key][1].append(j)
    found: list[tuple[int, int, int]] = []
    for olds, news in groups.values():
        tie = affinity if len(olds) > 1 or len(news) > 1 else None
        found += [
            (-tie(i, j) if tie else 0, i, j) for i in olds for j in news if not allowed or allowed(i, j)
        ]
    _take_best(found, pairs)


def _pair_similar(
    old: Sequence[str], new: Sequence[str], pairs: Pairs, allowed: Allowed = None, affinity: Affinity = None
) -> None:
    """The most similar of the items left, best pair first."""
    taken = set(pairs.values())
    rest = sorted((len(old[i]), i) for i in range(len(old)) if i not in pairs and old[i])
    lengths = [n for n, _ in rest]
    chars = {i: frozenset(old[i]) for _, i in rest}
    found: list[tuple[float, int, int, int]] = []
    matcher: SequenceMatcher[str] = SequenceMatcher(autojunk=False)
    for j, text in enumerate(new):
        if j in taken or not text:
            continue
        matcher.set_seq2(text)  # SequenceMatcher caches what it learns about seq2
        mine = frozenset(text)
        for _, i in rest[_window(lengths, len(text))]:
            floor = _threshold(len(old[i]), len(text))
            if (allowed is None or allowed(i, j)) and _may_reach(old[i], chars[i], text, mine, floor):
                matcher.set_seq1(old[i])
                if score := _ratio(matcher, floor):
                    found.append((-score, -affinity(i, j) if affinity else 0, i, j))
    _take_best(found, pairs)


def _window(lengths: list[int], n: int) -> slice:
    """The texts whose length lets them reach LONG_RATIO with one of length ``n``."""
    shortest = bisect_left(lengths, n * LONG_RATIO / (2 - LONG_RATIO))
    return slice(shortest, bisect_right(lengths, n * (2 - LONG_RATIO) / LONG_RATIO))


def _may_reach(a: str, a_chars: frozenset[str], b: str, b_chars: frozenset[str], floor: float) -> bool:
    """Cheaper than quick_ratio and never below it: each distinct character of one text that the
    other lacks is at least one character that cannot match."""
    shared = len(a_chars & b_chars)
    matches = min(len(a) - len(a_chars) + shared, len(b) - len(b_chars) + shared)
    return 2 * matches >= floor * (len(a) + len(b))


def _threshold(a: int, b: int) -> float:
    return LONG_RATIO if max(a, b) >= LONG_TEXT else SHORT_RATIO


def _ratio(matcher: SequenceMatcher[str], floor: float) -> float:
    """The similarity when it reaches ``floor`` (cheap upper bounds first), else 0."""
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    score = matcher.ratio()
    return score if score >= floor else 0.0


def _take_best(found: list[Any], pairs: Pairs) -> None:
    """Greedy over candidates that sort best first and end in (old index, new index)."""
    taken = set(pairs.values())
    for *_, i, j in sorted(found):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)


def _inverse(pairs: Pairs) -> Pairs:
    return {j: i for i, j in pairs.items()}


def _after_previous(i: int, pairs: Pairs) -> int:
    """Where a removed item goes: after the new place of the nearest earlier matched item."""
    return next((pairs[p] for p in range(i - 1, -1, -1) if p in pairs), -1)


@dataclass(frozen=True)
class _Task:
    duty: int
    index: int
    record: TaskRecord

    @property
    def path(self) -> str:
        return f"duties[{self.duty}].tasks[{self.index}]"


@dataclass
class _Lists:
    """The two lists and how their units, duties and tasks (flattened) were matched."""

    old: ListRecord
    new: ListRecord
    old_tasks: list[_Task]
    new_tasks: list[_Task]
    units: Pairs
    duties: Pairs
    tasks: Pairs
    renames: dict[str, str] = field(default_factory=dict)  # normalised unit name, old -> new


def _flat_tasks(record: ListRecord) -> list[_Task]:
    return [_Task(d, k, t) for d, duty in enumerate(record.duties) for k, t in enumerate(duty.tasks)]


def _match_lists(old: ListRecord, new: ListRecord) -> _Lists:
    old_tasks, new_tasks = _flat_tasks(old), _flat_tasks(new)
    duties = _match_by(old.duties, new.duties, "text", _overlap(_task_texts(old), _task_texts(new)))
    homes = [duties.get(t.duty, -1) for t in old_tasks], [t.duty for t in new_tasks]
    tasks = _match(
        [normalise(t.record.text) for t in old_tasks],
        [normalise(t.record.text) for t in new_tasks],
        lambda i, j: homes[0][i] == homes[1][j],
    )
    units: Pairs = {}
    _pair_equal([normalise(u.name) for u in old.units], [normalise(u.name) for u in new.units], units)
    lists = _Lists(old, new, old_tasks, new_tasks, units, duties, tasks)
    _pair_duties_by_tasks(lists)
    _pair_renamed_units(lists)
    return lists


def _task_texts(record: ListRecord) -> list[frozenset[str]]:
    return [frozenset(normalise(t.text) for t in duty.tasks) for duty in record.duties]


def _share_texts(record: ListRecord) -> list[frozenset[str]]:
    return [frozenset(normalise(s.department + s.division) for s in b.shares) for b in record.boundaries]


def _pair_duties_by_tasks(lists: _Lists) -> None:
    shared = Counter((lists.old_tasks[i].duty, lists.new_tasks[j].duty) for i, j in lists.tasks.items())
    old_size = Counter(t.duty for t in lists.old_tasks)
    new_size = Counter(t.duty for t in lists.new_tasks)
    taken = set(lists.duties.values())
    found = [
        (-n, i, j)
        for (i, j), n in shared.items()
        if i not in lists.duties and j not in taken and n >= SHARED_TASKS * max(old_size[i], new_size[j])
    ]
    _take_best(found, lists.duties)


def _pair_renamed_units(lists: _Lists) -> None:
    old_use: dict[str, set[int]] = defaultdict(set)  # unit -> new indices of the tasks it had
    for i, j in lists.tasks.items():
        for name in lists.old_tasks[i].record.units:
            old_use[normalise(name)].add(j)
    new_use: dict[str, set[int]] = defaultdict(set)
    for j, task in enumerate(lists.new_tasks):
        for name in task.record.units:
            new_use[normalise(name)].add(j)
    gone = [i for i in range(len(lists.old.units)) if i not in lists.units]
    fresh = set(range(len(lists.new.units))) - set(lists.units.values())
    found = []
    for i in gone:
        was = old_use[normalise(lists.old.units[i].name)]
        for j in fresh:
            now = new_use[normalise(lists.new.units[j].name)]
            if was & now and len(was & now) >= SHARED_TASKS * len(was | now):
                found.append((-len(was & now), i, j))
    _take_best(found, lists.units)
    for i in gone:
        if i in lists.units:
            new_name = lists.new.units[lists.units[i]].name
            lists.renames[normalise(lists.old.units[i].name)] = normalise(new_name)


# --- building changes ---------------------------------------------------------------------


def _added(kind: str, section: str, summary: str, item: Any, path: str) -> Change:
    return Change(kind, section, summary, None, plain(item), new_path=path)


def _removed(kind: str, section: str, summary: str, item: Any, path: str) -> Change:
    return Change(kind, section, summary, plain(item), None, old_path=path)


def _values(item: Any, names: list[str]) -> dict[str, Any]:
    return {n: list(v) if isinstance(v := getattr(item, n), list) else v for n in names}


@dataclass(frozen=True)
class _Pair:
    """A matched item: both versions and their paths."""

    old: Any
    new: Any
    old_path: str
    new_path: str

    def change(self, kind: str, section: str, summary: str, names: list[str]) -> Change:
        before, after = _values(self.old, names), _values(self.new, names)
        return Change(kind, section, summary, before, after, self.old_path, self.new_path, names)

    def field_changes(
        self, kind: str, section: str, subject: str, labels: dict[str, str], renames: dict[str, str]
    ) -> Change | None:
        """One change naming every field of ``labels`` that differs, or None."""
        changed = [f for f in labels if not _same(getattr(self.old, f), getattr(self.new, f), renames)]
        if not changed:
            return None
        before, after = _values(self.old, changed), _values(self.new, changed)
        summary = subject + "，".join(_field_phrase(labels[f], before[f], after[f]) for f in changed)
        return Change(kind, section, summary, before, after, self.old_path, self.new_path, changed)


def _field_phrase(label: str, a: Any, b: Any) -> str:
    if isinstance(a, list):
        return f"{label}由「{_names(a)}」改为「{_names(b)}」"
    if len(a) <= QUOTE and len(b) <= QUOTE:
        return f"{label}由「{a or '（空）'}」改为「{b or '（空）'}」"
    return f"{label}已修改"


# --- units --------------------------------------------------------------------------------


def _unit_changes(lists: _Lists) -> Keyed:
    old, new = lists.old.units, lists.new.units
    back = _inverse(lists.units)
    for j, unit in enumerate(new):
        if j in back:
            pair = _Pair(old[back[j]], unit, f"units[{back[j]}]", f"units[{j}]")
            yield from (((0, j), c) for c in _unit_pair_changes(pair))
        else:
            summary = f"新增{unit.kind}「{unit.name}」"
            yield (0, j), _added("unit_added", "units", summary, unit, f"units[{j}]")
    for i, unit in enumerate(old):
        if i not in lists.units:
            change = _removed("unit_removed", "units", f"删除{unit.kind}「{unit.name}」", unit, f"units[{i}]")
            yield (0, _after_previous(i, lists.units), 1, i), change


def _unit_pair_changes(pair: _Pair) -> Iterator[Change]:
    """A rename, a phone change and a kind change are separate changes."""
    a: UnitRecord = pair.old
    b: UnitRecord = pair.new
    summaries = {
        "name": ("unit_renamed", f"{a.kind}「{a.name}」更名为「{b.name}」"),
        "phones": ("unit_phone_changed", f"{b.name}电话由 {_names(a.phones)} 改为 {_names(b.phones)}"),
        "kind": ("unit_kind_changed", f"{b.name}由{a.kind}改为{b.kind}"),
    }
    for name, (kind, summary) in summaries.items():
        if not _same(getattr(a, name), getattr(b, name), {}):
            yield pair.change(kind, "units", summary, [name])


# --- duties and tasks ---------------------------------------------------------------------


def _duty_label(duty: DutyRecord) -> str:
    return f"职责{duty.no}「{_short(duty.text, CONTEXT)}」"


def _duty_changes(lists: _Lists) -> Keyed:
    old, new = lists.old.duties, lists.new.duties
    back = _inverse(lists.duties)
    matched = set(lists.tasks.values())
    fresh = Counter(t.duty for j, t in enumerate(lists.new_tasks) if j not in matched)
    gone = Counter(t.duty for i, t in enumerate(lists.old_tasks) if i not in lists.tasks)
    for j, duty in enumerate(new):
        if j not in back:
            summary = f"新增职责「{_short(duty.text)}」" + (f"，含 {fresh[j]} 项新事项" if fresh[j] else "")
            yield (1, j), _added("duty_added", "duties", summary, duty, f"duties[{j}]")
        elif normalise(old[back[j]].text) != normalise(duty.text):
            was, now = _excerpts(old[back[j]].text, duty.text)
            pair = _Pair(old[back[j]], duty, f"duties[{back[j]}]", f"duties[{j}]")
            summary = f"职责{duty.no}「{was}」改写为「{now}」"
            yield (1, j), pair.change("duty_reworded", "duties", summary, ["text"])
    for i, duty in enumerate(old):
        if i not in lists.duties:
            summary = f"删除职责「{_short(duty.text)}」" + (f"，连同其下 {gone[i]} 项事项" if gone[i] else "")
            change = _removed("duty_removed", "duties", summary, duty, f"duties[{i}]")
            yield (1, _after_previous(i, lists.duties), 1, i), change


def _task_changes(lists: _Lists) -> Keyed:
    duties_back, back = _inverse(lists.duties), _inverse(lists.tasks)
    for j, task in enumerate(lists.new_tasks):
        key = (1, task.duty, 0, task.index)
        if j in back:
            change = _task_change(lists, lists.old_tasks[back[j]], task)
            if change:
                yield key, change
        elif task.duty in duties_back:
            yield key, _task_added(lists.new, task)
    for i, task in enumerate(lists.old_tasks):
        if i not in lists.tasks and task.duty in lists.duties:
            yield _removed_task_key(lists, i), _task_removed(lists.old, task)


def _task_added(record: ListRecord, task: _Task) -> Change:
    units = f"，由「{_names(task.record.units)}」承办" if task.record.units else ""
    summary = f"{_duty_label(record.duties[task.duty])}新增事项「{_short(task.record.text)}」{units}"
    return _added("task_added", "tasks", summary, task.record, task.path)


def _task_removed(record: ListRecord, task: _Task) -> Change:
    summary = f"删除{_duty_label(record.duties[task.duty])}下的事项「{_short(task.record.text)}」"
    return _removed("task_removed", "tasks", summary, task.record, task.path)


def _task_change(lists: _Lists, a: _Task, b: _Task) -> Change | None:
    """One change for everything that happened to a matched task, or None."""
    differs = {
        "duty": lists.duties.get(a.duty) != b.duty,
        "text": normalise(a.record.text) != normalise(b.record.text),
        "units": not _same(a.record.units, b.record.units, lists.renames),
        "note": normalise(a.record.note) != normalise(b.record.note),
    }
    changed = [name for name, yes in differs.items() if yes]
    if not changed:
        return None
    was, now = _excerpts(a.record.text, b.record.text)
    old_duty, new_duty = lists.old.duties[a.duty], lists.new.duties[b.duty]
    phrases = {
        "duty": f"从{_duty_label(old_duty)}移至{_duty_label(new_duty)}",
        "text": f"改写为「{now}」",
        "units": f"从「{_names(a.record.units)}」改为「{_names(b.record.units)}」承办",
        "note": _field_phrase("备注", a.record.note, b.record.note),
    }
    summary = f"事项「{was}」" + "，".join(phrases[name] for name in changed)
    before, after = _task_fields(old_duty, a.record, changed), _task_fields(new_duty, b.record, changed)
    return Change(_TASK_KINDS[changed[0]], "tasks", summary, before, after, a.path, b.path, changed)


def _task_fields(duty: DutyRecord, task: TaskRecord, names: list[str]) -> dict[str, Any]:
    values = {"duty": duty.text, **_values(task, ["text", "units", "note"])}
    return {n: values[n] for n in names}


def _removed_task_key(lists: _Lists, i: int) -> Key:
    """After the nearest earlier task of the same duty that stayed in it, else first."""
    task = lists.old_tasks[i]
    home = lists.duties[task.duty]
    for p in range(i - 1, -1, -1):
        if lists.old_tasks[p].duty != task.duty:
            break
        j = lists.tasks.get(p)
        if j is not None and lists.new_tasks[j].duty == home:
            return (1, home, 0, lists.new_tasks[j].index, 1, task.index)
    return (1, home, 0, -1, 1, task.index)


# --- boundaries ---------------------------------------------------------------------------


def _boundary_changes(old: ListRecord, new: ListRecord) -> Keyed:
    pairs = _match_by(
        old.boundaries, new.boundaries, "matter", _overlap(_share_texts(old), _share_texts(new))
    )
    back = _inverse(pairs)
    for j, matter in enumerate(new.boundaries):
        if j in back:
            yield from _boundary_pair_changes(old.boundaries[back[j]], matter, back[j], j)
        else:
            summary = f"新增职责边界事项「{_short(matter.matter)}」"
            yield (2, j), _added("boundary_added", "boundaries", summary, matter, f"boundaries[{j}]")
    for i, matter in enumerate(old.boundaries):
        if i not in pairs:
            summary = f"删除职责边界事项「{_short(matter.matter)}」"
            change = _removed("boundary_removed", "boundaries", summary, matter, f"boundaries[{i}]")
            yield (2, _after_previous(i, pairs), 1, i), change


def _boundary_pair_changes(a: BoundaryRecord, b: BoundaryRecord, i: int, j: int) -> Keyed:
    if normalise(a.matter) != normalise(b.matter):
        was, now = _excerpts(a.matter, b.matter)
        pair = _Pair(a, b, f"boundaries[{i}]", f"boundaries[{j}]")
        summary = f"职责边界事项「{was}」改写为「{now}」"
        yield (2, j), pair.change("boundary_reworded", "boundaries", summary, ["matter"])
    pairs = _match_by(a.shares, b.shares, "department")
    back = _inverse(pairs)
    where = f"职责边界「{_short(b.matter, CONTEXT)}」"
    for k, share in enumerate(b.shares):
        path = f"boundaries[{j}].shares[{k}]"
        if k not in back:
            summary = f"{where}新增{share.department}的分工"
            yield (2, j, 0, k), _added("share_added", "boundaries", summary, share, path)
            continue
        pair = _Pair(a.shares[back[k]], share, f"boundaries[{i}].shares[{back[k]}]", path)
        subject = f"{where}中{pair.old.department}的"
        changed = pair.field_changes("share_changed", "boundaries", subject, _SHARE_LABELS, {})
        if changed:
            yield (2, j, 0, k), changed
    for t, share in enumerate(a.shares):
        if t not in pairs:
            summary = f"{where}删除{share.department}的分工"
            removed = _removed("share_removed", "boundaries", summary, share, f"boundaries[{i}].shares[{t}]")
            yield (2, j, 0, _after_previous(t, pairs), 1, t), removed


# --- services, supervision, powers --------------------------------------------------------


def _match_powers(old: Sequence[PowerRecord], new: Sequence[PowerRecord]) -> Pairs:
    """By code when both have one, else by name (equal, then similar)."""
    old_codes, new_codes = [normalise(p.code) for p in old], [normalise(p.code) for p in new]
    pairs: Pairs = {}
    # an item without a code gets a key of its own, so that it matches no code
    _pair_equal(
        [c or ("old", i) for i, c in enumerate(old_codes)],
        [c or ("new", j) for j, c in enumerate(new_codes)],
        pairs,
    )

    def allowed(i: int, j: int) -> bool:
        return not (old_codes[i] and new_codes[j])

    old_names, new_names = [normalise(p.name) for p in old], [normalise(p.name) for p in new]
    _pair_equal(old_names, new_names, pairs, allowed)
    _pair_similar(old_names, new_names, pairs, allowed)
    return pairs


@dataclass(frozen=True)
class _Section:
    """A section of items compared field by field: services, supervision, powers."""

    name: str
    order: int  # in the document
    kind: str  # first word of its change kinds
    noun: str
    labels: dict[str, str]
    key: str  # the field that names an item
    match: Callable[[Sequence[Any], Sequence[Any]], Pairs] | None = None  # None: by ``key``

    def title(self, item: Any) -> str:
        code = getattr(item, "code", "")
        return f"「{_short(getattr(item, self.key))}」" + (f"（{code}）" if code else "")

    def changes(self, olds: Sequence[Any], news: Sequence[Any], renames: dict[str, str]) -> Keyed:
        pairs = self.match(olds, news) if self.match else _match_by(olds, news, self.key)
        back = _inverse(pairs)
        for j, item in enumerate(news):
            path = f"{self.name}[{j}]"
            if j not in back:
                summary = f"新增{self.noun}{self.title(item)}"
                yield (self.order, j), _added(f"{self.kind}_added", self.name, summary, item, path)
                continue
            pair = _Pair(olds[back[j]], item, f"{self.name}[{back[j]}]", path)
            subject = f"{self.noun}{self.title(pair.old)}"
            changed = pair.field_changes(f"{self.kind}_changed", self.name, subject, self.labels, renames)
            if changed:
                yield (self.order, j), changed
        for i, item in enumerate(olds):
            if i not in pairs:
                summary = f"删除{self.noun}{self.title(item)}"
                removed = _removed(f"{self.kind}_removed", self.name, summary, item, f"{self.name}[{i}]")
                yield (self.order, _after_previous(i, pairs), 1, i), removed


_SERVICES = _Section("services", 3, "service", "公共服务事项", _SERVICE_LABELS, "name")
_SUPERVISION = _Section("supervision", 4, "regime", "监管制度", _REGIME_LABELS, "matter")
_POWERS = _Section("powers", 5, "power", "权力事项", _POWER_LABELS, "name", _match_powers)
