"""Overlaps and gaps across the departments of one jurisdiction (issue #5, check 6).

Works on plain rows — (department, jurisdiction, text, where) — so it runs on a county read from
the registry or on a province generated in memory. Similarity is TF-IDF over character 2–3-grams
with cosine similarity. Candidate pairs come from prefix filtering (AllPairs): each text indexes
only its rarest grams, those whose weight could still reach the threshold, and every text probes
that index with all its grams. This finds every pair above the threshold without comparing all
pairs, because two texts that share none of one's prefix grams cannot reach it.

Two findings:

* ``overlap.unbounded`` — two departments with near-identical duties or tasks, and no 职责边界
  entry in any list of the jurisdiction that names both departments for this matter;
* ``overlap.boundary-unmatched`` — a 职责边界 entry names a department whose own list (when it is in
  the registry) never mentions the matter.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from qingdan.checks.base import INFO, WARNING, FindingRecord, Location
from qingdan.checks.departments import refers_to
from qingdan.checks.places import segments
from qingdan.ingest.records import ListRecord

OVERLAP_THRESHOLD = 0.5
# A boundary entry (its 管理事项 and 职责分工) is about a pair when it is this similar to either text.
COVER_THRESHOLD = 0.25
MENTION_THRESHOLD = 0.5
MIN_CHARS = 6

_NOT_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
# 全县/全区/县级/区级 differ between jurisdictions without changing what a duty is.
_LEVEL_WORDS = re.compile(r"[全本][省市县区旗]|[省市县区旗]级|[省市县区]委|[省市县区]政府")
_CATCH_ALL = re.compile(r"^完成.{0,12}交办的其他")

Vector = dict[int, float]


class Row(NamedTuple):
    """One text of one department's list; ``label`` and ``path`` say where it stands."""

    department: str
    jurisdiction: str
    text: str
    label: str = ""
    path: str = ""


def normalise(text: str) -> str:
    """The words that carry meaning: no punctuation, spaces or level words (全县, 区级); short
    forms spelt out from the search synonyms (民爆 → 民用爆炸物品)."""
    text = _LEVEL_WORDS.sub("", _NOT_TEXT.sub("", text))
    short, full = _short_forms()
    return short.sub(lambda m: full[m.group()], text) if full else text


@cache
def _short_forms() -> tuple[re.Pattern[str], dict[str, str]]:
    # Only a short form that is not part of its full form: 小企业 → 中小企业 would double 中.
    full = {
        k: v[0]
        for k, v in _synonyms().items()
        if len(k) >= 2 and v and len(v[0]) > len(k) and k not in v[0] and not k.endswith(("局", "委"))
    }
    return re.compile("|".join(sorted(map(re.escape, full), key=len, reverse=True)) or "^$"), full


def grams(text: str) -> list[str]:
    """Character 2- and 3-grams of the normalised text."""
    s = normalise(text)
    return [s[i : i + 2] for i in range(len(s) - 1)] + [s[i : i + 3] for i in range(len(s) - 2)]


class TfIdf:
    """TF-IDF vectors (sublinear tf, smoothed idf, unit length) over one corpus of texts."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.vocabulary: dict[str, int] = {}
        counts = [self._count(t, grow=True) for t in texts]
        self.df: list[int] = [0] * len(self.vocabulary)
        for counted in counts:
            for g in counted:
                self.df[g] += 1
        n = len(counts)
        self.idf = [math.log((n + 1) / (d + 1)) + 1 for d in self.df]
        self.vectors = [self._weigh(c) for c in counts]

    def _count(self, text: str, grow: bool) -> Counter[int]:
        ids: Counter[int] = Counter()
        for g in grams(text):
            gid = self.vocabulary.get(g)
            if gid is None and grow:
                gid = self.vocabulary[g] = len(self.vocabulary)
            if gid is not None:
                ids[gid] += 1
        return ids

    def _weigh(self, counted: Counter[int]) -> Vector:
        weights = {g: (1 + math.log(c)) * self.idf[g] for g, c in counted.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def vector(self, text: str) -> Vector:
        """A text outside the corpus, weighed with the corpus' idf (unknown grams dropped)."""
        return self._weigh(self._count(text, grow=False))


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def containment(part: Vector, whole: Vector) -> float:
    """How much of ``part``'s weight is in ``whole`` (1.0: every gram of part occurs there)."""
    total = sum(w * w for w in part.values())
    return sum(w * w for g, w in part.items() if g in whole) / total if total else 0.0


def similar_pairs(
    vectors: list[Vector], df: list[int], groups: list[str], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """Every pair (i < j) of vectors in different ``groups`` with cosine ≥ ``threshold``.

    Prefix filtering: a vector indexes its rarest grams until the rest weighs less than the
    threshold; the pairs it misses cannot reach it (Cauchy–Schwarz on the rest)."""
    index: dict[int, list[int]] = defaultdict(list)
    for j, vec in enumerate(vectors):
        candidates: set[int] = set()
        for g in vec:
            postings = index.get(g)
            if postings:
                candidates.update(postings)
        group = groups[j]
        for i in candidates:
            if groups[i] != group:
                score = cosine(vectors[i], vec)
                if score >= threshold:
                    yield i, j, score
        for g in _prefix(vec, df, threshold):
            index[g].append(j)


def _prefix(vec: Vector, df: list[int], threshold: float) -> list[int]:
    ordered = sorted(vec, key=lambda g: (df[g], g))
    rest = sum(w * w for w in vec.values())
    limit = threshold * threshold
    prefix = []
    for g in ordered:
        if rest < limit:
            break
        prefix.append(g)
        rest -= vec[g] * vec[g]
    return prefix


def brute_force_pairs(
    vectors: list[Vector], groups: list[str], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """The same pairs as ``similar_pairs``, by comparing every pair: the baseline."""
    for j, vec in enumerate(vectors):
        for i in range(j):
            if groups[i] != groups[j]:
                score = cosine(vectors[i], vec)
                if score >= threshold:
                    yield i, j, score


@dataclass(frozen=True)
class Overlap:
    """Two departments' texts that say nearly the same thing."""

    a: Row
    b: Row
    similarity: float


def find_overlaps(rows: Iterable[Row], threshold: float = OVERLAP_THRESHOLD) -> list[Overlap]:
    """Near-identical texts of two different departments of the same jurisdiction."""
    by_place: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if _claims(row.text):
            by_place[row.jurisdiction].append(row)
    found: list[Overlap] = []
    for place_rows in by_place.values():
        found.extend(overlaps_in(place_rows, threshold))
    return found


def _claims(text: str) -> bool:
    """Long enough to compare, and not the catch-all 「完成…交办的其他任务」."""
    return len(normalise(text)) >= MIN_CHARS and not _CATCH_ALL.match(text.strip())


def overlaps_in(rows: list[Row], threshold: float = OVERLAP_THRESHOLD) -> list[Overlap]:
    """``find_overlaps`` for the rows of one jurisdiction."""
    model = TfIdf(r.text for r in rows)
    pairs = similar_pairs(model.vectors, model.df, [r.department for r in rows], threshold)
    return [_ordered(rows[i], rows[j], s) for i, j, s in pairs]


def _ordered(a: Row, b: Row, similarity: float) -> Overlap:
    return Overlap(a, b, similarity) if a.department <= b.department else Overlap(b, a, similarity)


# -- the lists of a jurisdiction ------------------------------------------------------------------


def rows_of(record: ListRecord) -> list[Row]:
    """The texts of a list that claim work: 主要职责, 具体工作事项, 公共服务事项 and 权力事项."""
    dept, place = record.department, record.jurisdiction
    rows = []
    for i, duty in enumerate(record.duties):
        rows.append(Row(dept, place, duty.text, *_where(Location.duty(i))))
        for j, task in enumerate(duty.tasks):
            rows.append(Row(dept, place, task.text, *_where(Location.task(i, j))))
    for i, service in enumerate(record.services):
        rows.append(Row(dept, place, service.name, *_where(Location.service(i))))
    for i, power in enumerate(record.powers):
        rows.append(Row(dept, place, power.name, *_where(Location.power(i))))
    return rows


def _where(location: Location) -> tuple[str, str]:
    return location.label, location.path


@cache
def _synonyms() -> dict[str, list[str]]:
    path = Path(__file__).resolve().parent.parent / "search" / "synonyms.json"
    data: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def name_variants(name: str, jurisdiction: str) -> list[str]:
    """区科工局 → [区科工局, 科工局, 科学技术和工业信息化局]: the short form and its full names."""
    bare = name.strip()
    for place in sorted({jurisdiction, *segments(jurisdiction)} - {""}, key=len, reverse=True):
        if bare.startswith(place):
            bare = bare[len(place) :]
            break
    bare = re.sub(r"^[省市县区旗](?=.{2,})", "", bare)
    return [name, bare, *_synonyms().get(bare, [])]


def resolve(name: str, jurisdiction: str, departments: Iterable[str]) -> list[str]:
    """The registry departments of ``jurisdiction`` a 相关部门 cell names (区科工局, 工信局)."""
    variants = name_variants(name, jurisdiction)
    return [d for d in departments if any(refers_to(v, d, jurisdiction) for v in variants if v)]


@dataclass(frozen=True)
class BoundaryEntry:
    """A 职责边界 管理事项 of one list, with the registry departments its shares name."""

    owner: str
    index: int
    matter: str
    text: str
    shares: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def departments(self) -> set[str]:
        return {d for _, named in self.shares for d in named}


def boundary_entries(records: list[ListRecord]) -> list[BoundaryEntry]:
    departments = [r.department for r in records]
    entries = []
    for record in records:
        for i, b in enumerate(record.boundaries):
            shares = tuple(
                (s.department, tuple(resolve(s.department, record.jurisdiction, departments)))
                for s in b.shares
            )
            text = " ".join([b.matter, *dict.fromkeys(s.division for s in b.shares)])
            entries.append(BoundaryEntry(record.department, i, b.matter, text, shares))
    return entries


def overlap_findings(records: list[ListRecord], threshold: float = OVERLAP_THRESHOLD) -> list[FindingRecord]:
    """Both checks over the newest lists of one jurisdiction's departments."""
    records = [r for r in records if r.department]
    rows = [row for r in records for row in rows_of(r)]
    entries = boundary_entries(records)
    found = _unbounded(rows, entries, threshold) + _unmatched(rows, entries)
    return _merged(found)


def _unbounded(rows: list[Row], entries: list[BoundaryEntry], threshold: float) -> list[FindingRecord]:
    usable = [r for r in rows if _claims(r.text)]
    if not usable:
        return []
    model = TfIdf([r.text for r in usable] + [e.text for e in entries])
    vectors = model.vectors[: len(usable)]
    matters = model.vectors[len(usable) :]
    found = []
    for i, j, score in similar_pairs(vectors, model.df, [r.department for r in usable], threshold):
        pair = _ordered(usable[i], usable[j], score)
        pair_vectors = (vectors[i], vectors[j])
        if not any(_covers(e, m, pair, pair_vectors) for e, m in zip(entries, matters, strict=True)):
            found.append(_unbounded_finding(pair))
    return found


def _covers(entry: BoundaryEntry, matter: Vector, pair: Overlap, vectors: tuple[Vector, Vector]) -> bool:
    named = entry.departments
    if pair.a.department not in named or pair.b.department not in named:
        return False
    return any(cosine(matter, v) >= COVER_THRESHOLD for v in vectors)


def _unbounded_finding(pair: Overlap) -> FindingRecord:
    a, b = pair.a, pair.b
    return FindingRecord(
        check_id="overlap.unbounded",
        severity=WARNING,
        title="两个部门职责交叉而没有职责边界",
        locations=[
            Location(f"{a.department} {a.label}", a.path),
            Location(f"{b.department} {b.label}", b.path),
        ],
        message=(
            f"{a.department}与{b.department}都列了这项职责（相似度 {pair.similarity:.2f}），"
            "两份清单都没有写明双方分工的职责边界"
        ),
        evidence=f"{a.department}：{a.text.strip()}\n{b.department}：{b.text.strip()}",
        suggestion="由两个部门商定分工，在职责边界登记表中写明；不属于本部门的，从清单中删去",
        department=a.department,
    )


def _unmatched(rows: list[Row], entries: list[BoundaryEntry]) -> list[FindingRecord]:
    model = TfIdf([r.text for r in rows] + [e.matter for e in entries])
    texts: dict[str, list[Vector]] = defaultdict(list)
    for row, vector in zip(rows, model.vectors, strict=False):
        texts[row.department].append(vector)
    matters = model.vectors[len(rows) :]
    found = []
    for e, matter in zip(entries, matters, strict=True):
        for j, (name, named) in enumerate(e.shares):
            for dept in named:
                # Another department's own boundary table naming the matter also counts.
                theirs = [
                    m for other, m in zip(entries, matters, strict=True) if other.owner == dept != e.owner
                ]
                if not _mentions(matter, texts[dept] + theirs):
                    found.append(_unmatched_finding(e, j, name, dept))
    return found


def _mentions(matter: Vector, texts: list[Vector]) -> bool:
    return any(containment(matter, t) >= MENTION_THRESHOLD for t in texts)


def _unmatched_finding(entry: BoundaryEntry, j: int, name: str, dept: str) -> FindingRecord:
    own = dept == entry.owner
    who = "本部门" if own else f"{name}（{dept}）"
    return FindingRecord(
        check_id="overlap.boundary-unmatched",
        severity=INFO if own else WARNING,
        title="职责边界中的部门在自己的清单里没有这项职责",
        locations=[Location.share(entry.index, j).field("相关部门")],
        message=f"职责边界「{entry.matter}」写了{who}的分工，但{dept}的主要职责和具体工作事项中没有提到这项事项",
        evidence=f"{entry.matter}\n{dept}",
        suggestion=f"在{dept}的清单中补上这项职责，或核对职责边界中的部门是否写对",
        department=entry.owner,
    )


def _merged(found: list[FindingRecord]) -> list[FindingRecord]:
    merged: dict[str, FindingRecord] = {}
    for f in found:
        first = merged.setdefault(f.fingerprint, f)
        if first is not f:
            first.locations += [loc for loc in f.locations if loc not in first.locations]
    return list(merged.values())


def jurisdiction_overlaps(query: str) -> list[FindingRecord]:
    """Both checks over the newest lists of every department of a stored jurisdiction."""
    from qingdan.checks.services import crossing_findings, find_jurisdiction

    return crossing_findings(find_jurisdiction(query))
