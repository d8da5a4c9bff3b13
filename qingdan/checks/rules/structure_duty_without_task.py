"""主要职责没有具体工作事项."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register

# 「完成区委、区政府交办的其他任务」 has nothing to break down
_CATCH_ALL = re.compile(r"交办的?其他|其他.{0,6}交办")


@register
class DutyWithoutTask(Check):
    id = "structure.duty-without-task"
    severity = WARNING
    title = "主要职责没有具体工作事项"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for i, duty in enumerate(context.record.duties):
            if any(t.text.strip() for t in duty.tasks) or _CATCH_ALL.search(duty.text):
                continue
            yield self.finding(
                Location.duty(i),
                "这项主要职责没有列出任何具体工作事项，无法据此分工和追责",
                duty.text,
                "把职责分解为具体工作事项，并写明每项的责任科室",
            )
