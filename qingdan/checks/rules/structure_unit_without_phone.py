"""科室没有联系电话."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import INFO, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register


@register
class UnitWithoutPhone(Check):
    id = "structure.unit-without-phone"
    severity = INFO
    title = "科室没有联系电话"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        # 「各科室」 is every unit, not one to call
        units = [(k, u) for k, u in enumerate(context.record.units) if not u.name.startswith("各")]
        missing = [(k, u) for k, u in units if not u.phones]
        if not missing:
            return
        if len(missing) == len(units):
            yield self.finding(
                Location.whole_list(),
                "清单没有列出任何科室的联系电话，群众无法据此联系",
                "、".join(u.name for _, u in units),
                "增加「联系方式」栏，写明每个科室的办公电话",
            )
            return
        for k, unit in missing:
            yield self.finding(
                Location.unit(k, unit.name),
                f"科室「{unit.name}」没有联系电话，而其他科室有",
                unit.name,
                "写明这个科室的办公电话",
            )
