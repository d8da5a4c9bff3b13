"""修改过的法律: a cited law amended after the list's version was published, as the law registry
(``qingdan.laws``) records it."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import INFO, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register


@register
class AmendedLawCited(Check):
    id = "law.amended"
    severity = INFO
    title = "所引法律法规在清单发布后修改过"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        from qingdan.laws.services import laws_cited

        published = context.published
        if published is None:
            return
        citations = list(context.citations())
        laws = laws_cited({c.title for c in citations})
        for citation in citations:
            law = laws.get(citation.title)
            if law is None or law.repealed_on is not None:
                continue
            later = [a for a in law.amendments.all() if a.adopted_on > published]
            if not later:
                continue
            changes = "；".join(
                f"{a.adopted_on} {a.name or '修改'}"
                + (f"（{a.effective_on} 起施行）" if a.effective_on else "")
                for a in later
            )
            yield self.finding(
                citation.passage.where,
                f"《{citation.title}》在本版清单发布（{published}）之后修改过：{changes}",
                f"《{citation.title}》",
                "按现行文本核对所引条款的序号和内容，必要时修订清单",
            )
