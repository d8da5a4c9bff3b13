"""Fine ranges as 裁量基准 tables write them: 「处1万元以上3万元以下罚款」, 「处五千元罚款」,
「警告，并处2000元以上1万元以下罚款」, 「处不满1万元罚款」, 「3万元至5万元」.

以上 and 以下 include the amount written (刑法 第99条, read the same way in 行政处罚 practice);
不满 / 不足 / 低于 / （不含） exclude it: the stored bound is one fen (0.01 元) inside. A range
with only an upper bound (「5万元以下」) starts at 0. Fines as multiples of 违法所得 or 货值
(「1倍以上3倍以下」) have no amount in yuan: the text is kept in ``other``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from qingdan.errors import QingdanError
from qingdan.laws.names import chinese_number

FEN = Decimal("0.01")
_CLAUSES = re.compile(r"[，；;。]|,(?!\d{3})")  # 10,000 is one number
_CHINESE = "零〇一二两三四五六七八九十百千万"
_AMOUNT = re.compile(rf"(\d[\d,]*(?:\.\d+)?|[{_CHINESE}]+)\s*(万|千)?\s*元")
_EXCLUSIVE_BEFORE = ("不满", "不足", "低于", "少于", "未满")
_EXCLUSIVE_AFTER = ("（不含）", "(不含)")
_UPPER_ONLY_BEFORE = ("不超过", "最高", "至多")
_UPPER_ONLY_AFTER = ("以下", "以内", "（含）以下", "(含)以下")
_LOWER_ONLY_AFTER = ("以上", "（含）以上", "(含)以上")
_MULTIPLE = re.compile(r"\d+(?:\.\d+)?\s*倍|[一二两三四五六七八九十]+倍")


@dataclass
class Penalty:
    """What one 处罚幅度 cell says: the fine's bounds in yuan (None where none is written) and the
    other penalties (警告, 没收违法所得, 并处 …) as text."""

    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    other: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def has_fine(self) -> bool:
        return self.min_amount is not None or self.max_amount is not None


def number(text: str) -> Decimal:
    """「1.5」 → 1.5, 「10,000」 → 10000, 「一万五千」 → 15000, 「二十」 → 20; QingdanError otherwise."""
    text = text.replace(",", "")
    if text[:1].isdigit():
        try:
            return Decimal(text)
        except InvalidOperation:
            raise QingdanError(f"「{text}」不是数额") from None
    high, wan, low = text.partition("万")
    if not wan:
        high, low = "", high
    value = Decimal(0)
    if wan:
        head = chinese_number(high) if high else 1
        if head is None:
            raise QingdanError(f"「{text}」不是数额")
        value += Decimal(head) * 10000
    if low:
        tail = chinese_number(low)
        if tail is None:
            raise QingdanError(f"「{text}」不是数额")
        value += tail
    return value


def _yuan(match: re.Match[str]) -> Decimal:
    value = number(match.group(1))
    unit = match.group(2)
    return value * (10000 if unit == "万" else 1000 if unit == "千" else 1)


def parse_penalty(text: str) -> Penalty:
    """The fine range and other penalties of one 处罚幅度 cell; QingdanError (Chinese) when a
    fine is named but its amount cannot be read, or the bounds are reversed."""
    text = unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）")
    result = Penalty()
    others: list[str] = []
    fines = 0
    for clause in (c.strip() for c in _CLAUSES.split(text)):
        if not clause:
            continue
        if "罚款" not in clause or (_MULTIPLE.search(clause) and not _AMOUNT.search(clause)):
            others.append(clause)
            continue
        fines += 1
        if fines > 1:
            others.append(clause)
            result.warnings.append(f"第二处罚款幅度「{clause}」未作为裁量幅度，记入其他处罚")
            continue
        result.min_amount, result.max_amount = fine_range(clause)
        if "可以并处" in clause:
            others.append("可以并处罚款")
        elif "并处" in clause:
            others.append("并处罚款")
    result.other = "；".join(others)
    return result


def fine_range(clause: str) -> tuple[Decimal | None, Decimal | None]:
    """(lower, upper) of the one fine in ``clause``."""
    found = list(_AMOUNT.finditer(clause))
    if not found:
        raise QingdanError(f"「{clause}」写了罚款，但没有写明数额（如 处1万元以上3万元以下罚款）")
    if len(found) > 2:
        raise QingdanError(f"「{clause}」中有 {len(found)} 个数额，无法判断罚款幅度")
    amounts = [_yuan(m) for m in found]
    if len(found) == 2:
        low, high = amounts
        if _before(clause, found[0], ("超过", "高于")) or _after(clause, found[0], _EXCLUSIVE_AFTER):
            low += FEN
        if _before(clause, found[1], _EXCLUSIVE_BEFORE) or _after(clause, found[1], _EXCLUSIVE_AFTER):
            high -= FEN
        if low > high:
            raise QingdanError(f"「{clause}」的下限大于上限")
        return low, high
    (match,), (amount,) = found, amounts
    if _before(clause, match, _EXCLUSIVE_BEFORE):
        return Decimal(0), amount - FEN
    if _before(clause, match, _UPPER_ONLY_BEFORE) or _after(clause, match, _UPPER_ONLY_AFTER):
        return Decimal(0), amount
    if _after(clause, match, _LOWER_ONLY_AFTER):
        return amount, None
    return amount, amount


def _before(clause: str, match: re.Match[str], words: tuple[str, ...]) -> bool:
    return clause[max(0, match.start() - 4) : match.start()].endswith(words)


def _after(clause: str, match: re.Match[str], words: tuple[str, ...]) -> bool:
    return clause[match.end() :].startswith(words)


def yuan_text(amount: Decimal) -> str:
    """30000 → 3万元, 15000 → 1.5万元, 5000 → 5000元, 9999.99 → 9999.99元."""
    if amount >= 10000 and amount % 1000 == 0:
        return f"{(amount / 10000).normalize():f}万元"
    if amount == amount.to_integral():
        return f"{int(amount)}元"
    return f"{amount.normalize():f}元"


def range_text(low: Decimal | None, high: Decimal | None) -> str:
    """The bounds as a person reads them: 「1万元以上3万元以下」, 「5000元」, 「5万元以下」."""
    if low is None and high is None:
        return "未规定罚款"
    if high is None:
        return f"{yuan_text(low or Decimal(0))}以上"
    if not low:
        return f"{yuan_text(high)}以下"
    if low == high:
        return yuan_text(low)
    return f"{yuan_text(low)}以上{yuan_text(high)}以下"
