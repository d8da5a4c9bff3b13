"""Whose power is it: the 实施主体 of a city's or county's power-list export, as offices write it.

One provincial export holds every department's 权责事项. Each row's 实施主体 is written the way
the office wrote it — 西安市市场监督管理局, 市公安局 (the city's bureau without the city's name),
西安市农业农村局（市乡村振兴局） (a second name), 委托西安市农业农村局行使 (an entrusted power),
市级 or nothing at all. This module turns those into one canonical department name per row
within the jurisdiction, and groups the rows into one ListRecord per department. Rows it cannot
attribute unambiguously are named by position, never guessed.

It reads no database: the caller passes the registry's names and aliases as a ``directory``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qingdan.ingest.problems import Problem
from qingdan.ingest.raw import SourcePos
from qingdan.ingest.records import ListRecord, PowerRecord
from qingdan.ingest.units import NOT_PLACES, clean, jurisdiction_of, split_names
from qingdan.ingest.validate import LIMITS

DEPARTMENT_ENDINGS = (
    "局",
    "委",
    "办",
    "厅",
    "院",
    "会",
    "部",
    "署",
    "中心",
    "室",
    "所",
    "站",
    "队",
    "政府",
    "处",
)
# a subject that names a level of government, not a department: attributed from other fields
LEVEL_ONLY = re.compile(
    r"^(?:[\u4e00-\u9fa5]{0,8}?)?(?:省|市|县|区|州|旗|乡|镇|街道)?(?:本级|级|直|直部门|直各部门)$"
)
_ENTRUSTED = re.compile(
    r"^(?P<owner>.*?)[，,；;（(\s]*(?:依法)?委托(?P<to>.+?)(?:具体)?(?:行使|实施|办理|承办)[）)]?$"
)
_SECOND_NAME = re.compile(r"^(?P<main>.+?)[（(](?P<second>[^（）()]+)[）)]$")

# how a row's department was found, for the dry run's breakdown
WRITTEN, ALIAS, UNITS, CODE, MAPPING, FALLBACK = (
    "写明",
    "别名",
    "承办机构",
    "事项编码",
    "对照表",
    "--department",
)


@dataclass(frozen=True)
class Subject:
    """One 实施主体 cell read: the owner as written (may be empty), its second name, the
    entrusted body, and whether it names only a level (市级) or nothing."""

    owner: str
    second: str = ""
    entrusted_to: str = ""
    joint: bool = False  # several departments in one cell: which list it belongs to is a decision

    @property
    def undetermined(self) -> bool:
        return self.joint or not self.owner or bool(LEVEL_ONLY.match(self.owner))


def read_subject(text: str) -> Subject:
    """「西安市农业农村局（市乡村振兴局）」 → owner + second name; 「委托X行使」 → entrusted to X."""
    text = re.sub(r"\s+", "", clean(text))
    entrusted = ""
    # the bound (实施主体's column limit; longer is refused by validate) keeps the pattern's
    # adjacent lazy and repeated parts from going quadratic on a hostile cell
    match = _ENTRUSTED.match(text) if len(text) <= LIMITS["subject"][1] else None
    if match:
        text, entrusted = match.group("owner"), match.group("to")
    names = split_names(text)
    if len(names) > 1:
        return Subject(text, entrusted_to=entrusted, joint=True)
    owner, second = (names or [""])[0], ""
    parts = _SECOND_NAME.match(owner)
    if parts and parts.group("second").endswith(DEPARTMENT_ENDINGS):
        owner, second = parts.group("main"), parts.group("second")
    return Subject(owner, second, entrusted)


def qualify(name: str, jurisdiction: str) -> str:
    """The name with its jurisdiction: 市公安局 in 西安市 → 西安市公安局; 公安局 → 西安市公安局."""
    name = re.sub(r"\s+", "", name)
    if not name or not jurisdiction or name.startswith(jurisdiction):
        return name
    level = jurisdiction[-1]
    if name.startswith(level) and not name.startswith(NOT_PLACES):  # 市公安局, 市委宣传部, not 市场…
        return jurisdiction[:-1] + name
    return name if jurisdiction_of(name) else jurisdiction + name


@dataclass
class Breakdown:
    """A multi-department export split into one ListRecord per department."""

    jurisdiction: str
    records: dict[str, ListRecord] = field(default_factory=dict)  # canonical name → its list
    aliases: dict[str, str] = field(default_factory=dict)  # alias → canonical, to remember
    applied: Counter[tuple[str, str]] = field(default_factory=Counter)  # (as written, canonical)
    how: Counter[str] = field(default_factory=Counter)  # rows per way of attribution
    undecided: list[Problem] = field(default_factory=list)
    entrusted: int = 0
    known: set[str] = field(default_factory=set)  # departments already in the registry

    def as_json(self) -> dict[str, object]:
        """The dry run's breakdown for the API and the web: who gets how many powers, the names
        merged, the aliases to remember and the rows still to decide."""
        return {
            "jurisdiction": self.jurisdiction,
            "departments": [
                {"name": n, "powers": len(r.powers), "new": n not in self.known}
                for n, r in self.records.items()
            ],
            "attributed_by": dict(self.how),
            "entrusted": self.entrusted,
            "names_merged": [
                {"written": w, "department": c, "rows": n} for (w, c), n in self.applied.items()
            ],
            "aliases": self.aliases,
            "undecided": [{"row": p.pos.row, "message": str(p)} for p in self.undecided],
        }


def file_jurisdiction(powers: list[PowerRecord], given: str = "") -> str:
    """The jurisdiction the export belongs to: ``given``, else the commonest place named."""
    if given:
        return given
    places = Counter(p for p in (jurisdiction_of(read_subject(x.subject).owner) for x in powers) if p)
    return places.most_common(1)[0][0] if places else ""


def split_by_department(
    record: ListRecord,
    directory: Mapping[str, str],
    fallback: str = "",
    mapping: Mapping[str, str] | None = None,
) -> Breakdown:
    """Group ``record.powers`` by department. ``directory`` maps every known name and alias in
    the jurisdiction to its department's name; ``mapping`` maps a row number or a subject as
    written to a department (a mapping file); ``fallback`` takes the rows left undetermined."""
    place = record.jurisdiction
    result = Breakdown(place, known=set(directory.values()))
    resolver = _Resolver(place, dict(directory), result)
    subjects = [read_subject(p.subject) for p in record.powers]
    resolver.know_standalone(subjects)
    rows: list[tuple[PowerRecord, Subject, str]] = []
    for power, subject in zip(record.powers, subjects, strict=True):
        power.entrusted_to = power.entrusted_to or subject.entrusted_to
        result.entrusted += bool(power.entrusted_to)
        rows.append(
            (power, subject, "" if subject.undetermined else resolver.resolve(subject, power.subject))
        )
    codes = _CodeIndex((p.code, d) for p, _, d in rows if d and p.code)
    mapping = {k.strip(): v for k, v in (mapping or {}).items()}
    for power, subject, department in rows:
        how = WRITTEN if department else ""
        if not department:
            department, how = _attribute(power, subject, mapping, resolver, codes, fallback)
        if not department:
            result.undecided.append(_undecided(power, subject))
            continue
        result.how[how] += 1
        _records_for(result, department).powers.append(power)
    return result


def _attribute(
    power: PowerRecord,
    subject: Subject,
    mapping: Mapping[str, str],
    resolver: _Resolver,
    codes: _CodeIndex,
    fallback: str,
) -> tuple[str, str]:
    row = str(power.pos.row) if power.pos and power.pos.row else ""
    mapped = mapping.get(row) or mapping.get(power.subject.strip())
    if mapped:
        return resolver.resolve(read_subject(mapped), mapped), MAPPING
    by_units = {resolver.known_prefix(u) for u in power.units} - {""}
    if len(by_units) == 1:
        return by_units.pop(), UNITS
    by_code = codes.owner(power.code)
    if by_code:
        return by_code, CODE
    if fallback:
        return resolver.resolve(read_subject(fallback), fallback), FALLBACK
    return "", ""


def _undecided(power: PowerRecord, subject: Subject) -> Problem:
    written = power.subject.strip()
    what = (
        f"实施主体「{written}」写了多个部门"
        if subject.joint
        else f"实施主体「{written}」只写了层级"
        if written
        else "实施主体为空"
    )
    return Problem(
        power.pos or SourcePos(""),
        f"{what}，从承办机构和事项编码也无法确定属于哪个部门（事项「{power.name[:30]}」）",
        "实施主体",
        "请用 --department 指定这些行所属的部门，或用 --mapping 提供「行号或实施主体,部门」对照表",
    )


def _records_for(result: Breakdown, department: str) -> ListRecord:
    if department not in result.records:
        place = jurisdiction_of(department) or result.jurisdiction
        result.records[department] = ListRecord(department=department, jurisdiction=place)
        result.records[department].stated_department = department
    return result.records[department]


class _Resolver:
    """Canonical department names within one jurisdiction, learning aliases as it goes."""

    def __init__(self, jurisdiction: str, directory: dict[str, str], result: Breakdown) -> None:
        self.jurisdiction = jurisdiction
        self.names = directory  # any known name or alias → canonical
        self.result = result

    def resolve(self, subject: Subject, written: str) -> str:
        main = qualify(subject.owner, self.jurisdiction)
        second = qualify(subject.second, self.jurisdiction)
        canonical = self.names.get(main) or self.names.get(subject.owner) or main
        if subject.second:
            self._alias(second, canonical)
            self._alias(f"{main}（{subject.second}）", canonical)
        self._alias(subject.owner, canonical)
        self._alias(main, canonical)
        self.names.setdefault(canonical, canonical)
        if canonical != written.strip():
            self.result.applied[(written.strip(), canonical)] += 1
        return canonical

    def know_standalone(self, subjects: list[Subject]) -> None:
        """A name the file writes on its own is a department of its own, wherever it stands: a
        second name in brackets elsewhere (西安市农业农村局（市乡村振兴局）) does not swallow it."""
        for subject in subjects:
            if not subject.undetermined:
                name = qualify(subject.owner, self.jurisdiction)
                self.names.setdefault(name, name)

    def _alias(self, name: str, canonical: str) -> None:
        if not name or name == canonical or self.names.get(name, canonical) != canonical:
            return
        self.names[name] = canonical
        if name.startswith(self.jurisdiction):
            self.result.aliases[name] = canonical  # only full names are worth remembering

    def known_prefix(self, unit: str) -> str:
        """The department a 承办机构 such as 市公安局治安支队 belongs to, when exactly one fits."""
        unit = qualify(re.sub(r"\s+", "", unit), self.jurisdiction)
        fits = {
            c for n, c in self.names.items() if len(n) > len(self.jurisdiction) + 1 and unit.startswith(n)
        }
        return fits.pop() if len(fits) == 1 else ""


class _CodeIndex:
    """事项编码 prefixes that belong to one department only, learned from attributed rows."""

    MIN_PREFIX = 4

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.owners: dict[str, set[str]] = defaultdict(set)
        self.counts: Counter[str] = Counter()
        for code, department in pairs:
            for end in range(self.MIN_PREFIX, len(code) + 1):
                self.owners[code[:end]].add(department)
                self.counts[code[:end]] += 1

    def owner(self, code: str) -> str:
        """The one department whose codes share the longest prefix with ``code`` (at least two
        of its rows, and no other department's), else ''."""
        code = code.strip()
        for end in range(len(code), self.MIN_PREFIX - 1, -1):
            owners = self.owners.get(code[:end])
            if not owners:
                continue
            if len(owners) > 1:
                return ""
            if self.counts[code[:end]] >= 2:  # one row alone is no prefix yet: look shorter
                return next(iter(owners))
        return ""


def read_mapping(name: str, data: bytes) -> dict[str, str]:
    """A mapping file: rows of 「行号或实施主体（按文件原样）, 部门」 (CSV or TSV; a header row
    naming 部门 is skipped). Raises IngestError naming the row of any malformed line."""
    import csv
    import io

    from qingdan.ingest.problems import IngestError
    from qingdan.ingest.readers.encoding import decode
    from qingdan.ingest.readers.tabular import sniff_delimiter

    text = decode(name, data)
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    for line, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (line == 1 and len(cells) > 1 and "部门" in cells[1]):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            problems.append(
                Problem(
                    SourcePos(name, row=line),
                    "应有两列：行号或实施主体，和所属部门",
                    hint="例如：20,西安市公安局",
                )
            )
            continue
        mapping[cells[0]] = cells[1]
    if problems:
        raise IngestError(problems)
    return mapping
