"""横向可比对: align two departments' lists, of the same or of different jurisdictions (issue #5,
check 7). The same similarity as the overlap check (TF-IDF over character 2–3-grams, cosine),
with 全县/全区 and other level words left out, so 湘阴县科技局 and 鹿泉区科工局 compare on their words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qingdan.checks.overlap import MIN_CHARS, Row, TfIdf, normalise, similar_pairs
from qingdan.ingest.records import ListRecord

COMPARE_THRESHOLD = 0.3


@dataclass(frozen=True)
class Match:
    a: Row
    b: Row
    similarity: float


@dataclass
class Comparison:
    """Matched pairs (best first), and the items only one of the two lists has."""

    department_a: str
    department_b: str
    matched: list[Match]
    only_in_a: list[Row]
    only_in_b: list[Row]

    def as_json(self) -> dict[str, Any]:
        def item(row: Row) -> dict[str, str]:
            return {"location": row.label, "path": row.path, "text": row.text}

        return {
            "department_a": self.department_a,
            "department_b": self.department_b,
            "matched": [
                {"similarity": round(m.similarity, 3), "a": item(m.a), "b": item(m.b)} for m in self.matched
            ],
            "only_in_a": [item(r) for r in self.only_in_a],
            "only_in_b": [item(r) for r in self.only_in_b],
        }


def items_of(record: ListRecord) -> list[Row]:
    """What a list says it does: its 具体工作事项 (a 主要职责 without tasks stands for itself) and
    its 职责边界 管理事项."""
    rows = []
    for i, duty in enumerate(record.duties):
        tasks = [(j, t) for j, t in enumerate(duty.tasks) if len(normalise(t.text)) >= MIN_CHARS]
        for j, task in tasks:
            rows.append(
                _row(record, task.text, f"主要职责 {i + 1} / 具体工作事项 {j + 1}", f"duties[{i}].tasks[{j}]")
            )
        if not tasks and len(normalise(duty.text)) >= MIN_CHARS:
            rows.append(_row(record, duty.text, f"主要职责 {i + 1}", f"duties[{i}]"))
    for i, boundary in enumerate(record.boundaries):
        rows.append(_row(record, boundary.matter, f"职责边界 {i + 1}", f"boundaries[{i}]"))
    return rows


def _row(record: ListRecord, text: str, label: str, path: str) -> Row:
    return Row(record.department, record.jurisdiction, text.strip(), label, path)


def compare(a: ListRecord, b: ListRecord, threshold: float = COMPARE_THRESHOLD) -> Comparison:
    """Align ``a`` and ``b``: each item is matched at most once, the most similar pairs first."""
    rows_a, rows_b = items_of(a), items_of(b)
    rows = rows_a + rows_b
    model = TfIdf(r.text for r in rows)
    sides = ["a"] * len(rows_a) + ["b"] * len(rows_b)
    pairs = sorted(similar_pairs(model.vectors, model.df, sides, threshold), key=lambda p: -p[2])
    used: set[int] = set()
    matched = []
    for i, j, score in pairs:
        if i not in used and j not in used:
            used.update((i, j))
            matched.append(Match(rows[i], rows[j], score))
    only_a = [r for k, r in enumerate(rows_a) if k not in used]
    only_b = [r for k, r in enumerate(rows_b, start=len(rows_a)) if k not in used]
    return Comparison(a.department, b.department, matched, only_a, only_b)


def compare_departments(query_a: str, query_b: str, threshold: float = COMPARE_THRESHOLD) -> Comparison:
    """``compare`` on the newest stored lists of two departments (names as ``find_department``)."""
    from qingdan.catalog.services import find_department, get_version, record_of

    records = [record_of(get_version(find_department(q))) for q in (query_a, query_b)]
    return compare(records[0], records[1], threshold)


def format_comparison(c: Comparison) -> str:
    """The comparison for people: pairs side by side, then what only one list has."""
    lines = [
        f"{c.department_a} ↔ {c.department_b}：相同或相近 {len(c.matched)} 项，"
        f"仅前者 {len(c.only_in_a)} 项，仅后者 {len(c.only_in_b)} 项",
        "",
        "相同或相近：",
    ]
    for m in c.matched:
        lines += [
            f"  {m.similarity:.2f}  {m.a.label}：{m.a.text}",
            f"        {m.b.label}：{m.b.text}",
        ]
    for name, only in ((c.department_a, c.only_in_a), (c.department_b, c.only_in_b)):
        lines += ["", f"仅{name}有："] + [f"  · {r.label}：{r.text}" for r in only]
    return "\n".join(lines)
