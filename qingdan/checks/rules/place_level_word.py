"""本级用语不符: 全县 / 县政府 in a district's list, 全区 / 区政府 in a county's list."""

from __future__ import annotations

from collections.abc import Iterator

from qingdan.checks.base import WARNING, Check, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.data import table
from qingdan.checks.places import level
from qingdan.checks.registry import register
from qingdan.checks.text import clause, in_titles, inside


@register
class WrongLevelWord(Check):
    id = "place.level-word"
    severity = WARNING
    title = "本级用语与地区不符"

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        own = level(context.jurisdiction)
        words: dict[str, list[str]] = table("places")["own_level_words"]
        foreign = [(w, lv) for lv, ws in words.items() if own and lv != own for w in ws]
        for passage in context.texts():
            titles = in_titles(passage.text)
            for word, other in foreign:
                start = passage.text.find(word)
                while start >= 0:
                    if not inside(titles, start, start + len(word)):
                        yield self.finding(
                            passage.where,
                            f"{context.jurisdiction}是{own}，清单却写「{word}」：可能照搬了{other}的清单",
                            clause(passage.text, start, start + len(word)),
                            f"改为「{word.replace(other, own)}」",
                        )
                    start = passage.text.find(word, start + 1)
