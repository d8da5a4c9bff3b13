"""The laws shipped with qingdan (``laws/data/laws.json``), loaded into the registry after every
``migrate``. What an administrator changed is kept: a law already registered gains only the
names, amendments and articles it lacks; citations that now name a registered law resolve."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connections, transaction

DATA = Path(__file__).parent / "data" / "laws.json"


@cache
def shipped() -> list[dict[str, Any]]:
    return list(json.loads(DATA.read_text(encoding="utf-8"))["laws"])


def load_shipped(using: str = "default", **_: Any) -> int:
    """Add the shipped laws the registry lacks; returns how many laws were added. Does nothing
    when migrated back to before the registry (``migrate core 0002`` …) existed."""
    from qingdan.laws.registry import LawRecord, merge_records

    tables = set(connections[using].introspection.table_names())
    if not {"laws_law", "catalog_legalcitation"} <= tables or not _citations_have_titles(using):
        return 0
    with transaction.atomic():
        return merge_records([LawRecord.from_json(entry) for entry in shipped()], replace=False, shipped=True)


def _citations_have_titles(using: str) -> bool:
    with connections[using].cursor() as cursor:
        columns = connections[using].introspection.get_table_description(cursor, "catalog_legalcitation")
    return any(column.name == "title" for column in columns)
