"""废止的法律: a basis that cites a law no longer in force (合同法 after 2021-01-01 …)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from qingdan.checks.base import ERROR, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.data import law_key, laws
from qingdan.checks.registry import register


@register
class RepealedLawCited(Check):
    id = "law.repealed"
    severity = ERROR
    title = "引用已废止的法律法规"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        today = date.today()
        for citation in context.citations():
            fate = laws().get(law_key(citation.title))
            ends = fate and (fate.effective or fate.date)
            if fate is None or not fate.gone or (ends and ends > today):
                continue
            if fate.replaced_by:
                message = f"《{citation.title}》已于 {ends} 废止，由《{fate.replaced_by}》取代"
                suggestion = f"改引《{fate.replaced_by}》的相应条款，并核对这项依据是否仍然成立"
            else:
                message = f"《{citation.title}》已于 {ends} 废止"
                suggestion = "删去这项依据，或改引现行有效的法律法规"
            if fate.note:
                message += f"（{fate.note}）"
            yield self.finding(citation.passage.where, message, f"《{citation.title}》", suggestion)
