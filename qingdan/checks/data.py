"""The tables the checks consult, kept as JSON in ``data/`` so they can be updated without code:
defunct agencies, old place names, level-word artifacts (the laws and their fate are the law
registry's, ``qingdan.laws``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def table(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def day(text: str) -> dt.date:
    """「2021-01-01」 or 「2014-09」 (the first of the month)."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@dataclass(frozen=True)
class DefunctAgency:
    names: tuple[str, ...]
    successor: str
    date: str
    note: str
    severity: str | None
    exceptions: tuple[str, ...]


@cache
def defunct_agencies() -> tuple[DefunctAgency, ...]:
    return tuple(
        DefunctAgency(
            tuple(a["names"]),
            a["successor"],
            a["date"],
            a.get("note", ""),
            a.get("severity"),
            tuple(a.get("except", [])),
        )
        for a in table("agencies")["agencies"]
    )


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    date: str
    note: str


@cache
def renames() -> tuple[Rename, ...]:
    return tuple(Rename(r["old"], r["new"], r["date"], r.get("note", "")) for r in table("places")["renames"])
