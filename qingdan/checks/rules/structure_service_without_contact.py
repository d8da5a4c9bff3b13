"""公共服务事项没有承办科室或电话."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register


@register
class ServiceWithoutContact(Check):
    id = "structure.service-without-contact"
    severity = WARNING
    title = "公共服务事项没有承办科室或电话"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        record = context.record
        for i, service in enumerate(record.services):
            unit_phones = [p for name in service.units if (u := record.unit(name)) for p in u.phones]
            missing = [
                label
                for label, empty in (
                    ("承办科室", not service.units),
                    ("联系电话", not (service.phones or unit_phones)),
                )
                if empty
            ]
            if missing:
                yield self.finding(
                    Location.service(i),
                    f"公共服务事项没有{'和'.join(missing)}，群众不知道找谁",
                    service.name,
                    f"写明{'和'.join(missing)}",
                )
