"""Reading a 随机抽查事项's ratio, frequency and minimum number of inspectors from the text of its
事中事后监管制度 (or 行政检查 item), as that text states them — seed 000's "抽查（每年一次，抽查面
为20%）" is 20 % once a year, read rather than typed again — with the sentences they came from.

The patterns are data: ``data/item_reading.json``, each with the examples it must read (the tests
check them); docs/inspection.md explains the table to its users.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from qingdan.catalog.citations import parse_citations
from qingdan.laws.names import chinese_number

TABLE = Path(__file__).parent / "data" / "item_reading.json"
_NUMBER = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百]+"
PLACEHOLDERS = {
    "{percent}": rf"(?:(?P<n>{_NUMBER})\s*[%％]|百分之(?P<cn>{_CHINESE}|{_NUMBER}))",
    "{count}": r"(?P<count>[0-9０-９]+|[一二两三四五六七八九十]+)",
}
# a sentence ends at 。；！？ or a line break, and a list that follows a colon starts a new one
# ("…开展：1、应当指派2名以上工作人员进行，每年不少于1次。")
_SENTENCE_END = re.compile(
    r"(?<=[。；;！？!?])|\n|(?<=[：:])(?=\s*[（(]?[0-9一二三四五六七八九十]+[、.．)）])"
)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    per_year: int | str | None = None  # frequency: a fixed count a year, or "count" (from the text)
    examples: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reading:
    """What a text states: each value is None when it states nothing of that kind."""

    ratio: Decimal | None = None
    frequency: str = ""
    per_year: int | None = None
    min_inspectors: int | None = None
    sentences: list[str] = field(default_factory=list)

    @property
    def source_text(self) -> str:
        return "\n".join(self.sentences)


@cache
def table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return data


def _compile(pattern: str) -> re.Pattern[str]:
    for name, regex in PLACEHOLDERS.items():
        pattern = pattern.replace(name, regex)
    return re.compile(pattern)


@cache
def rules() -> tuple[Rule, ...]:
    found = []
    for kind in ("ratio", "frequency", "inspectors"):
        for entry in table()[kind]:
            found.append(Rule(kind, _compile(entry["pattern"]), entry.get("per_year"), entry["examples"]))
    return tuple(found)


def number(text: str) -> Decimal | None:
    """20 / ２０ / 3.5 / 二十 / 两 → a Decimal; None when it is not a number."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    value = chinese_number(text)
    return None if value is None else Decimal(value)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def _value(rule: Rule, match: re.Match[str]) -> Any:
    if rule.kind == "ratio":
        percent = number(match.group("n") or match.group("cn"))
        if percent is None or not 0 < percent <= 100:
            return None
        return (percent / 100).quantize(Decimal("0.0001")).normalize()
    if rule.kind == "frequency":
        times = number(match.group("count")) if rule.per_year == "count" else rule.per_year
        return None if times is None else int(times)
    count = number(match.group("count"))
    return None if count is None else int(count)


def read(*texts: str) -> Reading:
    """The ratio, frequency and minimum inspectors ``texts`` state, each from the first sentence
    (in the order given) that states it."""
    reading = Reading()
    must = table()["sentence_must_contain"]
    found: dict[str, Any] = {}
    for sentence in (s for text in texts for s in sentences(text)):
        if not any(word in sentence for word in must):
            continue
        for rule in rules():
            if rule.kind in found:
                continue
            match = rule.pattern.search(sentence)
            value = _value(rule, match) if match else None
            if value is None or value == 0:
                continue
            found[rule.kind] = value
            if rule.kind == "frequency":
                reading.frequency = match.group(0).strip() if match else ""
            if sentence not in reading.sentences:
                reading.sentences.append(sentence)
    reading.ratio = found.get("ratio")
    reading.per_year = found.get("frequency")
    reading.min_inspectors = found.get("inspectors")
    return reading


def laws_named(*texts: str) -> str:
    """The laws, regulations and rules a text names as 《…》 (not the forms and certificates it
    also puts in 《》, nor a bare 《条例》), in order, joined by 、."""
    suffixes = tuple(table()["basis_suffixes"])
    titles: list[str] = []
    for text in texts:
        for title, _ in parse_citations(text):
            if title.endswith(suffixes) and len(title) >= 4 and title not in titles:
                titles.append(title)
    return "、".join(f"《{t}》" for t in titles)
