"""事中事后监管制度 written as prose or as key–value rows, and merging them with the table.

Seed 000 writes its six regimes once as numbered prose (一、… （一）监督检查对象 …) and again as
an eight-column table; seed 002 writes one as two-column rows (一、监督检查对象 | text). A part
heading may name two parts at once (监督检查方式及程序) and may carry the wrong level of
numbering (000 has 五、监督检查处理 inside regime 二).
"""

from __future__ import annotations

import re

from qingdan.ingest.raw import Paragraph, SourcePos
from qingdan.ingest.records import REGIME_PARTS, RegimeRecord
from qingdan.ingest.units import clean

_PART_WORDS = {
    "对象": "objects",
    "内容": "content",
    "方式": "methods",
    "措施": "measures",
    "程序": "procedure",
    "处理": "handling",
}
_WORD = "|".join(_PART_WORDS)
_PART = re.compile(
    rf"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)]?\s*[、.．]?)?\s*(?:监督检查|监督|检查|监管)?"
    rf"(?P<a>{_WORD})(?:及(?:监督检查)?(?P<b>{_WORD}))?\s*[。.：:]?\s*$"
)
MAX_HEADING = 100
_REGIME = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<matter>.+?)\s*$")
_SECTION_START = re.compile(r"事中事后(监管|监督管理)")
_SECTION_END = re.compile(r"登记表|公共服务事项|职责边界|部门职责|权力清单")


def part_fields(heading: str) -> list[str]:
    """The regime fields a heading names: 「（三）监督检查方式及程序」 → [methods, procedure]."""
    # a heading is short; the bound keeps the pattern's adjacent \s* from going quadratic
    match = _PART.match(heading) if len(heading) <= MAX_HEADING else None
    if not match:
        return []
    return [_PART_WORDS[w] for w in (match.group("a"), match.group("b")) if w]


def regimes_in_prose(paragraphs: list[Paragraph]) -> list[RegimeRecord]:
    """Regimes written as numbered prose under a 事中事后监管制度 heading."""
    regimes: list[RegimeRecord] = []
    inside, regime = False, None
    fields: list[str] = []
    for para in paragraphs:
        text = para.text.strip()
        if _SECTION_START.search(text) and len(text) < 40:
            inside, regime, fields = True, None, []
            continue
        if not inside:
            continue
        if _SECTION_END.search(text) and len(text) < 40:
            inside = False
            continue
        if part_fields(text):
            fields = part_fields(text)
        elif _REGIME.match(text):
            regime, fields = RegimeRecord(matter=_REGIME.match(text).group("matter"), pos=para.pos), []  # type: ignore[union-attr]
            regimes.append(regime)
        elif regime is not None and fields:
            for name in fields:
                append_part(regime, name, text)
    return [r for r in regimes if sum(bool(getattr(r, p)) for p in REGIME_PARTS) >= 2]


def regimes_in_pairs(rows: list[list[str]], heading: str, pos: SourcePos) -> list[RegimeRecord]:
    """One regime from two-column rows 「一、监督检查对象 | …」, named by the heading above."""
    matter = re.sub(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*", "", clean(heading)) or "事中事后监管"
    regime = RegimeRecord(matter=matter, pos=pos)
    for row in rows:
        texts = [clean(t) for t in row if clean(t)]
        for name in part_fields(texts[0]):
            append_part(regime, name, texts[1])
    return [regime]


def append_part(regime: RegimeRecord, name: str, text: str) -> None:
    """Add a paragraph to one of a regime's six parts."""
    old = getattr(regime, name)
    setattr(regime, name, f"{old}\n{text}" if old else text)


def _key(matter: str) -> str:
    return re.sub(r"[\s\u3000。.，,]", "", matter)


def merge_regimes(table: list[RegimeRecord], prose: list[RegimeRecord]) -> list[RegimeRecord]:
    """The table's regimes, their blank parts filled from the same regime in prose, then the
    regimes that only the prose has."""
    by_key = {_key(r.matter): r for r in prose}
    for regime in table:
        twin = by_key.pop(_key(regime.matter), None)
        if twin is None:
            continue
        for part in REGIME_PARTS:
            if not getattr(regime, part):
                setattr(regime, part, getattr(twin, part))
    return [*table, *by_key.values()]
