"""Place names: the segments of a jurisdiction's name and the level it governs."""

from __future__ import annotations

import re

_SEGMENT = re.compile(
    r"[\u4e00-\u9fa5]{1,10}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|旗|区)"
)


def segments(name: str) -> list[str]:
    """石家庄市鹿泉区 → [石家庄市, 鹿泉区]."""
    return _SEGMENT.findall(name)


def level(jurisdiction: str) -> str:
    """县 or 区 when the list's own words would be 全县 / 全区; '' otherwise (a city, a province)."""
    if jurisdiction.endswith("县"):
        return "县"
    if jurisdiction.endswith("区") and not jurisdiction.endswith(("自治区", "地区", "特别行政区")):
        return "区"
    return ""


def own_names(jurisdiction: str) -> set[str]:
    """The jurisdiction, its ancestors and its own short name: 石家庄市鹿泉区, 石家庄市, 鹿泉区."""
    return {jurisdiction, *segments(jurisdiction)} - {""}


def names_of_other(jurisdiction: str, own: set[str]) -> list[str]:
    """How a list would name another jurisdiction, leaving out the ones that are ours."""
    parts = segments(jurisdiction)
    forms = {jurisdiction}
    if parts and len(parts[-1]) >= 3:
        forms.add(parts[-1])
    return sorted((f for f in forms if f not in own), key=len, reverse=True)
