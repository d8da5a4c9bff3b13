"""同一个职责边界事项登记了两次."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register
from qingdan.checks.text import same_key
from qingdan.ingest.records import BoundaryRecord


@register
class DuplicateBoundary(Check):
    id = "structure.duplicate-boundary"
    severity = WARNING
    title = "职责边界事项重复"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        first: dict[str, int] = {}
        boundaries = context.record.boundaries
        for i, boundary in enumerate(boundaries):
            key = same_key(boundary.matter)
            if key in first:
                earlier = first[key]
                differ = _shares(boundaries[earlier]) != _shares(boundary)
                yield self.finding(
                    Location.boundary(i),
                    f"与{Location.boundary(earlier).label} 的管理事项相同"
                    + ("，两处的相关部门或职责分工不一致" if differ else ""),
                    boundary.matter,
                    "合并为一条，核对各部门的职责分工以哪一处为准",
                )
            elif key:
                first[key] = i


def _shares(boundary: BoundaryRecord) -> list[tuple[str, str]]:
    return [(same_key(s.department), same_key(s.division)) for s in boundary.shares]
