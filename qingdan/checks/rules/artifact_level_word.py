"""模板替换痕迹: 市场 written 区场/县场 because a city's list was copied with 市 replaced by 区/县."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qingdan.checks.base import ERROR, Check, FindingRecord
from qingdan.checks.context import CheckContext, Passage
from qingdan.checks.data import table
from qingdan.checks.registry import register
from qingdan.checks.text import clause


@register
class LevelWordArtifact(Check):
    id = "artifact.level-word"
    severity = ERROR
    title = "模板替换痕迹"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        for passage in context.texts():
            yield from self._in(passage)

    def _in(self, passage: Passage) -> Iterator[FindingRecord]:
        text = passage.text
        by_clause: dict[str, list[tuple[str, str]]] = {}
        for start, artifact, word in artifacts_in(text):
            by_clause.setdefault(clause(text, start, start + len(artifact)), []).append((artifact, word))
        for quoted, hits in by_clause.items():
            pairs = "、".join(dict.fromkeys(f"「{a}」应为「{w}」" for a, w in hits))
            fixed = quoted
            for artifact, word in hits:
                fixed = fixed.replace(artifact, word)
            yield self.finding(
                passage.where,
                f"{pairs}：像是复制上级模板时把「市」整体替换成了本级的字",
                quoted,
                f"改为「{fixed}」",
            )


def artifacts_in(text: str) -> Iterator[tuple[int, str, str]]:
    """(position, artifact, the word it stands for) for every artifact not inside a real word."""
    data = table("artifacts")
    for entry in data["words"]:
        for artifact in entry["artifacts"]:
            start = text.find(artifact)
            while start >= 0:
                if not _legitimate(text, start, artifact, data):
                    yield start, artifact, entry["word"]
                start = text.find(artifact, start + 1)


def _legitimate(text: str, start: int, artifact: str, data: dict[str, Any]) -> bool:
    """社区场所, 全县场馆: a place word ends at the level character and a venue word begins after it."""
    level_end = start + 1
    after_place = any(text.endswith(w, 0, level_end) for w in data["place_words"])
    venue = any(text.startswith(w, level_end) for w in data["venue_words"])
    if after_place and venue:
        return True
    for word in data["allowed"]:
        offset = word.find(artifact)
        if offset >= 0 and text.startswith(word, start - offset) and start >= offset:
            return True
    return False
