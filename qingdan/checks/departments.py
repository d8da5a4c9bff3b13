"""Does a name in a boundary cell mean the list's own department? 区科工局 means
石家庄市鹿泉区科学技术和工业信息化局; 「发改、科工、文化等区直专项资金业务主管部门」 includes it."""

from __future__ import annotations

import re

from qingdan.checks.places import segments

_SUFFIX = re.compile(r"(?:委员会|办公室|管理局|局|委|办|厅|部|中心)$")
_LEVEL_PREFIX = re.compile(r"^(?:本|全)?[省市县区]")
_PARTS = re.compile(r"[、，,和及与/／]")


def core(name: str, jurisdiction: str) -> str:
    """科学技术和工业信息化局 → 科学技术和工业信息化; 区科工局 → 科工."""
    for place in sorted({jurisdiction, *segments(jurisdiction)} - {""}, key=len, reverse=True):
        if name.startswith(place):
            name = name[len(place) :]
            break
    name = _LEVEL_PREFIX.sub("", name) if len(name) > 3 else name
    return _SUFFIX.sub("", name)


def abbreviates(short: str, full: str) -> bool:
    """科工 abbreviates 科学技术和工业信息化: same first character, the rest in order."""
    if len(short) < 2 or not full or short[0] != full[0]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def refers_to(name: str, department: str, jurisdiction: str) -> bool:
    """True when ``name`` (a cell of 相关部门) is, or includes, ``department``."""
    own = core(department, jurisdiction)
    if department in name or (len(own) >= 2 and own in name):
        return True
    candidates = [name]
    if "等" in name:
        candidates = [p for p in _PARTS.split(name.split("等", 1)[0]) if p]
    return any(c == own or abbreviates(core(c, jurisdiction), own) for c in candidates)
