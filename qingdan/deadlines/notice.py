"""Read the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知) into days.

Only reads: the text becomes a ``ParsedNotice`` with each holiday and 调休 working day and the line
it came from; ``services.import_notice`` writes them. A numbered line such as

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。

gives holidays (the range before 放假) and working days (the dates before 上班). Full-width
digits, 周X / 星期X / 农历 annotations, ranges with or without the month, across months and across
the new year are understood. A weekday annotation that does not match the date, a count (共N天)
that does not match the range, or a numbered line without dates is refused, naming the line.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from qingdan.errors import QingdanError

ITEM = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.]\s*([^:]{1,30}?)\s*:\s*(.+)$")
DATE = re.compile(r"(?:(\d{4})\s*年)?\s*(?:(\d{1,2})\s*月)?\s*(\d{1,2})\s*日\s*(?:\(([^)]*)\))?")
WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
YEAR_IN_TITLE = re.compile(r"关于\s*(\d{4})\s*年.{0,6}节假日")
DOCUMENT_NUMBER = re.compile(r"国办发(?:明电)?\s*〔\s*\d{4}\s*〕\s*\d+\s*号")
SIGNED_ON = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
TOTAL = re.compile(r"共\s*(\d+)\s*天")


class NoticeError(QingdanError):
    """The notice text cannot be read; the message names the line."""


@dataclass(frozen=True)
class ParsedDay:
    date: dt.date
    kind: str  # "holiday" or "workday"
    name: str
    line: int


@dataclass
class ParsedNotice:
    year: int
    title: str
    document_number: str
    published_on: dt.date | None
    days: list[ParsedDay] = field(default_factory=list)

    def holidays(self) -> list[ParsedDay]:
        return [d for d in self.days if d.kind == "holiday"]

    def workdays(self) -> list[ParsedDay]:
        return [d for d in self.days if d.kind == "workday"]


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """The days a notice announces; ``year`` when the text does not say it (or to overrule it)."""
    originals = text.splitlines()
    lines = [unicodedata.normalize("NFKC", line) for line in originals]
    found_year = year or _year(lines)
    notice = ParsedNotice(found_year, _title(lines), _document_number(lines), _signed_on(lines))
    seen: dict[dt.date, ParsedDay] = {}
    for number, (line, original) in enumerate(zip(lines, originals, strict=True), start=1):
        match = ITEM.match(line)
        if not match or not DATE.search(match.group(3)):
            if match and ("放假" in line or "上班" in line):
                raise NoticeError(
                    _at(number, original, "写了放假或上班，但没有看懂日期（应如「1月1日至3日放假」）")
                )
            continue
        for day in _item_days(found_year, match.group(2).strip(), match.group(3), number, original):
            if (earlier := seen.get(day.date)) and earlier.kind != day.kind:
                raise NoticeError(_at(number, original, f"{day.date} 在第 {earlier.line} 行已列为另一类日子"))
            seen[day.date] = day
    if not seen:
        raise NoticeError("通知中没有找到放假安排：应有「一、元旦：1月1日放假……」这样编号的行。")
    notice.days = sorted(seen.values(), key=lambda d: d.date)
    return notice


def _at(number: int, line: str, problem: str) -> str:
    shown = line.strip()
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return f"第 {number} 行「{shown}」：{problem}。"


def _year(lines: list[str]) -> int:
    for line in lines[:10]:
        if match := YEAR_IN_TITLE.search(line):
            return int(match.group(1))
    raise NoticeError("通知中找不到年份（如「关于2026年部分节假日安排的通知」）：请指定年份。")


def _title(lines: list[str]) -> str:
    for line in lines[:10]:
        if "节假日安排" in line:
            return line.strip()[:200]
    return ""


def _document_number(lines: list[str]) -> str:
    for line in lines[:15]:
        if match := DOCUMENT_NUMBER.search(line):
            return re.sub(r"\s+", "", match.group(0))
    return ""


def _signed_on(lines: list[str]) -> dt.date | None:
    for line in reversed(lines):
        if match := SIGNED_ON.match(line):
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                return None
    return None


def _item_days(year: int, name: str, rest: str, number: int, line: str) -> list[ParsedDay]:
    days: list[ParsedDay] = []
    month: list[int] = []  # the month the last date named, for 「至3日」
    for sentence in re.split(r"[。;；]", rest):
        if "放假" in sentence:
            holiday_part = sentence.split("放假")[0]
            dates = _dates(year, holiday_part, month, number, line)
            first, last = _range(dates, holiday_part, number, line)
            span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            if (total := TOTAL.search(sentence)) and int(total.group(1)) != len(span):
                raise NoticeError(
                    _at(number, line, f"写明共{total.group(1)}天，但 {first} 至 {last} 是 {len(span)} 天")
                )
            days += [ParsedDay(day, "holiday", name, number) for day in span]
        if "上班" in sentence:
            work_part = sentence.split("上班")[0]
            if "放假" in work_part:
                work_part = work_part.split("放假", 1)[1]
            dates = _dates(year, work_part, month, number, line)
            if not dates:
                raise NoticeError(_at(number, line, "写了上班，但没有看懂是哪几天"))
            days += [ParsedDay(day, "workday", name, number) for day, _ in dates]
    return days


def _dates(year: int, text: str, month: list[int], number: int, line: str) -> list[tuple[dt.date, int]]:
    """Each date in the text with its position; a date without a month takes the previous one's."""
    found: list[tuple[dt.date, int]] = []
    for match in DATE.finditer(text):
        explicit_year, month_text, day_text, note = match.groups()
        if month_text:
            month[:] = [int(month_text)]
        if not month:
            raise NoticeError(_at(number, line, f"「{match.group(0).strip()}」没有写月份"))
        the_year = int(explicit_year) if explicit_year else year
        try:
            day = dt.date(the_year, month[0], int(day_text))
            if not explicit_year and day.month == 12 and _stated_weekday(note) == _weekday_a_year_before(day):
                day = day.replace(year=year - 1)  # 「12月31日（周三）」 of the year before, in the 元旦 line
        except ValueError:
            raise NoticeError(_at(number, line, f"「{match.group(0).strip()}」不是有效日期")) from None
        _check_weekday(day, note or "", match.group(0).strip(), number, line)
        found.append((day, match.start()))
    return found


def _stated_weekday(note: str | None) -> int | None:
    match = WEEKDAY.search(note or "")
    return WEEKDAYS[match.group(1)] if match else None


def _weekday_a_year_before(day: dt.date) -> int:
    return day.replace(year=day.year - 1).weekday()


def _check_weekday(day: dt.date, note: str, shown: str, number: int, line: str) -> None:
    stated = _stated_weekday(note)
    if stated is not None and stated != day.weekday():
        said, actual = "一二三四五六日"[stated], "一二三四五六日"[day.weekday()]
        raise NoticeError(
            _at(number, line, f"「{shown}」标注为周{said}，但 {day} 是周{actual}：年份或日期是否有误")
        )


def _range(dates: list[tuple[dt.date, int]], text: str, number: int, line: str) -> tuple[dt.date, dt.date]:
    if len(dates) == 1:
        return dates[0][0], dates[0][0]
    if len(dates) == 2 and "至" in text[dates[0][1] : dates[1][1]]:
        first, last = dates[0][0], dates[1][0]
        if last < first and first.month > last.month:
            # 「12月31日至1月2日」 in a notice for the new year: the range starts the year before
            first = first.replace(year=first.year - 1)
        if last < first:
            raise NoticeError(_at(number, line, f"放假结束日 {last} 早于开始日 {first}"))
        return first, last
    raise NoticeError(_at(number, line, "放假日期应是一天，或「某日至某日」"))
