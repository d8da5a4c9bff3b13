"""Phone numbers as lists write them: several in one cell, full-width digits, area codes in
brackets or set off by a space, extensions (2269700转8001) and ranges (2269700～2269705)."""

from __future__ import annotations

import re
import unicodedata

# between phones; a single space is decided token by token (「0731 2269700」 is one phone)
_SEPARATORS = re.compile(r"[\n\r、,，;；/／|｜\\]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63]")
_AREA_IN_BRACKETS = re.compile(r"[(（]\s*(0\d{2,3})\s*[)）]\s*-?\s*")
# 「0731 - 2269700」, 「2269700 转 8001」, 「2269700 ～ 2269705」: the joiner binds its neighbours
_JOINER = re.compile(r"(-|转|分机|~|〜|至)")
_AREA = re.compile(r"0\d{2,3}")
_DIGIT = re.compile(r"\d")
_LOCAL = re.compile(r"\d{7,8}(?:(?:-|转|分机)\d{1,6})?")

_EXTENSION = r"(?:(?:转|-|分机|ext\.?)\d{1,6})?"
_RANGE = r"(?:[~〜至]\d{1,8})?"
_PHONE = re.compile(
    rf"(?:0\d{{2,3}}-)?\d{{7,8}}{_EXTENSION}{_RANGE}"  # 0731-2269700, 2269700转8001
    r"|0\d{9,11}"  # 07312269700: area code written without its hyphen
    r"|(?:\+?86-?)?1[3-9]\d{9}"  # mobile
    r"|[48]00-?\d{3}-?\d{4}"  # 400/800 hotlines
    r"|1\d{2}|1\d{4}|9[56]\d{3}",  # 110, 12345, 95588
    re.IGNORECASE,
)


def normalize_phone(text: str) -> str:
    """「（０７３１）２１１５５１８」 → 「0731-2115518」: ASCII digits, area code joined by a hyphen."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    text = _AREA_IN_BRACKETS.sub(lambda m: f"{m.group(1)}-", text.strip())
    return _bind_joiners(text)


def _bind_joiners(text: str) -> str:
    """Drop the space around each joiner. Split rather than a pattern with \\s* on both sides,
    which rescans a long run of spaces from each of its positions (quadratic)."""
    pieces = _JOINER.split(text)  # text, joiner, text, joiner, …, text
    if len(pieces) == 1:
        return text
    texts = [p.strip() for p in pieces[0::2]]
    texts[0], texts[-1] = pieces[0].rstrip(), pieces[-1].lstrip()
    return "".join(t + j for t, j in zip(texts, [*pieces[1::2], ""], strict=True))


def split_phones(text: str) -> list[str]:
    """Every phone number in a cell, normalised, in order, without repeats.

    Parts without a digit (「无」, 「—」) are dropped: a phone column holds nothing else worth keeping.
    """
    phones: list[str] = []
    for token in _all_tokens(text):
        if _DIGIT.search(token) and token not in phones:
            phones.append(token)
    return phones


def _all_tokens(text: str) -> list[str]:
    parts = _SEPARATORS.split(unicodedata.normalize("NFKC", text or ""))
    return [token for part in parts for token in _tokens(normalize_phone(part))]


def _tokens(part: str) -> list[str]:
    """Split a part on spaces, except between an area code and its number or inside a mobile."""
    tokens = part.split()
    found: list[str] = []
    i = 0
    while i < len(tokens):
        token, following = tokens[i], tokens[i + 1 : i + 3]
        if _AREA.fullmatch(token) and following and _LOCAL.fullmatch(following[0]):
            found.append(f"{token}-{following[0]}")
            i += 2
        elif len(token) == 3 and len(following) == 2 and _PHONE.fullmatch(token + "".join(following)):
            found.append(token + "".join(following))  # 139 0731 0000
            i += 3
        else:
            found.append(token)
            i += 1
    return found


def is_phone(text: str) -> bool:
    """True when the whole cell is one or more phone numbers (so 备注 holding a phone is read as one)."""
    tokens = _all_tokens(text)
    return bool(tokens) and all(_PHONE.fullmatch(t) for t in tokens)
