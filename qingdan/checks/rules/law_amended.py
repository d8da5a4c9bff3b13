"""修改过的法律: a cited law amended after the list's version was published."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import INFO, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.data import law_key, laws
from qingdan.checks.registry import register


@register
class AmendedLawCited(Check):
    id = "law.amended"
    severity = INFO
    title = "所引法律法规在清单发布后修改过"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        published = context.published
        if published is None:
            return
        for citation in context.citations():
            fate = laws().get(law_key(citation.title))
            later = [a for a in fate.amendments if a.date > published] if fate and not fate.gone else []
            if not later:
                continue
            changes = "；".join(
                f"{a.date} {a.name or '修改'}" + (f"（{a.effective} 起施行）" if a.effective else "")
                for a in later
            )
            yield self.finding(
                citation.passage.where,
                f"《{citation.title}》在本版清单发布（{published}）之后修改过：{changes}",
                f"《{citation.title}》",
                "按现行文本核对所引条款的序号和内容，必要时修订清单",
            )
