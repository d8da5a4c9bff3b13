"""Search backends behind one interface. Tantivy (embedded, BM25) is the default; the
PostgreSQL backend keeps the index in the database for several web servers sharing it.

Both index the same words: jieba tokens of the normalised text, and single characters as a
fallback for very short queries. Ranking is BM25 (tantivy) or ts_rank_cd (PostgreSQL) over
weighted fields: the item text and its department/unit names count more than cases and bases.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from qingdan.search.documents import SearchDoc
from qingdan.search.text import Query, chars, tokens


@dataclass
class Hit:
    kind: str
    department: str
    jurisdiction: str
    units: list[str]
    phones: list[str]
    text: str
    duty: str
    basis: str
    url: str
    score: float
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    department_id: int = 0
    abolished: str = ""  # 「已撤销（并入 X，日期）」 for a hit from an abolished department's list

    @classmethod
    def from_payload(cls, payload: dict[str, Any], score: float) -> Hit:
        keys = ("kind", "department", "jurisdiction", "units", "phones", "text", "duty", "basis", "url")
        found = cls(**{k: payload[k] for k in keys}, score=round(score, 4), id=payload["id"])
        found.department_id = int(payload.get("department_id") or 0)
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in (
                "kind",
                "department",
                "jurisdiction",
                "units",
                "phones",
                "text",
                "duty",
                "basis",
                "url",
                "score",
                "abolished",
            )
        }


class SearchBackend(Protocol):
    name: str

    def replace_department(self, department_id: int, docs: list[SearchDoc]) -> None: ...
    def replace_departments(
        self, docs_by_department: Iterable[tuple[int, list[SearchDoc]]], clear: bool = False
    ) -> int: ...
    def clear(self) -> None: ...
    def search(self, query: Query, limit: int) -> list[Hit]: ...
    def ids(self) -> set[str]: ...
    def count(self) -> int: ...


# field → boost: the item's own words first, then who does it, then cases and bases
WEIGHTS = {"head": 3.0, "body": 1.0, "context": 0.4, "chars": 0.25}


def needs_characters(query: Query) -> bool:
    """Match single characters only for very short queries (盐, 抗震): on long ones they cost
    most of the time (every common character is a long posting list) and add little."""
    return sum(len(w) for w in query.words) <= 3


def search_with_fallback(run: Callable[[Query, int, bool], list[Hit]], query: Query, limit: int) -> list[Hit]:
    """Words first (and characters for short queries); when words find fewer hits than asked —
    a typo, a word no list uses — search again letting single characters match."""
    short = needs_characters(query)
    hits = run(query, limit, short)
    return hits if len(hits) >= limit or short else run(query, limit, True)


def fields_of(doc: SearchDoc) -> dict[str, str]:
    """The weighted token fields of a document, each a space-joined token string."""
    return {
        "head": " ".join(tokens(doc.text) + tokens(" ".join(doc.units))),
        "body": " ".join(tokens(f"{doc.duty}\n{doc.department}\n{doc.aliases}")),
        "context": " ".join(tokens(f"{doc.extra}\n{doc.basis}")),
        "chars": " ".join(chars(f"{doc.text} {doc.duty}")),
    }


class TantivyBackend:
    """An index in the data directory; one writer at a time, readers reload after commits."""

    name = "tantivy"

    def __init__(self, path: Path | None = None) -> None:
        import tantivy

        self.path = path or Path(settings.DATA_DIR) / "index" / "tantivy"
        self.path.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_integer_field("department_id", indexed=True)
        builder.add_text_field("jurisdiction", tokenizer_name="raw", index_option="basic")
        for name in WEIGHTS:
            builder.add_text_field(name, tokenizer_name="default", index_option="freq")
        builder.add_bytes_field("payload", stored=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(self.path))
        self._lock = threading.Lock()

    def replace_departments(
        self, docs_by_department: Iterable[tuple[int, list[SearchDoc]]], clear: bool = False
    ) -> int:
        """Replace the documents of several departments in one commit; returns how many were added.

        Takes the departments one at a time, so a bulk import never holds all its documents."""
        import tantivy

        added = 0
        with self._lock:
            writer = self.index.writer(heap_size=128_000_000, num_threads=1)
            try:
                if clear:
                    writer.delete_all_documents()
                for department_id, docs in docs_by_department:
                    writer.delete_documents_by_term("department_id", department_id)
                    for doc in docs:
                        writer.add_document(
                            tantivy.Document(
                                id=doc.id,
                                department_id=doc.department_id,
                                jurisdiction=doc.jurisdiction,
                                payload=json.dumps(doc.payload(), ensure_ascii=False).encode(),
                                **fields_of(doc),
                            )
                        )
                    added += len(docs)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                # gives the writer up, and with it the index lock, even when the documents failed:
                # a traceback keeps this frame (and an unreleased writer) alive
                writer.wait_merging_threads()
        self.index.reload()
        return added

    def replace_department(self, department_id: int, docs: list[SearchDoc]) -> None:
        self.replace_departments([(department_id, docs)])

    def clear(self) -> None:
        self.replace_departments([], clear=True)

    def search(self, query: Query, limit: int) -> list[Hit]:
        return search_with_fallback(self._run, query, limit)

    def _run(self, query: Query, limit: int, with_characters: bool) -> list[Hit]:
        import tantivy

        def clause(name: str, token: str, boost: float) -> tuple[Any, Any]:
            term = tantivy.Query.term_query(self.schema, name, token)
            return (tantivy.Occur.Should, tantivy.Query.boost_query(term, boost))

        should = [
            clause(name, token, WEIGHTS[name] * (1.0 if word in query.words else 0.7))
            for word in query.all_words
            for name in ("head", "body", "context")
            for token in tokens(word)
        ]
        if with_characters:
            should += [clause("chars", ch, WEIGHTS["chars"]) for ch in chars(" ".join(query.words))]
        if not should:
            return []
        clauses = [(tantivy.Occur.Must, tantivy.Query.boolean_query(should))]
        if query.jurisdiction:
            place = tantivy.Query.term_query(self.schema, "jurisdiction", query.jurisdiction)
            clauses.append((tantivy.Occur.Must, place))
        if query.excluded_departments:
            gone = tantivy.Query.term_set_query(
                self.schema, "department_id", sorted(query.excluded_departments)
            )
            clauses.append((tantivy.Occur.MustNot, gone))
        searcher = self.index.searcher()
        result = searcher.search(tantivy.Query.boolean_query(clauses), limit)
        return [
            Hit.from_payload(json.loads(bytes(searcher.doc(address)["payload"][0])), score)
            for score, address in result.hits
        ]

    def count(self) -> int:
        return int(self.index.searcher().num_docs)

    def ids(self) -> set[str]:
        import tantivy

        searcher = self.index.searcher()
        result = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1))
        return {searcher.doc(a)["id"][0] for _, a in result.hits}
