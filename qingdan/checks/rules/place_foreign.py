"""别处的地名: another jurisdiction of the registry named in this list, as when a neighbour's list
was copied."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.places import names_of_other, own_names
from qingdan.checks.registry import register
from qingdan.checks.text import clause


@register
class ForeignPlaceName(Check):
    id = "place.foreign"
    severity = WARNING
    title = "出现其他地区的名称"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        own = own_names(context.jurisdiction)
        named = {form: j for j in context.other_jurisdictions for form in names_of_other(j, own)}
        if not named:
            return
        # one pattern, longest names first: a registry of a whole province has thousands of places
        pattern = re.compile("|".join(re.escape(f) for f in sorted(named, key=len, reverse=True)))
        for passage in context.texts():
            for match in pattern.finditer(passage.text):
                yield self.finding(
                    passage.where,
                    f"出现其他地区「{named[match.group()]}」的名称，而本清单属于{context.jurisdiction}",
                    clause(passage.text, *match.span()),
                    "如是照搬其他地区的清单，改为本地区的名称和机构；确属跨地区事项的，可忽略",
                )
