"""Naming rules shared by every format: splitting a cell into unit or department names, and
reading the jurisdiction and department from a document's own words."""

from __future__ import annotations

import re

_BLANK = " \t\r\n\u3000\xa0\ufeff"

# Separators between names in one cell, outside brackets.
_NAME_SEPARATORS = "\n、，,；;/／"
_OPEN, _CLOSE = "（(〔[【<《", "）)〕]】>》"


def clean(text: str) -> str:
    """Strip every line and drop empty ones: Word's padding and U+3000 fill cells are noise."""
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    lines = (line.strip(_BLANK) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def split_names(text: str) -> list[str]:
    """Several unit or department names in one cell: 「运行一科\\n运行二科」, 「县科技局、工商局」.

    A collective such as 「发改、科工、文化等区直专项资金业务主管部门」 stays one name: the
    parts before 等 are not departments of their own.
    """
    text = clean(text)
    if not text:
        return []
    if "等" in text and not text.endswith("等"):
        return [" ".join(text.split())]
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if depth <= 0 and ch in _NAME_SEPARATORS:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
    names.append("".join(current))
    seen: list[str] = []
    for name in (n.strip(_BLANK + "。.") for n in names):
        if name and name not in seen:
            seen.append(name)
    return seen


_PUBLIC_INSTITUTION = re.compile(r"[（(]\s*事业单位\s*[）)]")


def unit_kind(name: str) -> tuple[str, str]:
    """(name without the marker, kind): 「散装水泥办公室（事业单位）」 → (散装水泥办公室, 事业单位)."""
    if _PUBLIC_INSTITUTION.search(name):
        return _PUBLIC_INSTITUTION.sub("", name).strip(_BLANK), "事业单位"
    return name, "内设机构"


_LEVEL = "省|自治区|特别行政区|市|自治州|州|地区|盟|自治县|县|自治旗|旗|林区|新区|高新区|开发区|区"
_SEGMENT = re.compile(rf"[\u4e00-\u9fa5]{{1,8}}?(?:{_LEVEL})")
NOT_PLACES = ("城市", "市场", "都市", "超市", "社区", "园区", "景区", "小区", "山区", "辖区", "灾区")


def jurisdiction_of(department: str) -> str:
    """The jurisdiction a department's name starts with: 湘阴县科技局 → 湘阴县.

    Takes the longest run of place segments (石家庄市鹿泉区科学技术和工业信息化局 →
    石家庄市鹿泉区) and refuses words that only end like a place (市场, 城市).
    """
    end = 0
    while True:
        match = _SEGMENT.match(department, end)
        if not match or any(word in match.group() for word in NOT_PLACES):
            break
        end = match.end()
    place = department[:end]
    return place if place and place != department else ""


_DEPARTMENT_PATTERNS = (
    re.compile(
        r"部门名称\s*[（(]?\s*(?:盖章|公章)?\s*[）)]?\s*[：:]?\s*(?P<name>[\u4e00-\u9fa5（）()]{3,40})"
    ),
    re.compile(r"^单位\s*[：:]\s*(?P<name>[\u4e00-\u9fa5]{3,40}?)\s*(?:[（(]\s*(?:公章|盖章)\s*[）)])?$"),
    re.compile(r"^(?P<name>[\u4e00-\u9fa5]{3,40}?)(?:部门)?(?:责任清单|权责清单|权力清单|职责清单)"),
)


def department_in(line: str) -> str:
    """A department name stated in a heading line, or ''."""
    line = clean(line).replace(" ", "")
    for pattern in _DEPARTMENT_PATTERNS:
        match = pattern.search(line)
        if match:
            name = match.group("name").strip("（）()")
            if name.endswith(("局", "委", "办", "厅", "院", "会", "部", "署", "中心", "委员会", "政府")):
                return name
    return ""
