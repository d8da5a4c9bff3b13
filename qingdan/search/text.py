"""Chinese text for search: normalisation (traditional → simplified, full-width → ASCII),
jieba segmentation with a user dictionary learned from the registry, and query understanding
(question words and filler dropped, abbreviations expanded, places recognised).

Segmentation is jieba's algorithm and dictionary as implemented in Rust (rjieba, the binding of
jieba-rs): it loads in a tenth of a second and cuts some forty times faster than the Python
jieba, which decides both the import time of one list and the index time of a province."""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rjieba

_LOCK = threading.Lock()
_LEARNED: set[str] = set()

# Asked, not searched for: these say what the person wants (a unit, a phone), not the matter.
QUESTION_WORDS = (
    "请问",
    "我想",
    "我要",
    "想要",
    "需要",
    "应该",
    "该去",
    "去哪",
    "哪里",
    "哪儿",
    "在哪",
    "哪个",
    "哪些",
    "哪家",
    "什么",
    "怎么",
    "如何",
    "怎样",
    "是否",
    "可以",
    "能不能",
    "找谁",
    "归谁",
    "谁管",
    "谁负责",
    "谁",
    "找",
    "管理",
    "负责",
    "办理",
    "去办",
    "部门",
    "单位",
    "科室",
    "股室",
    "电话",
    "联系方式",
    "号码",
    "多少",
    "咨询",
    "吗",
    "呢",
    "啊",
    "吧",
    "的",
    "了",
    "是",
    "有",
    "给",
    "帮",
    "我",
    "一下",
    "管",
    "归",
    "办",
)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    data = json.loads((Path(__file__).with_name("synonyms.json")).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def normalize(text: str) -> str:
    """Full-width → ASCII, traditional → simplified, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return str(_t2s().convert(text)).lower()


def learn(words: set[str]) -> None:
    """Add registry terms (departments, units, matters) to jieba's dictionary, once each."""
    with _LOCK:
        for word in words - _LEARNED:
            if 2 <= len(word) <= 20 and not _PUNCT.search(word):
                rjieba.add_word(word, 2000, None)
        if words - _LEARNED:
            _tokens.cache_clear()
        _LEARNED.update(words)


def tokens(text: str) -> list[str]:
    """Index tokens: jieba's search-mode words (long words and their parts), without punctuation."""
    return list(_tokens(text))


@lru_cache(maxsize=200_000)
def _tokens(text: str) -> tuple[str, ...]:
    # cached: a duty's text and a department's name recur on every task of the duty
    return tuple(w for w in rjieba.cut_for_search(normalize(text)) if w.strip() and not _PUNCT.fullmatch(w))


def chars(text: str) -> list[str]:
    """Single CJK characters and ASCII words: the fallback that answers 盐 or 抗震."""
    return [c for c in re.findall(r"[\u4e00-\u9fff]|[a-z0-9]+", normalize(text))]


@dataclass
class Query:
    text: str
    words: list[str] = field(default_factory=list)  # what to match
    expansions: list[str] = field(default_factory=list)  # synonyms of what was asked
    jurisdiction: str = ""  # a place named in the query
    # departments whose items are left out: the abolished ones, unless history is asked for
    excluded_departments: frozenset[int] = frozenset()

    @property
    def all_words(self) -> list[str]:
        return list(dict.fromkeys(self.words + self.expansions))


def understand(text: str, places: list[str]) -> Query:
    """Split a question into the words to match, their synonyms and a place it names."""
    norm = normalize(text)
    query = Query(text=text)
    for place in sorted(places, key=len, reverse=True):
        short = _short_place(place)
        for name in (place, short):
            if name and name in norm:
                query.jurisdiction = place
                norm = norm.replace(name, " ")
                break
        if query.jurisdiction:
            break
    for key, values in synonyms().items():
        if key in norm:
            query.expansions.extend(values)
    words = [w for w in rjieba.cut(norm) if w.strip() and not _PUNCT.fullmatch(w)]
    query.words = [w for w in words if w not in QUESTION_WORDS] or words
    return query


def _short_place(place: str) -> str:
    """石家庄市鹿泉区 → 鹿泉区: people name the smallest unit."""
    match = re.search(r"[^省市州盟]{2,6}(?:县|区|旗|市)$", place)
    return match.group() if match and match.group() != place else ""


def warm() -> None:
    """Load the dictionary and OpenCC now (before gunicorn forks), not on the first query."""
    rjieba.cut("预热")
    normalize("預熱")


def highlighted(text: str, words: list[str], escape: Callable[[str], str], start: str, end: str) -> str:
    """``text`` escaped with ``escape``, every occurrence of the words (longest first, never
    overlapping) wrapped in ``start``/``end``: <mark> for the portal, rich markup for the CLI."""
    spans: list[tuple[int, int]] = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        at = text.find(word)
        while at >= 0:
            stop = at + len(word)
            if not any(a < stop and at < b for a, b in spans):
                spans.append((at, stop))
            at = text.find(word, stop)
    pieces, last = [], 0
    for a, b in sorted(spans):
        pieces += [escape(text[last:a]), start, escape(text[a:b]), end]
        last = b
    return "".join([*pieces, escape(text[last:])])
