"""Which published version is current, and where an item of an older version lives in it.

"Current" is a department's newest *published* version: drafts and versions under review are
not public, so they never supersede anything. An item is found again in the current version by
what a reader would call "the same item": the same kind with the same text once spacing and
full-width forms are ignored, or for a power the same 事项编码 (else the platform's id, else
the same 事项类型 and 事项名称).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from qingdan.catalog.models import ListVersion, Task
from qingdan.core.models import Department


def current_version(department: Department) -> ListVersion | None:
    """The department's newest published version, or None."""
    return department.versions.published().order_by("-number").first()


def normalised(text: str) -> str:
    """Text without its spacing, full-width forms folded: what two copies of one item share."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass(frozen=True)
class _Kind:
    items: Callable[[ListVersion], QuerySet[Any]]
    key: Callable[[Any], Hashable]
    narrow: Callable[[QuerySet[Any], Any], QuerySet[Any]] = lambda qs, item: qs


def _power_key(p: Any) -> Hashable:
    if p.code.strip():
        return ("code", p.code.strip())
    if p.source_id.strip():
        return ("id", p.source_id.strip())
    return ("name", normalised(p.type), normalised(p.name))


def _narrow_power(qs: QuerySet[Any], p: Any) -> QuerySet[Any]:
    # a city list has thousands of powers: let the database pick the few candidates
    if p.code.strip():
        return qs.filter(code__contains=p.code.strip())
    if p.source_id.strip():
        return qs.filter(source_id__contains=p.source_id.strip())
    return qs


_KINDS: dict[str, _Kind] = {
    "duty": _Kind(lambda v: v.duties.all(), lambda d: normalised(d.text)),
    "task": _Kind(
        lambda v: (
            Task.objects.filter(duty__version=v).select_related("duty").order_by("duty__position", "position")
        ),
        lambda t: normalised(t.text),
    ),
    "boundary": _Kind(lambda v: v.boundaries.all(), lambda b: normalised(b.matter)),
    "service": _Kind(lambda v: v.services.all(), lambda s: normalised(s.name)),
    "regime": _Kind(lambda v: v.supervision.all(), lambda r: normalised(r.matter)),
    "power": _Kind(lambda v: v.powers.all(), _power_key, _narrow_power),
}


def counterpart(old: ListVersion, kind: str, pk: int, new: ListVersion) -> int | None:
    """The primary key of the item of ``new`` that is the same as item ``pk`` of ``old``, or None.

    Of several equal tasks, the one under the same 主要职责 wins."""
    spec = _KINDS.get(kind)
    item = spec.items(old).filter(pk=pk).first() if spec else None
    if spec is None or item is None:
        return None
    wanted = spec.key(item)
    matches: list[Model] = [c for c in spec.narrow(spec.items(new), item) if spec.key(c) == wanted]
    if kind == "task" and len(matches) > 1:
        duty = normalised(item.duty.text)
        matches.sort(key=lambda t: normalised(t.duty.text) != duty)  # type: ignore[attr-defined]
    return matches[0].pk if matches else None
