"""同一项主要职责写了两次."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register
from qingdan.checks.text import same_key


@register
class DuplicateDuty(Check):
    id = "structure.duplicate-duty"
    severity = WARNING
    title = "主要职责重复"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        first: dict[str, int] = {}
        for i, duty in enumerate(context.record.duties):
            key = same_key(duty.text)
            if not key:
                continue
            if key in first:
                yield self.finding(
                    Location.duty(i),
                    f"与{Location.duty(first[key]).label} 相同",
                    duty.text,
                    "删去重复的一项，把两处的具体工作事项合并到一处",
                )
            else:
                first[key] = i
