"""Phone numbers as lists write them: several in one cell, full-width digits, area codes in
brackets, extensions (2269700转8001)."""

from __future__ import annotations

import re

_FULL_WIDTH = str.maketrans("０１２３４５６７８９－（）", "0123456789-()")
_SEPARATORS = re.compile(r"[\n\r、，,；;/／|]+|\s{2,}")
_AREA_IN_BRACKETS = re.compile(r"^\((0\d{2,3})\)\s*-?\s*")
_PHONE = re.compile(
    r"^(?:0\d{2,3}-?)?\d{7,8}(?:(?:转|-|ext\.?)\d{1,6})?$|^1[3-9]\d{9}$|^\d{3,6}$|^400-?\d{3}-?\d{4}$"
)


def normalize_phone(text: str) -> str:
    """「（0731）2115518」 → 「0731-2115518」; full-width digits become ASCII."""
    text = text.translate(_FULL_WIDTH).strip()
    text = _AREA_IN_BRACKETS.sub(lambda m: f"{m.group(1)}-", text)
    return re.sub(r"\s+", "", text)


def split_phones(text: str) -> list[str]:
    """Every phone number in a cell, normalised, in order, without repeats."""
    phones: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        phone = normalize_phone(part)
        if phone and phone not in phones:
            phones.append(phone)
    return phones


def is_phone(text: str) -> bool:
    """True when the whole cell is one or more phone numbers (so 备注 holding a phone is read as one)."""
    phones = split_phones(text)
    return bool(phones) and all(_PHONE.match(p) for p in phones)
