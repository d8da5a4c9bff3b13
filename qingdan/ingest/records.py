"""Plain records of one department's list: the qingdan/1 exchange format as dataclasses.

Interpretation turns a ``RawDocument`` into a ``ListRecord``; the service layer stores one;
exports turn a stored version back into one. ``pos`` fields say where a record came from and
never leave the process.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from qingdan.ingest.raw import SourcePos

FORMAT = "qingdan/1"

UNIT_KINDS = ("内设机构", "事业单位")


@dataclass
class UnitRecord:
    name: str
    kind: str = "内设机构"
    phones: list[str] = field(default_factory=list)
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class TaskRecord:
    text: str
    units: list[str] = field(default_factory=list)
    note: str = ""
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class DutyRecord:
    no: str
    text: str
    tasks: list[TaskRecord] = field(default_factory=list)
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class ShareRecord:
    department: str
    division: str = ""
    basis: str = ""
    case: str = ""
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class BoundaryRecord:
    matter: str
    shares: list[ShareRecord] = field(default_factory=list)
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class ServiceRecord:
    name: str
    content: str = ""
    units: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class RegimeRecord:
    matter: str
    objects: str = ""
    content: str = ""
    methods: str = ""
    measures: str = ""
    procedure: str = ""
    handling: str = ""
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


REGIME_PARTS = ("objects", "content", "methods", "measures", "procedure", "handling")


@dataclass
class PowerRecord:
    name: str
    code: str = ""
    type: str = ""
    subitems: str = ""
    basis: str = ""
    subject: str = ""
    units: list[str] = field(default_factory=list)
    duties: str = ""
    accountability: str = ""
    phones: list[str] = field(default_factory=list)
    entrusted_to: str = ""  # 委托…行使: the body that exercises the power for ``subject``
    source_id: str = ""  # the platform's own id of the item
    extra: dict[str, str] = field(default_factory=dict)  # columns that map to no element, by header
    pos: SourcePos | None = field(default=None, compare=False, repr=False)


@dataclass
class ListRecord:
    department: str
    jurisdiction: str = ""
    version: int | None = None
    units: list[UnitRecord] = field(default_factory=list)
    duties: list[DutyRecord] = field(default_factory=list)
    boundaries: list[BoundaryRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    supervision: list[RegimeRecord] = field(default_factory=list)
    powers: list[PowerRecord] = field(default_factory=list)
    # the department the document itself names (its title, 部门名称, or the single 实施主体 of a
    # power list): provenance, not content — an import checks it against the department it goes to
    stated_department: str = field(default="", compare=False, repr=False)

    def is_empty(self) -> bool:
        return not (self.duties or self.boundaries or self.services or self.supervision or self.powers)

    def unit(self, name: str) -> UnitRecord | None:
        return next((u for u in self.units if u.name == name), None)

    def to_json(self) -> dict[str, Any]:
        """The qingdan/1 document, lists in document order."""
        return {"format": FORMAT, **plain(self)}

    def content_key(self) -> dict[str, Any]:
        """Everything that makes two versions the same list (not the version number)."""
        data = self.to_json()
        data.pop("version", None)
        for power in data["powers"]:  # lists stored before these elements existed hash the same
            for key in POWER_ADDITIONS:
                if not power[key]:
                    del power[key]
        return data


POWER_ADDITIONS = ("entrusted_to", "source_id", "extra")


def plain(item: Any) -> dict[str, Any]:
    """A record (of any kind) as a JSON-able dict, without source positions.

    Like ``dataclasses.asdict`` without its deep copies, which made hashing a list of thousands
    of items take half a second."""
    return _plain(item)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    names = _FIELDS.get(type(value))
    if names is None:
        return value
    return {name: _plain(getattr(value, name)) for name in names}


_PROVENANCE = ("pos", "stated_department")
_RECORDS = (UnitRecord, TaskRecord, DutyRecord, ShareRecord, BoundaryRecord, ServiceRecord, RegimeRecord)
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls) if f.name not in _PROVENANCE)
    for cls in (*_RECORDS, PowerRecord, ListRecord)
}


def _build(cls: type, data: dict[str, Any], pos: SourcePos) -> Any:
    names = {f.name for f in fields(cls)} - set(_PROVENANCE)
    kwargs = {k: v for k, v in data.items() if k in names}
    return cls(**kwargs, pos=pos)


def list_record_from_json(data: dict[str, Any], file: str) -> ListRecord:
    """Build a ListRecord from a qingdan/1 document (already checked by ``exchange_schema``)."""

    def p(path: str) -> SourcePos:
        return SourcePos(file=file, path=path)

    rec = ListRecord(
        department=data["department"],
        jurisdiction=data.get("jurisdiction") or "",
        version=data.get("version"),
    )
    rec.units = [_build(UnitRecord, u, p(f"units[{i}]")) for i, u in enumerate(data.get("units", []))]
    for i, d in enumerate(data.get("duties", [])):
        tasks = [
            _build(TaskRecord, t, p(f"duties[{i}].tasks[{j}]")) for j, t in enumerate(d.get("tasks", []))
        ]
        rec.duties.append(
            DutyRecord(no=str(d.get("no", "")), text=d["text"], tasks=tasks, pos=p(f"duties[{i}]"))
        )
    for i, b in enumerate(data.get("boundaries", [])):
        shares = [
            _build(ShareRecord, s, p(f"boundaries[{i}].shares[{j}]"))
            for j, s in enumerate(b.get("shares", []))
        ]
        rec.boundaries.append(BoundaryRecord(matter=b["matter"], shares=shares, pos=p(f"boundaries[{i}]")))
    rec.services = [
        _build(ServiceRecord, s, p(f"services[{i}]")) for i, s in enumerate(data.get("services", []))
    ]
    rec.supervision = [
        _build(RegimeRecord, s, p(f"supervision[{i}]")) for i, s in enumerate(data.get("supervision", []))
    ]
    rec.powers = [_build(PowerRecord, s, p(f"powers[{i}]")) for i, s in enumerate(data.get("powers", []))]
    return rec
