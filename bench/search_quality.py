"""Answer quality of `qingdan search` on a labelled question set, beside two baselines.

    .venv/bin/python bench/search_quality.py [--questions bench/questions.jsonl] [--misses 60] [--baselines-only] [--keep]

Builds a fresh registry in a temporary data directory (the demo registry of 青山县 and seeds
000, 001 and 002, through the service layer: `load_path` + `import_list`), checks every label
against it, then asks each question of three systems and scores their top five answers:

  qingdan     qingdan.search.search(q, limit=5, jurisdiction=...)
  substring   rows ranked by how many of the query's characters occur in them (ties: row order)
  datasette   the same rows in SQLite with an FTS5 trigram index, served by Datasette in-process
              and asked through its JSON API: ranked by bm25 (SQL API, `order by rank`), and as the
              table's own `_search=` box returns them (row order; Datasette does not rank those)

An answer is correct when its department is the expected one and, if the question names a 科室,
that 科室 is among the answer's units. Figures: MRR@5 (reciprocal rank of the first correct
answer, 0 when none is in the top five), hit@1, hit@5; per system, per question style and kind.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("QINGDAN_SEEDS") or ROOT.parent / "shared" / "seeds")
DEMO = ROOT / "examples" / "demo"
SEED_000_DEPARTMENT = "石家庄市鹿泉区科学技术和工业信息化局"  # seed 000 does not name itself
TOP = 5
TARGET_MRR = 0.92
STYLES = ("colloquial", "abbreviation", "traditional", "short", "boundary_case", "service", "formal", "typo")

# The baselines' query cleaning: punctuation and these question words are removed, nothing more.
BASELINE_QUESTION_WORDS = ("哪个", "电话", "多少", "怎么", "办理", "谁", "找")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)

SHORT_NAMES = {
    "石家庄市鹿泉区科学技术和工业信息化局": "鹿泉科工局(000)",
    "石家庄市鹿泉区工业和信息化局": "鹿泉工信局(001)",
    "湘阴县科技局": "湘阴科技局(002)",
    "青山县科学技术局": "青山科技局",
    "青山县市场监督管理局": "青山市监局",
    "青山县农业农村局": "青山农业农村局",
    "青山县行政审批服务局": "青山审批局",
}


@dataclass
class Row:
    """One searchable item, as the baselines see it."""

    kind: str
    department: str
    jurisdiction: str
    units: list[str]
    text: str


@dataclass
class Answer:
    department: str
    units: list[str]
    kind: str = ""
    text: str = ""


@dataclass
class Question:
    id: str
    q: str
    department: str
    unit: str
    jurisdiction: str
    kind: str
    style: str
    evidence: str = ""
    note: str = ""

    def correct(self, answer: Answer) -> bool:
        return answer.department == self.department and (not self.unit or self.unit in answer.units)

    def rank(self, answers: list[Answer]) -> int:
        """1-based rank of the first correct answer in the top five; 0 when there is none."""
        return next((i for i, a in enumerate(answers[:TOP], 1) if self.correct(a)), 0)


@dataclass
class Scores:
    ranks: dict[str, int] = field(default_factory=dict)  # question id -> rank (0 = miss)

    def of(self, ids: list[str]) -> tuple[float, float, float]:
        ranks = [self.ranks[i] for i in ids]
        n = len(ranks) or 1
        mrr = sum(1 / r for r in ranks if r) / n
        return mrr, sum(r == 1 for r in ranks) / n, sum(r > 0 for r in ranks) / n


# --- the registry -----------------------------------------------------------------------------


def setup_django(data: Path) -> None:
    os.environ.update(QINGDAN_DATA=str(data), DJANGO_SETTINGS_MODULE="qingdan.settings")
    os.environ.pop("QINGDAN_DATABASE_URL", None)
    os.environ.setdefault("QINGDAN_SEARCH_BACKEND", "tantivy")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from qingdan.core.schema import ensure_schema

    ensure_schema()


def search_engine() -> Callable[..., object] | None:
    try:
        from qingdan.search import search
    except ImportError:
        return None
    return search


def build_registry(have_search: bool) -> list[str]:
    """Import the demo files and seeds 000–002; returns what was imported, one line each."""
    from contextlib import nullcontext

    import qingdan.catalog.services as services
    from qingdan.ingest import load_path

    if not have_search:  # imports index after commit; without a search module there is nothing to do
        services._index = lambda department_id: None  # type: ignore[assignment]
    files = [
        (p, "") for p in sorted(DEMO.glob("*")) if p.suffix in {".txt", ".docx", ".xlsx", ".json", ".csv"}
    ]
    for prefix in ("000", "001", "002"):
        found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
        if not found:
            raise SystemExit(f"seed {prefix}_*.txt not found in {SEEDS} (set QINGDAN_SEEDS)")
        files.append((found[0], SEED_000_DEPARTMENT if prefix == "000" else ""))
    if have_search:
        from qingdan.search import deferred_indexing

        context = deferred_indexing()
    else:
        context = nullcontext()
    lines = []
    with context:
        for path, department in files:
            record = load_path(path, department=department).record
            result = services.import_list(record, path.name)
            counts = ", ".join(f"{k} {v}" for k, v in result.counts.items() if v)
            lines.append(f"{record.department}: {counts}")
    return lines


def registry_rows() -> list[Row]:
    """One row per task, duty, boundary share, public service, regime and power of each
    department's newest version, from `record_of` (what every export writes)."""
    from qingdan.catalog.services import get_version, record_of
    from qingdan.core.models import Department

    rows: list[Row] = []
    for dept in Department.objects.select_related("jurisdiction").order_by("pk"):
        r = record_of(get_version(dept))

        def add(kind: str, units: list[str], *parts: str, r=r) -> None:
            rows.append(
                Row(kind, r.department, r.jurisdiction, list(units), "\n".join(p for p in parts if p))
            )

        for d in r.duties:
            duty_units: list[str] = []
            for t in d.tasks:
                add("task", t.units, t.text, t.note)
                duty_units += [u for u in t.units if u not in duty_units]
            add("duty", duty_units, d.text)
        for b in r.boundaries:
            for s in b.shares:
                add("boundary", [], b.matter, s.department, s.division, s.basis, s.case)
        for s in r.services:
            add("service", s.units, s.name, s.content)
        for g in r.supervision:
            add("regime", [], g.matter, g.objects, g.content, g.methods, g.measures, g.procedure, g.handling)
        for p in r.powers:
            add("power", p.units, p.name, p.type, p.subitems, p.basis, p.duties)
    return rows


def check_labels(questions: list[Question], rows: list[Row]) -> list[str]:
    """Every label must point at a real item: the expected department owns an item of the stated
    kind whose text contains the question's evidence and whose units include the expected unit."""
    problems = []
    departments = {r.department for r in rows}
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            problems.append(f"{q.id}: duplicate id")
        seen.add(q.id)
        if q.style not in STYLES:
            problems.append(f"{q.id}: unknown style {q.style}")
        if q.department not in departments:
            problems.append(f"{q.id}: no department {q.department}")
            continue
        if q.jurisdiction and not any(r.jurisdiction == q.jurisdiction for r in rows):
            problems.append(f"{q.id}: no jurisdiction {q.jurisdiction}")
        if not any(
            r.department == q.department
            and r.kind == q.kind
            and q.evidence in r.text
            and (not q.unit or q.unit in r.units)
            for r in rows
        ):
            problems.append(
                f"{q.id}: no {q.kind} of {q.department} with 「{q.evidence}」 and unit 「{q.unit}」"
            )
    return problems


# --- the systems --------------------------------------------------------------------------------


def clean(query: str) -> str:
    text = _PUNCT.sub("", query)
    for word in BASELINE_QUESTION_WORDS:
        text = text.replace(word, "")
    return text


def ask_qingdan(search: Callable[..., object], q: Question) -> list[Answer]:
    result = search(q.q, limit=TOP, jurisdiction=q.jurisdiction or None)
    return [Answer(h.department, list(h.units), h.kind, h.text) for h in result.hits]  # type: ignore[attr-defined]


def ask_substring(rows: list[Row], q: Question) -> list[Answer]:
    chars = set(clean(q.q))
    scored = []
    for i, r in enumerate(rows):
        if q.jurisdiction and r.jurisdiction != q.jurisdiction:
            continue
        haystack = f"{r.text}\n{r.department}\n{' '.join(r.units)}"
        score = sum(c in haystack for c in chars)
        if score:
            scored.append((-score, i))
    scored.sort()
    return [Answer(rows[i].department, rows[i].units, rows[i].kind, rows[i].text) for _, i in scored[:TOP]]


def write_sqlite(rows: list[Row], path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, kind TEXT, department TEXT, jurisdiction TEXT,"
        " units TEXT, text TEXT)"
    )
    db.executemany(
        "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)",
        [
            (i, r.kind, r.department, r.jurisdiction, "、".join(r.units), r.text)
            for i, r in enumerate(rows, 1)
        ],
    )
    # content='rows' lets Datasette find the index for the table's ?_search= box.
    db.execute(
        "CREATE VIRTUAL TABLE rows_fts USING fts5(text, department, units, content='rows',"
        " content_rowid='id', tokenize='trigram')"
    )
    db.execute("INSERT INTO rows_fts(rows_fts) VALUES ('rebuild')")
    db.commit()
    db.close()


def fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_trigrams(text: str) -> str:
    grams = list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2)))
    return " OR ".join(fts_phrase(g) for g in grams)


class DatasetteBaseline:
    """Datasette 0.65 serving the rows in-process (`Datasette(...).client`), asked over its JSON API.

    For a cleaned query of three or more characters: first the whole query as one FTS5 phrase (with
    the trigram tokenizer, a substring match), then, to fill the five, the query's 3-grams OR-ed
    together. Shorter queries, and any left unfilled, fall back to LIKE '%query%' on the text.
    `ranked` asks the SQL API (`select … where rows_fts match :q order by rank`: bm25);
    otherwise the table API (`/bench/rows.json?_search=…&_searchmode=raw`), which returns matches
    in row order. The question's jurisdiction, when it has one, filters both."""

    def __init__(self, db: Path) -> None:
        from datasette.app import Datasette

        self.name = db.stem
        self.ds = Datasette(files=[str(db)], settings={"sql_time_limit_ms": 5000})

    async def start(self) -> None:
        await self.ds.invoke_startup()

    async def _get(self, path: str, params: dict[str, str]) -> list[dict[str, object]]:
        response = await self.ds.client.get(f"{path}?{urlencode(params)}")
        if response.status_code != 200:
            raise RuntimeError(f"Datasette {response.status_code}: {response.text[:300]}")
        return response.json()  # type: ignore[no-any-return]

    async def _match(self, expr: str, jurisdiction: str, ranked: bool) -> list[dict[str, object]]:
        if ranked:
            sql = (
                "select rows.id, rows.kind, rows.department, rows.units from rows_fts"
                " join rows on rows.id = rows_fts.rowid where rows_fts match :q"
                " and (:j = '' or rows.jurisdiction = :j) order by rank limit 5"
            )
            return await self._get(
                f"/{self.name}.json", {"sql": sql, "q": expr, "j": jurisdiction, "_shape": "array"}
            )
        params = {"_search": expr, "_searchmode": "raw", "_size": "5", "_shape": "array"}
        if jurisdiction:
            params["jurisdiction"] = jurisdiction
        return await self._get(f"/{self.name}/rows.json", params)

    async def _like(self, text: str, jurisdiction: str) -> list[dict[str, object]]:
        sql = (
            "select id, kind, department, units from rows where text like '%' || :q || '%'"
            " and (:j = '' or jurisdiction = :j) order by id limit 5"
        )
        return await self._get(
            f"/{self.name}.json", {"sql": sql, "q": text, "j": jurisdiction, "_shape": "array"}
        )

    async def ask(self, q: Question, ranked: bool) -> list[Answer]:
        text = clean(q.q)
        found: dict[int, dict[str, object]] = {}

        def take(rows: list[dict[str, object]]) -> None:
            for row in rows:
                if len(found) < TOP:
                    found.setdefault(int(row["id"]), row)  # type: ignore[call-overload]

        if len(text) >= 3:
            take(await self._match(fts_phrase(text), q.jurisdiction, ranked))
            if len(found) < TOP:
                take(await self._match(fts_trigrams(text), q.jurisdiction, ranked))
        if text and len(found) < TOP:
            take(await self._like(text, q.jurisdiction))
        return [
            Answer(str(r["department"]), [u for u in str(r["units"] or "").split("、") if u], str(r["kind"]))
            for r in found.values()
        ]


def ask_datasette(
    db: Path, questions: list[Question]
) -> tuple[dict[str, list[Answer]], dict[str, list[Answer]]]:
    async def run() -> tuple[dict[str, list[Answer]], dict[str, list[Answer]]]:
        baseline = DatasetteBaseline(db)
        await baseline.start()
        ranked = {q.id: await baseline.ask(q, ranked=True) for q in questions}
        table = {q.id: await baseline.ask(q, ranked=False) for q in questions}
        return ranked, table

    return asyncio.run(run())


# --- report -------------------------------------------------------------------------------------


def load_questions(path: Path) -> list[Question]:
    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                questions.append(Question(**json.loads(line)))
            except (TypeError, ValueError) as exc:
                raise SystemExit(f"{path}:{n}: {exc}") from exc
    return questions


def short(name: str) -> str:
    return SHORT_NAMES.get(name, name)


def answer_text(a: Answer) -> str:
    units = "、".join(a.units)
    return f"{short(a.department)}{'/' + units if units else ''} [{a.kind}]"


def pad(text: str, width: int) -> str:
    """Left-justify to a display width: CJK characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def print_breakdown(title: str, groups: dict[str, list[str]], systems: dict[str, Scores]) -> None:
    names = list(systems)
    print(f"\n{pad(title, 18)}{'n':>4}  " + "  ".join(f"{n:>17}" for n in names) + "   (MRR@5)")
    for key, ids in groups.items():
        cells = "  ".join(f"{systems[n].of(ids)[0]:>17.3f}" for n in names)
        print(f"{pad(key, 18)}{len(ids):>4}  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=ROOT / "bench" / "questions.jsonl")
    parser.add_argument("--misses", type=int, default=60, help="how many of qingdan's misses to list")
    parser.add_argument("--baselines-only", action="store_true", help="do not ask qingdan.search")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    questions = load_questions(args.questions)
    data = Path(tempfile.mkdtemp(prefix="qingdan-quality-"))
    try:
        run(args, questions, data)
    finally:
        if args.keep:
            print(f"\ndata directory kept: {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


def run(args: argparse.Namespace, questions: list[Question], data: Path) -> None:
    setup_django(data)
    search = None if args.baselines_only else search_engine()
    imported = build_registry(search is not None)
    rows = registry_rows()
    print(f"qingdan search quality · {len(questions)} questions · data dir {data}")
    for line in imported:
        print(f"  {line}")
    print(f"  {len(rows)} rows (tasks, duties, boundary shares, services, regimes, powers)")
    problems = check_labels(questions, rows)
    print(
        f"labels checked against the registry: {len(questions) - len({p.split(':')[0] for p in problems})} ok"
    )
    for p in problems:
        print(f"  LABEL PROBLEM {p}")

    answers: dict[str, dict[str, list[Answer]]] = {}
    if search is None and args.baselines_only:
        print("\n--baselines-only: qingdan.search is not asked")
    elif search is None:
        print("\nqingdan.search is not available (no module qingdan.search): only the baselines are run")
    else:
        answers["qingdan"] = {q.id: ask_qingdan(search, q) for q in questions}
    answers["substring"] = {q.id: ask_substring(rows, q) for q in questions}
    try:
        import datasette  # noqa: F401
    except ImportError:
        print("\ndatasette is not installed: its baseline is skipped. Install it (bench only) with")
        print("  .venv/bin/pip install datasette")
    else:
        db = data / "bench.db"
        write_sqlite(rows, db)
        answers["datasette bm25"], answers["datasette _search"] = ask_datasette(db, questions)

    systems = {name: Scores({q.id: q.rank(got[q.id]) for q in questions}) for name, got in answers.items()}
    all_ids = [q.id for q in questions]
    print(f"\n{'system':<20}{'MRR@5':>8}{'hit@1':>8}{'hit@5':>8}")
    for name, scores in systems.items():
        mrr, h1, h5 = scores.of(all_ids)
        print(f"{name:<20}{mrr:>8.3f}{h1:>8.3f}{h5:>8.3f}")
    print("  (below: MRR@5 by question style, by the kind of item that answers, by expected department)")

    by_style: dict[str, list[str]] = defaultdict(list)
    by_kind: dict[str, list[str]] = defaultdict(list)
    by_dept: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        by_style[q.style].append(q.id)
        by_kind[q.kind].append(q.id)
        by_dept[short(q.department)].append(q.id)
    print_breakdown("style", {s: by_style[s] for s in STYLES if s in by_style}, systems)
    print_breakdown("kind", dict(sorted(by_kind.items())), systems)
    print_breakdown("department", dict(by_dept), systems)

    if "qingdan" in systems:
        ours = systems["qingdan"].of(all_ids)[0]
        best_baseline = max((s.of(all_ids)[0] for n, s in systems.items() if n != "qingdan"), default=0.0)
        met = ours >= TARGET_MRR and ours > best_baseline
        print(
            f"\ntarget: qingdan MRR@5 ≥ {TARGET_MRR} and ahead of both baselines — "
            f"{'met' if met else 'NOT met'} ({ours:.3f}; best baseline {best_baseline:.3f})"
        )
        misses = [q for q in questions if systems["qingdan"].ranks[q.id] != 1]
        noted = [q for q in questions if q.note]
        unnoted = [q.id for q in questions if not q.note]
        print(
            f"questions with a note (e.g. answered by both 鹿泉区 bureaus, 000 expected): {len(noted)}, "
            f"{sum(q in misses for q in noted)} of them not answered first; "
            f"qingdan MRR@5 without them {systems['qingdan'].of(unnoted)[0]:.3f}"
        )
        print(
            f"\nqingdan: {len(misses)} questions not answered first (rank in brackets, 0 = not in top {TOP})"
        )
        for q in misses[: args.misses]:
            expected = short(q.department) + (f"/{q.unit}" if q.unit else "")
            got = answers["qingdan"][q.id][:3]
            print(f"  {q.id} [{systems['qingdan'].ranks[q.id]}] {q.style:<13} {q.q}  → want {expected}")
            if q.note:
                print(f"        note: {q.note}")
            for a in got:
                print(f"        got {answer_text(a)}  {a.text[:40]}")
        if len(misses) > args.misses:
            print(f"  … {len(misses) - args.misses} more (--misses N)")
    else:
        print(
            f"\ntarget: qingdan MRR@5 ≥ {TARGET_MRR} and ahead of both baselines — not measured (no engine)"
        )


if __name__ == "__main__":
    main()
