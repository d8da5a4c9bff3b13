"""A department's lineage (机构沿革) in Chinese: what became of it, and where it came from.

The portal, the API and the CLI all describe a department through ``lineage_of`` (one
department) or ``abolished_notes`` (many at once), so the wording is the same everywhere:

- merged into another body: 已撤销（并入 X，2019-03-01）
- split between several bodies: 已撤销（职责划入 X、Y，2019-03-01）
- renamed: 已更名为 X（2019-03-01）

and on the successor: 由 A、B 合并组建（…） / A 并入本部门（…） / 由 A 分设（…） / 由 A 更名（…).

A sentence is a list of ``Part``s, each some text and, for a department's name, the department,
so a page can link the names while the CLI and the API join the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qingdan.core.models import Department, Succession

MERGE, SPLIT, RENAME = "merge", "split", "rename"


@dataclass(frozen=True)
class Part:
    text: str
    department: Department | None = None


Sentence = list[Part]


def text_of(sentence: Sentence) -> str:
    return "".join(p.text for p in sentence)


def _names(departments: Iterable[Department]) -> Sentence:
    parts: Sentence = []
    for i, dept in enumerate(departments):
        if i:
            parts.append(Part("、"))
        parts.append(Part(dept.name, dept))
    return parts


@dataclass
class Fate:
    """What became of an abolished department."""

    how: str  # MERGE, SPLIT or RENAME
    on: date
    successors: list[Department]

    def sentence(self) -> Sentence:
        day = self.on.isoformat()
        if self.how == RENAME:
            return [Part("已更名为 "), *_names(self.successors), Part(f"（{day}）")]
        verb = "职责划入 " if self.how == SPLIT else "并入 "
        return [Part("已撤销（" + verb), *_names(self.successors), Part(f"，{day}）")]

    def as_json(self) -> dict[str, Any]:
        return {
            "how": self.how,
            "on": self.on.isoformat(),
            "successors": [{"id": d.pk, "name": d.name} for d in self.successors],
            "text": text_of(self.sentence()),
        }


@dataclass
class Origin:
    """One way a department came to be: a merge on a date, a split from, or a rename of."""

    how: str
    on: date
    predecessors: list[Department]

    def sentence(self) -> Sentence:
        day = f"（{self.on.isoformat()}）"
        if self.how == RENAME:
            return [Part("由 "), *_names(self.predecessors), Part(" 更名" + day)]
        if self.how == SPLIT:
            return [Part("由 "), *_names(self.predecessors), Part(" 分设" + day)]
        if len(self.predecessors) == 1:
            return [*_names(self.predecessors), Part(" 并入本部门" + day)]
        return [Part("由 "), *_names(self.predecessors), Part(" 合并组建" + day)]

    def as_json(self) -> dict[str, Any]:
        return {
            "how": self.how,
            "on": self.on.isoformat(),
            "predecessors": [{"id": d.pk, "name": d.name} for d in self.predecessors],
            "text": text_of(self.sentence()),
        }


@dataclass
class Lineage:
    department: Department
    fate: Fate | None = None  # None: the department is current
    origins: list[Origin] = field(default_factory=list)

    @property
    def abolished(self) -> bool:
        return self.fate is not None

    @property
    def status(self) -> str:
        """「已撤销（并入 X，2019-03-01）」, or "" for a current department."""
        return text_of(self.fate.sentence()) if self.fate else ""

    def origin_texts(self) -> list[str]:
        return [text_of(o.sentence()) for o in self.origins]

    def as_json(self) -> dict[str, Any]:
        return {
            "abolished": self.fate.as_json() if self.fate else None,
            "origins": [o.as_json() for o in self.origins],
        }


def _fate(rows: list[Succession]) -> Fate:
    """The fate told by all the rows that name one department as the predecessor."""
    rows = sorted(rows, key=lambda r: (r.date, r.successor.name))
    how = RENAME if any(r.rename for r in rows) else SPLIT if len(rows) > 1 else MERGE
    return Fate(how, rows[0].date, [r.successor for r in rows])


def abolished_notes(department_ids: Iterable[int]) -> dict[int, str]:
    """{department id: 「已撤销（…）」} for those of these departments that are abolished."""
    by_predecessor: dict[int, list[Succession]] = defaultdict(list)
    for row in Succession.objects.filter(predecessor_id__in=list(department_ids)).select_related("successor"):
        by_predecessor[row.predecessor_id].append(row)
    return {pk: text_of(_fate(rows).sentence()) for pk, rows in by_predecessor.items()}


def lineage_of(department: Department) -> Lineage:
    """What became of ``department`` and where it came from, with dates."""
    rows = Succession.objects.select_related("successor", "predecessor")
    fate_rows = list(rows.filter(predecessor=department))
    origin_rows = list(rows.filter(successor=department).order_by("predecessor__name"))
    split_from = set(
        Succession.objects.filter(predecessor__in=[r.predecessor_id for r in origin_rows])
        .exclude(successor=department)
        .values_list("predecessor_id", flat=True)
    )
    origins: dict[tuple[str, date], list[Department]] = defaultdict(list)
    for row in origin_rows:
        how = RENAME if row.rename else SPLIT if row.predecessor_id in split_from else MERGE
        origins[(how, row.date)].append(row.predecessor)
    return Lineage(
        department,
        _fate(fate_rows) if fate_rows else None,
        [Origin(how, on, preds) for (how, on), preds in sorted(origins.items(), key=lambda kv: kv[0][1])],
    )
