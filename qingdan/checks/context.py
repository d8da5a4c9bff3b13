"""What a check reads: one list (a ListRecord) and what is known about it outside the list."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from qingdan.catalog.citations import parse_citations
from qingdan.checks.base import Location
from qingdan.ingest.records import ListRecord

REGIME_FIELDS = (
    ("objects", "监督检查对象"),
    ("content", "监督检查内容"),
    ("methods", "监督检查方式"),
    ("measures", "监督检查措施"),
    ("procedure", "监督检查程序"),
    ("handling", "监督检查处理"),
)
SHARE_FIELDS = (("division", "职责分工"), ("basis", "相关依据"), ("case", "案例"))
POWER_FIELDS = (
    ("name", "事项名称"),
    ("subitems", "子项"),
    ("basis", "设定依据"),
    ("subject", "实施主体"),
    ("duties", "责任事项"),
    ("accountability", "追责情形"),
)


@dataclass(frozen=True)
class Passage:
    """One piece of the list's text and where it stands."""

    where: Location
    text: str


@dataclass(frozen=True)
class Citation:
    passage: Passage
    title: str
    article: str


@dataclass
class CheckContext:
    """One list to check.

    ``published`` is the day the version was published (None: unknown, and the checks that
    compare dates stay silent). ``other_jurisdictions`` names the other places in the registry,
    ``other_departments`` the other departments (by name and alias).
    """

    record: ListRecord
    published: date | None = None
    other_jurisdictions: tuple[str, ...] = ()
    # every other department's name and alias in the registry → the department (for people)
    other_departments: Mapping[str, str] = field(default_factory=dict)

    @property
    def department(self) -> str:
        return self.record.department

    @property
    def jurisdiction(self) -> str:
        return self.record.jurisdiction

    def passages(self) -> Iterator[Passage]:
        """Every text of the list, in document order. A cell that Word merged across the shares of
        a boundary matter (the same 职责分工 for every department) is read once."""
        record = self.record
        for k, unit in enumerate(record.units):
            yield Passage(Location.unit(k, unit.name), unit.name)
        for i, duty in enumerate(record.duties):
            yield Passage(Location.duty(i), duty.text)
            for j, task in enumerate(duty.tasks):
                yield Passage(Location.task(i, j), task.text)
                yield Passage(Location.task(i, j).field("备注"), task.note)
        for i, boundary in enumerate(record.boundaries):
            yield Passage(Location.boundary(i).field("管理事项"), boundary.matter)
            seen: set[tuple[str, str]] = set()
            for j, share in enumerate(boundary.shares):
                yield Passage(Location.share(i, j).field("相关部门"), share.department)
                for name, label in SHARE_FIELDS:
                    text = getattr(share, name)
                    if (name, text) not in seen:
                        seen.add((name, text))
                        yield Passage(Location.share(i, j).field(label), text)
        for i, service in enumerate(record.services):
            yield Passage(Location.service(i).field("服务事项"), service.name)
            yield Passage(Location.service(i).field("主要内容"), service.content)
        for i, regime in enumerate(record.supervision):
            yield Passage(Location.regime(i).field("事项"), regime.matter)
            for name, label in REGIME_FIELDS:
                yield Passage(Location.regime(i).field(label), getattr(regime, name))
        for i, power in enumerate(record.powers):
            for name, label in POWER_FIELDS:
                yield Passage(Location.power(i).field(label), getattr(power, name))

    def texts(self) -> Iterator[Passage]:
        """``passages`` without the empty ones."""
        return (p for p in self.passages() if p.text.strip())

    def citations(self) -> Iterator[Citation]:
        """Every 《title》 the list cites, wherever it stands, with its article when given."""
        for passage in self.texts():
            if "《" in passage.text:
                for title, article in parse_citations(passage.text):
                    yield Citation(passage, title, article)
