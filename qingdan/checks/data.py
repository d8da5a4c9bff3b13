"""The tables the checks consult, kept as JSON in ``data/`` so they can be updated without code:
defunct agencies, laws and their fate, old place names, level-word artifacts."""

from __future__ import annotations

import datetime as dt
import json
import re
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
class Amendment:
    date: dt.date
    effective: dt.date | None
    name: str


@dataclass(frozen=True)
class LawFate:
    title: str
    status: str  # replaced | repealed | in_force
    date: dt.date | None
    effective: dt.date | None
    replaced_by: str
    note: str
    amendments: tuple[Amendment, ...]

    @property
    def gone(self) -> bool:
        return self.status in ("replaced", "repealed")


_PREFIX = re.compile(r"^中华人民共和国")


def law_key(title: str) -> str:
    """《中华人民共和国合同法》 and 《合同法》 are the same law."""
    return _PREFIX.sub("", "".join(title.split()))


def _optional_day(text: str | None) -> dt.date | None:
    return day(text) if text else None


@cache
def laws() -> dict[str, LawFate]:
    found: dict[str, LawFate] = {}
    for entry in table("laws")["laws"]:
        fate = LawFate(
            entry["title"],
            entry["status"],
            _optional_day(entry.get("date")),
            _optional_day(entry.get("effective")),
            entry.get("replaced_by", ""),
            entry.get("note", ""),
            tuple(
                Amendment(day(a["date"]), _optional_day(a.get("effective")), a.get("name", ""))
                for a in entry.get("amendments", [])
            ),
        )
        for title in [entry["title"], *entry.get("aliases", [])]:
            found[law_key(title)] = fate
    return found


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    date: str
    note: str


@cache
def renames() -> tuple[Rename, ...]:
    return tuple(Rename(r["old"], r["new"], r["date"], r.get("note", "")) for r in table("places")["renames"])
