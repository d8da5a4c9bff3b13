"""具体工作事项没有责任科室."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import ERROR, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register


@register
class TaskWithoutUnit(Check):
    id = "structure.task-without-unit"
    severity = ERROR
    title = "具体工作事项没有责任科室"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for i, duty in enumerate(context.record.duties):
            for j, task in enumerate(duty.tasks):
                if task.text.strip() and not task.units:
                    yield self.finding(
                        Location.task(i, j),
                        "这项具体工作事项没有写明责任科室",
                        task.text,
                        "在「责任科室」栏写明承担这项工作的内设机构",
                    )
