"""LegalCitation parsing: 《title》 and the articles (第N条) that follow it in a basis text."""

from __future__ import annotations

import re

_CITATION = re.compile(
    r"《(?P<title>[^《》]{2,120})》"
    r"(?P<tail>(?:\s*[（(][^（）()]{0,40}[）)])?(?:\s*[、和及,，]?\s*第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?)*)"
)
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?")


def parse_citations(text: str) -> list[tuple[str, str]]:
    """(title, article) pairs in order; article is '' when the text cites the whole law.

    >>> parse_citations("《中华人民共和国道路交通安全法》第四十八条、第九十二条")
    [('中华人民共和国道路交通安全法', '第四十八条'), ('中华人民共和国道路交通安全法', '第九十二条')]
    """
    found: list[tuple[str, str]] = []
    for match in _CITATION.finditer(text or ""):
        title = " ".join(match.group("title").split())
        articles = _ARTICLE.findall(match.group("tail"))
        for pair in [(title, a) for a in articles] or [(title, "")]:
            if pair not in found:
                found.append(pair)
    return found
