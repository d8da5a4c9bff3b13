"""别的部门的清单: the document names another department of the registry as its own — its title or
部门名称 line, or a 责任科室 that is really a department — as when a neighbour's list was copied
or a file was imported under the wrong department."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import ERROR, WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register


@register
class ForeignDepartmentList(Check):
    id = "department.foreign"
    severity = ERROR
    title = "清单写明属于另一个部门"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        others = context.other_departments
        stated = context.record.stated_department
        if stated and stated in others:
            yield self.finding(
                Location("部门名称", "department"),
                f"来源文件写明这是「{stated}」的清单，而「{stated}」是登记在册的另一个部门（{others[stated]}）",
                stated,
                f"核对文件是否为{context.department}的清单；确属更名的，记录机构沿革或把旧名称登记为别名",
            )
        for k, unit in enumerate(context.record.units):
            if unit.name in others:
                yield self.finding(
                    Location.unit(k, unit.name),
                    f"责任科室「{unit.name}」是登记在册的另一个部门（{others[unit.name]}），不是本部门的内设机构",
                    unit.name,
                    "改为本部门承担这项工作的科室；如属其他部门的职责，移入职责边界",
                    severity=WARNING,
                )
