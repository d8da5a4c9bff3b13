"""撤销的机构: 工商局, 安监局, 文广新局 … named as if they still existed after the 2018–2019 reforms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord
from qingdan.checks.context import CheckContext, Passage
from qingdan.checks.data import DefunctAgency, defunct_agencies
from qingdan.checks.registry import register
from qingdan.checks.text import clause, in_titles, inside

# 「原工商局」「根据原县工商局」 name the old body on purpose; 「太原市工商局」 does not
_FORMER = re.compile(r"(.?)原[省市县区]?$")
# 太原, 平原, 中原, 高原, 草原, 固原, 清原, 开原, 镇原, 五原, 九原
_BEFORE_YUAN_IN_PLACES = "太平中高草固清开镇五九"


@register
class DefunctAgencyNamed(Check):
    id = "agency.defunct"
    severity = WARNING
    title = "已撤销的机构"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for passage in context.texts():
            by_clause: dict[str, list[tuple[str, DefunctAgency]]] = {}
            for start, name, agency in agencies_in(passage.text):
                quoted = clause(passage.text, start, start + len(name))
                by_clause.setdefault(quoted, []).append((name, agency))
            for quoted, hits in by_clause.items():
                yield self._finding(passage, quoted, hits)

    def _finding(self, passage: Passage, quoted: str, hits: list[tuple[str, DefunctAgency]]) -> FindingRecord:
        parts = [
            f"「{name}」已在机构改革中撤销（{agency.date} 起；{agency.note}），职责现属{agency.successor}"
            for name, agency in dict.fromkeys(hits)
        ]
        fixes = "、".join(dict.fromkeys(f"「{name}」→「{agency.successor}」" for name, agency in hits))
        severities = [agency.severity for _, agency in hits if agency.severity]
        severity = None if len(severities) < len(hits) else severities[0]
        return self.finding(
            passage.where,
            "；".join(parts),
            quoted,
            f"按本地机构改革方案改为现在的机构名称：{fixes}",
            severity=severity,
        )


def agencies_in(text: str) -> list[tuple[int, str, DefunctAgency]]:
    """(position, name, agency) of each defunct agency named outside 《》, longest names first."""
    titles = in_titles(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, DefunctAgency]] = []
    names = sorted(((n, a) for a in defunct_agencies() for n in a.names), key=lambda p: -len(p[0]))
    for name, agency in names:
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if inside(titles, start, end) or any(a < end and start < b for a, b in taken):
                continue
            if _former(text[:start]) or _excepted(text, start, end, agency):
                continue
            taken.append((start, end))
            found.append((start, name, agency))
    return sorted(found, key=lambda f: f[0])


def _former(before: str) -> bool:
    match = _FORMER.search(before)
    if match is None:
        return False
    return not (match.group(1) and match.group(1) in _BEFORE_YUAN_IN_PLACES)


def _excepted(text: str, start: int, end: int, agency: DefunctAgency) -> bool:
    for longer in agency.exceptions:
        offset = longer.find(text[start:end])
        if offset >= 0 and start >= offset and text.startswith(longer, start - offset):
            return True
    return False
