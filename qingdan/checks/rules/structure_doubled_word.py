"""叠词错误: 「绩效绩效评价」 — a word typed twice."""

from __future__ import annotations

import re
from collections.abc import Iterator

import rjieba

from qingdan.checks.base import INFO, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import register
from qingdan.checks.text import clause

_DOUBLED = re.compile(r"([\u4e00-\u9fa5]{2,4})\1")


@register
class DoubledWord(Check):
    id = "structure.doubled-word"
    severity = INFO
    title = "词语重复"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for passage in context.texts():
            for match in _DOUBLED.finditer(passage.text):
                word = match.group(1)
                # 「创业创新」 holds 「业创业创」, which is no word: only a dictionary word counts
                if not is_word(word):
                    continue
                yield self.finding(
                    passage.where,
                    f"「{word}」连写了两次",
                    clause(passage.text, *match.span()),
                    f"删去一个「{word}」",
                )


def is_word(text: str) -> bool:
    """A word of jieba's dictionary (the same one search segments with)."""
    return bool(rjieba.has_word(text))
