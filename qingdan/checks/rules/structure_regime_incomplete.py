"""事中事后监管制度缺少组成部分: 对象, 内容, 方式, 措施, 程序, 处理."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord, Location
from qingdan.checks.context import REGIME_FIELDS, CheckContext
from qingdan.checks.registry import register


@register
class RegimeIncomplete(Check):
    id = "structure.regime-incomplete"
    severity = WARNING
    title = "监管制度缺少组成部分"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for i, regime in enumerate(context.record.supervision):
            missing = [label for name, label in REGIME_FIELDS if not getattr(regime, name).strip()]
            if missing:
                yield self.finding(
                    Location.regime(i),
                    f"监管制度「{regime.matter}」缺少：{'、'.join(missing)}",
                    regime.matter,
                    "补齐监督检查的对象、内容、方式、措施、程序和处理六个部分",
                )
