"""The statutory amounts, situations and kinds of the 行政处罚 procedure, read from
``data/procedure.json`` — data with their articles, not constants in code."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "procedure.json"


@cache
def rules() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


def basis(key: str) -> str:
    return str(rules()[key]["basis"])


def min_officers() -> int:
    return int(rules()["min_officers"]["value"])


def simple_limit(party_kind: str) -> Decimal:
    return Decimal(rules()["simple_procedure_limit"][party_kind])


def surcharge_rate() -> Decimal:
    return Decimal(rules()["surcharge"]["rate_per_day"])


def labels(key: str) -> dict[str, str]:
    """code → label of a list in the rules (penalty_kinds, hearing_triggers, …)."""
    return {item["code"]: item["label"] for item in rules()[key]["items"]}


def check_codes(key: str, codes: list[str], what: str) -> list[str]:
    from qingdan.errors import QingdanError

    known = labels(key)
    unknown = [code for code in codes if code not in known]
    if unknown:
        choices = "、".join(f"{code}（{label}）" for code, label in known.items())
        raise QingdanError(f"未知的{what}「{'、'.join(unknown)}」。可用：{choices}")
    return list(dict.fromkeys(codes))


def deadline_code(key: str) -> str:
    """The deadline rule (qingdan.deadlines) a step of the procedure runs on."""
    return str(rules()["deadlines"][key])


def pausing(key: str) -> set[str]:
    """The kinds of Suspension that stop the deadline ``key`` (the 90-day decision period)."""
    return set(rules()["pauses"].get(key, []))
