"""The statutory periods shipped with qingdan (``deadlines/data/rules.json``), loaded after every
``migrate``: a rule the registry lacks is added; a rule an administrator changed is kept."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connections, transaction

DATA = Path(__file__).parent / "data" / "rules.json"


@cache
def shipped_rules() -> list[dict[str, Any]]:
    return list(json.loads(DATA.read_text(encoding="utf-8"))["rules"])


def load_rules(using: str = "default", **_: Any) -> int:
    """Add the shipped rules the registry lacks; returns how many were added."""
    from qingdan.deadlines.models import DeadlineRule

    if "deadlines_deadlinerule" not in connections[using].introspection.table_names():
        return 0
    with transaction.atomic(using=using):
        have = set(DeadlineRule.objects.using(using).values_list("code", flat=True))
        rows = [DeadlineRule(shipped=True, **rule) for rule in shipped_rules() if rule["code"] not in have]
        DeadlineRule.objects.using(using).bulk_create(rows)
    return len(rows)
