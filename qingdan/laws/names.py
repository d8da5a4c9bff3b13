"""How citations name laws and articles: 《中华人民共和国合同法》 = 《合同法》, 第四十一条 = 41."""

from __future__ import annotations

import re

_PREFIX = re.compile(r"^中华人民共和国")
_BRACKETS = str.maketrans({"(": "（", ")": "）", "<": "〈", ">": "〉", "《": "", "》": ""})
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")


def law_key(name: str) -> str:
    """The form a name is matched in: no spaces, no 中华人民共和国 prefix, full-width brackets.

    >>> law_key("《中华人民共和国 合同法》") == law_key("合同法")
    True
    """
    return _PREFIX.sub("", "".join(name.split()).translate(_BRACKETS))


def chinese_number(text: str) -> int | None:
    """四十一 → 41, 一百零五 → 105, 十 → 10, 41 → 41; None when it is not a number.

    >>> [chinese_number(t) for t in ("四十一", "一百零五", "十", "十二", "二百", "41", "千")]
    [41, 105, 10, 12, 200, 41, 1000]
    """
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def article_number(article: str) -> int | None:
    """第四十一条 → 41 (the first article named), None when no article is named."""
    match = _ARTICLE.search(article or "")
    return chinese_number(match.group(1)) if match else None


def chinese_numeral(number: int) -> str:
    """41 → 四十一, 105 → 一百零五, 10 → 十 (as articles are numbered in Chinese law).

    >>> [chinese_numeral(n) for n in (1, 10, 12, 20, 41, 100, 105, 110, 1260)]
    ['一', '十', '十二', '二十', '四十一', '一百', '一百零五', '一百一十', '一千二百六十']
    """
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            out += ("零" if zero and out else "") + digits[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def article_label(number: int) -> str:
    """41 → 第四十一条."""
    return f"第{chinese_numeral(number)}条"
