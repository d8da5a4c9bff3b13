"""电话号码格式不对."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register
from qingdan.ingest.phones import is_phone


@register
class MalformedPhone(Check):
    id = "structure.malformed-phone"
    severity = WARNING
    title = "电话号码格式不对"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        record = context.record
        owners = [(Location.unit(k, u.name), u.phones) for k, u in enumerate(record.units)]
        owners += [(Location.service(i), s.phones) for i, s in enumerate(record.services)]
        owners += [(Location.power(i), p.phones) for i, p in enumerate(record.powers)]
        for where, phones in owners:
            for phone in phones:
                if not is_phone(phone):
                    yield self.finding(
                        where,
                        f"「{phone}」不像电话号码（应为 7–8 位本地号码、带区号的号码、手机或服务热线）",
                        phone,
                        "核对号码的位数和区号，例如 0731-2269700",
                    )
