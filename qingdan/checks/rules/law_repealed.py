"""废止的法律: a basis that cites a law no longer in force (合同法 after 2021-01-01 …), as the law
registry (``qingdan.laws``) records it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from qingdan.checks.base import ERROR, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register


@register
class RepealedLawCited(Check):
    id = "law.repealed"
    severity = ERROR
    title = "引用已废止的法律法规"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        from qingdan.laws.services import laws_cited

        today = date.today()
        citations = list(context.citations())
        laws = laws_cited({c.title for c in citations})
        for citation in citations:
            law = laws.get(citation.title)
            ends = law.repealed_on if law else None
            if law is None or ends is None or ends > today:
                continue
            if law.successor is not None:
                message = f"《{citation.title}》已于 {ends} 废止，由《{law.successor.title}》取代"
                suggestion = f"改引《{law.successor.title}》的相应条款，并核对这项依据是否仍然成立"
            else:
                message = f"《{citation.title}》已于 {ends} 废止"
                suggestion = "删去这项依据，或改引现行有效的法律法规"
            if law.note:
                message += f"（{law.note}）"
            yield self.finding(citation.passage.where, message, f"《{citation.title}》", suggestion)
