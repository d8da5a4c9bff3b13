"""Queries that stay within the database's limit on bound parameters, however large a list is.

SQLite refuses a statement with more than SQLITE_LIMIT_VARIABLE_NUMBER parameters (32,766 in
most builds, 999 in old ones), so neither an ``__in`` over an unbounded list of ids nor a
``prefetch_related`` (which is one) may be used for a list's items: load children joined on
their parent's version with ``grouped``, and split an unavoidable ``__in`` with ``in_batches``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
BATCH = 900  # under every SQLite build's limit, leaving room for the query's other parameters


def grouped(queryset: QuerySet[Any], parent: str) -> dict[Any, list[Any]]:
    """The queryset's rows by the value of ``parent`` (e.g. ``duty_id``), each group in the
    queryset's order."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in queryset.iterator(chunk_size=2000):
        groups[getattr(row, parent)].append(row)
    return groups


def in_batches(queryset: QuerySet[M], field: str, values: Iterable[Any]) -> Iterator[M]:
    """``queryset.filter(<field>__in=values)``, run as one query per BATCH values."""
    remaining = iter(list(dict.fromkeys(values)))
    while chunk := list(islice(remaining, BATCH)):
        yield from queryset.filter(**{f"{field}__in": chunk})
