"""职责边界里没有本部门."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.departments import refers_to
from qingdan.checks.registry import register


@register
class BoundaryWithoutOwnDepartment(Check):
    id = "structure.boundary-without-own"
    severity = WARNING
    title = "职责边界没有本部门的分工"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for i, boundary in enumerate(context.record.boundaries):
            names = [s.department for s in boundary.shares]
            if not names or any(refers_to(n, context.department, context.jurisdiction) for n in names):
                continue
            yield self.finding(
                Location.boundary(i),
                f"职责边界「{boundary.matter}」的相关部门（{'、'.join(names)}）中没有本部门",
                boundary.matter,
                "写明本部门在这项事项中的职责分工；与本部门无关的，从本清单删去",
            )
