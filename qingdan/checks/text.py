"""Small text helpers the checks share: quoting a clause, spans in 《》, sentences, sameness."""

from __future__ import annotations

import re

_CLAUSE_STOPS = "。；;！？!?\n，,"
_SENTENCE_STOPS = re.compile(r"[。；;！？!?\n]")
_TITLE = re.compile(r"《[^《》]*》")
_NOISE = re.compile(r"[\s\u3000。．.，,；;：:、]+")
_BLANK = " \t\r\n\u3000\xa0"


def clause(text: str, start: int, end: int, limit: int = 40) -> str:
    """The clause around text[start:end], cut at punctuation and to about ``limit`` characters."""
    left = max(text.rfind(stop, 0, start) for stop in _CLAUSE_STOPS) + 1
    rights = [i for i in (text.find(stop, end) for stop in _CLAUSE_STOPS) if i >= 0]
    right = min(rights, default=len(text))
    head = tail = ""
    if right - left > limit:
        room = max(limit - (end - start), 0)
        new_left = max(left, start - room // 2)
        new_right = min(right, end + room - (start - new_left))
        head = "…" if new_left > left else ""
        tail = "…" if new_right < right else ""
        left, right = new_left, new_right
    return head + text[left:right].strip(_BLANK) + tail


def in_titles(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》: the name of a document is quoted as it was, not a claim of the list."""
    return [m.span() for m in _TITLE.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def sentences(text: str) -> list[str]:
    return [s.strip(_BLANK) for s in _SENTENCE_STOPS.split(text) if s.strip(_BLANK)]


def same_key(text: str) -> str:
    """What makes two entries the same entry: the words, not spacing or punctuation."""
    return _NOISE.sub("", text)
