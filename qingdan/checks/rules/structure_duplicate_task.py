"""同一项具体工作事项写了两次: a warning within one duty, a hint across duties."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import INFO, WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register
from qingdan.checks.text import same_key


@register
class DuplicateTask(Check):
    id = "structure.duplicate-task"
    severity = WARNING
    title = "具体工作事项重复"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        first: dict[str, tuple[int, int]] = {}
        for i, duty in enumerate(context.record.duties):
            for j, task in enumerate(duty.tasks):
                key = same_key(task.text)
                if not key:
                    continue
                if key not in first:
                    first[key] = (i, j)
                    continue
                earlier = Location.task(*first[key])
                same_duty = first[key][0] == i
                yield self.finding(
                    Location.task(i, j),
                    f"与{earlier.label} 相同" + ("" if same_duty else "（在另一项主要职责下）"),
                    task.text,
                    "删去重复的一项"
                    if same_duty
                    else "确认两项职责下的工作确实相同；不同的，写明各自针对的行业或对象",
                    severity=WARNING if same_duty else INFO,
                )
