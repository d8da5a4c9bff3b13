"""Who is responsible: one query over tasks, duties, boundaries, services, regimes and powers.

``search`` is what the portal, the API and the CLI call. The index is derived data: a write that
publishes owes its department's documents (qingdan.core.outbox), which are replaced after commit
by one writer at a time; ``reindex`` rebuilds it and ``consistency`` says where index and
registry disagree.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from qingdan.search.backends import Hit, SearchBackend, TantivyBackend
from qingdan.search.documents import SearchDoc
from qingdan.search.text import Query, learn, understand

__all__ = [
    "Hit",
    "SearchResult",
    "consistency",
    "deferred_indexing",
    "index_departments",
    "reindex",
    "search",
]


@dataclass
class SearchResult:
    query: Query
    hits: list[Hit]
    took_ms: float

    def as_json(self) -> dict[str, object]:
        return {"hits": [h.as_json() for h in self.hits]}


@dataclass
class Consistency:
    indexed: int
    expected: int
    missing: list[str] = field(default_factory=list)  # in the registry, not in the index
    stale: list[str] = field(default_factory=list)  # in the index, not in the registry

    @property
    def ok(self) -> bool:
        return not self.missing and not self.stale


@lru_cache(maxsize=1)
def get_backend() -> SearchBackend:
    if getattr(settings, "QINGDAN_SEARCH_BACKEND", "tantivy") == "postgres":
        from qingdan.search.pg import PostgresBackend

        return PostgresBackend()
    return TantivyBackend()


@lru_cache(maxsize=1)
def _prepared() -> tuple[str, ...]:
    """Teach jieba the registry's names once per process; return the jurisdiction names."""
    from qingdan.core.models import Jurisdiction
    from qingdan.search.documents import registry_terms

    learn(registry_terms())
    return tuple(Jurisdiction.objects.values_list("name", flat=True))


def _forget() -> None:
    _prepared.cache_clear()


def search(
    text: str, limit: int = 10, jurisdiction: str | None = None, history: bool = False
) -> SearchResult:
    """The best hits for a question in plain Chinese, best first: from current departments'
    lists, or — with ``history`` — from abolished departments' too, each of those marked."""
    from qingdan.core.models import Department

    start = time.perf_counter()
    places = list(_prepared())
    query = understand(text, places)
    if jurisdiction:
        query.jurisdiction = jurisdiction
    if not history:
        query.excluded_departments = frozenset(Department.objects.abolished().values_list("pk", flat=True))
    hits = rerank(get_backend().search(query, limit * 3), limit) if text.strip() else []
    if history and hits:
        _mark_abolished(hits)
    return SearchResult(query, hits, (time.perf_counter() - start) * 1000)


def _mark_abolished(hits: list[Hit]) -> None:
    from qingdan.core.lineage import abolished_notes

    notes = abolished_notes({h.department_id for h in hits})
    for hit in hits:
        hit.abolished = notes.get(hit.department_id, "")


# People ask "who": an item that names its 科室 and phone answers that better than one that does not.
UNIT_BONUS, PHONE_BONUS = 0.25, 0.1


def rerank(hits: list[Hit], limit: int) -> list[Hit]:
    """Order the backend's candidates by relevance × how completely they answer who and how."""

    def value(hit: Hit) -> float:
        return hit.score * (1 + UNIT_BONUS * bool(hit.units) + PHONE_BONUS * bool(hit.phones))

    ranked = sorted(hits, key=value, reverse=True)[:limit]
    for hit in ranked:
        hit.score = round(value(hit), 4)
    return ranked


def deferred_indexing() -> contextlib.AbstractContextManager[None]:
    """Index what the block publishes once, at its end (see qingdan.core.outbox.deferred)."""
    from qingdan.core.outbox import deferred

    return deferred()


def index_departments(department_ids: set[int]) -> int:
    """Replace the documents of these departments, one commit for all; returns the count.

    Called by qingdan.core.outbox.settle, under its writer lock: write code owes index work
    (``outbox.owe``), it does not call this."""
    _forget()
    _prepared()
    return get_backend().replace_departments(
        (pk, _documents_of_department(pk)) for pk in sorted(department_ids)
    )


def _documents_of_department(department_id: int) -> list[SearchDoc]:
    from qingdan.catalog.models import ListVersion
    from qingdan.search.documents import documents_of

    version = (
        ListVersion.objects.published()
        .filter(department_id=department_id)
        .select_related("department__jurisdiction")
        .order_by("-number")
        .first()
    )
    return list(documents_of(version)) if version else []


def reindex() -> int:
    """Rebuild the whole index from the registry, under the writer lock; returns the number of
    documents. The index work owed before the rebuild began is thereby done."""
    from qingdan.core import outbox
    from qingdan.search.documents import documents_of, latest_versions

    with outbox.writer():
        covered = outbox.last_id()
        _forget()
        _prepared()
        docs = ((v.department_id, list(documents_of(v))) for v in latest_versions())
        count = get_backend().replace_departments(docs, clear=True)
        outbox.forgive_index(covered)
    return count


def expected_count() -> int:
    """How many documents the registry's newest versions make, counted in SQL (cheap)."""
    from django.db.models import Count, Max

    from qingdan.catalog.models import BoundaryShare, ListVersion, Task

    latest = ListVersion.objects.published().values("department").annotate(top=Max("number"))
    ids = [
        v.pk
        for row in latest
        for v in ListVersion.objects.filter(department=row["department"], number=row["top"]).only("pk")
    ]
    counts = ListVersion.objects.filter(pk__in=ids).aggregate(
        duties=Count("duties", distinct=True),
        services=Count("services", distinct=True),
        regimes=Count("supervision", distinct=True),
        powers=Count("powers", distinct=True),
    )
    tasks = Task.objects.filter(duty__version__in=ids).count()
    shares = BoundaryShare.objects.filter(matter__version__in=ids).count()
    return tasks + shares + sum(counts.values())


def looks_current() -> bool:
    """A quick check for start-up: does the index hold as many documents as the registry makes?"""
    return get_backend().count() == expected_count()


def consistency() -> Consistency:
    """Compare the documents the registry would index with those the index holds."""
    from qingdan.search.documents import documents_of, latest_versions

    expected = {doc.id for version in latest_versions() for doc in documents_of(version)}
    indexed = get_backend().ids()
    return Consistency(len(indexed), len(expected), sorted(expected - indexed), sorted(indexed - expected))
