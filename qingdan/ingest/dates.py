"""Dates as people write them in tables: one parser for every import (staff rosters, laws)."""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMS = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[T ].*)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(text: str) -> dt.date | None:
    """2027-06-30, 2027/6/30, 2027.6.30, 2027年6月30日, 20270630, or an Excel day number."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９／－．", "0123456789/-."))
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number (1927–2173)
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    return None
