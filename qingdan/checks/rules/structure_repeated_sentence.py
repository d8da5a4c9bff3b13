"""一个单元格里同一句话出现两次 (a row pasted twice into one cell)."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register
from qingdan.checks.text import same_key, sentences

SHORTEST = 10  # 「负责。」 repeated is style; a long sentence repeated is a paste


@register
class RepeatedSentence(Check):
    id = "structure.repeated-sentence"
    severity = WARNING
    title = "同一格内句子重复"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for passage in context.texts():
            seen: set[str] = set()
            reported: set[str] = set()
            for sentence in sentences(passage.text):
                key = same_key(sentence)
                if len(key) < SHORTEST:
                    continue
                if key in seen and key not in reported:
                    reported.add(key)
                    yield self.finding(
                        passage.where,
                        "同一格内这句话出现了不止一次，像是重复粘贴",
                        sentence,
                        "删去重复的句子；如本应是另一句，补上正确的内容",
                    )
                seen.add(key)
