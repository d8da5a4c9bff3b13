"""The deadline engine and the official work calendar: working versus calendar days, the start day
not counted, a calendar-day period ending on a rest day moving to the next working day, years
without calendar data marked 不确定, the State Council's notices read into days, administrators'
edits recomputing the open deadlines, and the same answers from the CLI and the API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingdan.cli import main
from qingdan.core import outbox
from qingdan.core.models import AuditEntry, PendingWork
from qingdan.core.permissions import COMMAND_LINE, Actor, PermissionDenied
from qingdan.deadlines import recompute
from qingdan.deadlines.calendars import build, current, package_data
from qingdan.deadlines.engine import Calendar, PeriodError, uncovered_warning
from qingdan.deadlines.models import CalendarDay, DeadlineRule, HolidayNotice
from qingdan.deadlines.notice import NoticeError, parse_notice
from qingdan.deadlines.services import import_notice, remove_day, save_rule, set_day
from qingdan.deadlines.shipped import load_rules, shipped_rules
from qingdan.errors import NotFound, QingdanError

NOTICES = Path(__file__).parent / "data" / "notices"
D = dt.date


def notice_text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def package() -> Calendar:
    """The calendar of the maintained package alone (no database)."""
    from qingdan.deadlines.engine import from_sources

    days, years = package_data()
    return from_sources(days, years, [], [])


# -- the engine, on the package's calendar ---------------------------------------------------------


def test_design_example_five_working_days_over_national_day(package):
    assert package.due(D(2026, 9, 29), 5, "working").date == D(2026, 10, 12)
    # the naive Mon–Fri count says 10-06
    assert Calendar.weekends_only().due(D(2026, 9, 29), 5, "working").date == D(2026, 10, 6)


def test_the_start_day_is_not_counted(package):
    # Monday 2026-11-02: one working day later is Tuesday, one calendar day later too
    assert package.due(D(2026, 11, 2), 1, "working").date == D(2026, 11, 3)
    assert package.due(D(2026, 11, 2), 1, "calendar").date == D(2026, 11, 3)
    assert package.due(D(2026, 11, 2), 0, "working").date == D(2026, 11, 2)


def test_a_calendar_period_ending_on_a_rest_day_moves_to_the_next_working_day(package):
    # ends on Saturday 2026-11-21 → Monday
    assert package.due(D(2026, 11, 20), 1, "calendar").date == D(2026, 11, 23)
    # ends on 2026-10-05, inside National Day (10-01…10-07) → Thursday 10-08
    assert package.due(D(2026, 9, 20), 15, "calendar").date == D(2026, 10, 8)
    # ends on Saturday 2026-10-10, a 调休 working day: it stays
    assert package.due(D(2026, 9, 30), 10, "calendar").date == D(2026, 10, 10)


def test_working_days_skip_holidays_and_count_make_up_saturdays(package):
    # from Friday 2026-02-13: 02-14 (调休 Saturday) is the first working day; 02-15…02-23 holidays
    assert package.due(D(2026, 2, 13), 1, "working").date == D(2026, 2, 14)
    assert package.due(D(2026, 2, 13), 2, "working").date == D(2026, 2, 24)
    assert package.is_working_day(D(2026, 10, 10)) and not package.is_working_day(D(2026, 10, 5))


def test_months_keep_the_day_number_and_the_rest_day_rule(package):
    # six months to 2026-07-15 (Wednesday)
    assert package.due(D(2026, 1, 15), 6, "month").date == D(2026, 7, 15)
    # 01-31 + 1 month → 02-28, a 调休 Saturday (a working day): it stays
    assert package.due(D(2026, 1, 31), 1, "month").date == D(2026, 2, 28)
    # 2025-03-31 + 2 months → 2025-05-31, 端午节 Saturday → Tuesday 06-03
    assert package.due(D(2025, 3, 31), 2, "month").date == D(2025, 6, 3)


def test_the_half_year_report_is_due_at_the_end_of_january_or_july(package):
    assert package.due(D(2026, 3, 10), 1, "half_year").date == D(2026, 7, 31)
    assert package.due(D(2025, 11, 1), 1, "half_year").date == D(2026, 1, 31)  # a Saturday: fixed


def test_a_year_without_calendar_data_is_computed_from_weekends_and_marked_uncertain(package):
    result = package.due(D(2026, 12, 20), 10, "working")
    assert result.uncertain
    assert result.warnings == ["2027 年的节假日安排尚未录入，到期日按周末推算，可能不准确"]
    assert result.date == D(2027, 1, 1)  # weekends only: 1 January is not yet known as a holiday
    certain = package.due(D(2026, 11, 1), 10, "working")
    assert not certain.uncertain and certain.warnings == []
    assert not package.covered(2027) and package.covered(2004) and package.covered(2026)


def test_pauses_are_not_counted(package):
    plain = package.due(D(2026, 11, 2), 10, "working").date  # Monday → 11-16
    assert plain == D(2026, 11, 16)
    # a pause over Wednesday–Friday 11-04…11-06 (3 working days) pushes the end 3 working days on
    assert package.due(D(2026, 11, 2), 10, "working", [(D(2026, 11, 4), D(2026, 11, 6))]).date == D(
        2026, 11, 19
    )
    # a pause after the end changes nothing
    assert package.due(D(2026, 11, 2), 10, "working", [(D(2026, 12, 1), D(2026, 12, 5))]).date == plain
    # calendar days: 30 days plus a 10-day pause, then the rest-day rule
    assert package.due(D(2026, 11, 2), 30, "calendar", [(D(2026, 11, 10), D(2026, 11, 19))]).date == D(
        2026, 12, 14
    )
    with pytest.raises(PeriodError):
        package.due(D(2026, 11, 2), 1, "working", [(D(2026, 11, 9), D(2026, 11, 4))])


def test_bad_periods_are_refused(package):
    with pytest.raises(PeriodError):
        package.due(D(2026, 1, 1), -1, "working")
    with pytest.raises(PeriodError):
        package.due(D(2026, 1, 1), 3, "weeks")


# -- the property: the engine against a day-by-day reference ---------------------------------------


def reference_due(start: dt.date, n: int, unit: str) -> dt.date:
    """The simplest possible reading of the rules, one day at a time, on chinese_calendar itself."""
    import chinese_calendar

    day = start
    if unit == "working":
        while n:
            day += dt.timedelta(days=1)
            n -= chinese_calendar.is_workday(day)
        return day
    day = start + dt.timedelta(days=n)
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


COVERED = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 9, 30))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=COVERED, n=st.integers(min_value=0, max_value=60), unit=st.sampled_from(["working", "calendar"]))
def test_the_engine_agrees_with_a_day_by_day_count(package, start, n, unit):
    result = package.due(start, n, unit)
    assert result.date == reference_due(start, n, unit)
    assert result.uncertain == (result.date.year > 2026)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=COVERED,
    n=st.integers(min_value=1, max_value=40),
    first=st.integers(1, 30),
    length=st.integers(0, 20),
)
def test_a_pause_is_the_same_as_not_counting_its_days(package, start, n, first, length):
    pause = (start + dt.timedelta(days=first), start + dt.timedelta(days=first + length))
    got = package.due(start, n, "working", [pause]).date
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if not pause[0] <= day <= pause[1]:
            left -= package.is_working_day(day)
    assert got == day


# -- the State Council's notices ---------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_real_notices_give_the_packages_days(year):
    parsed = parse_notice(notice_text(year))
    assert parsed.year == year and "节假日安排" in parsed.title
    days, _ = package_data()
    theirs = {(day, kind) for day, (kind, _) in days.items() if day.year == year}
    assert {(d.date, d.kind) for d in parsed.days} == theirs


def test_the_notices_facts_are_read():
    parsed = parse_notice(notice_text(2025))
    assert parsed.document_number == "国办发明电〔2024〕12号"
    assert parsed.published_on == D(2024, 11, 12)
    national = [d for d in parsed.days if d.name == "国庆节、中秋节"]
    assert [d.date for d in national if d.kind == "holiday"] == [D(2025, 10, i) for i in range(1, 9)]
    assert {d.date for d in national if d.kind == "workday"} == {D(2025, 9, 28), D(2025, 10, 11)}
    assert parse_notice(notice_text(2026)).published_on == D(2025, 11, 4)


def test_ranges_across_months_and_years_full_width_digits_and_星期():
    text = (
        "国务院办公厅关于2019年部分节假日安排的通知\n"
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
        "二、国庆节：９月２９日（周日）至１０月６日（周日）放假调休，共８天。\n"
    )
    parsed = parse_notice(text)
    assert [d.date for d in parsed.holidays()][:3] == [D(2018, 12, 30), D(2018, 12, 31), D(2019, 1, 1)]
    assert [d.date for d in parsed.workdays()] == [D(2018, 12, 29)]
    assert parsed.holidays()[-1].date == D(2019, 10, 6) and len(parsed.holidays()) == 11


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("一、元旦：1月1日（周三）至3日（周六）放假调休，共3天。", "标注为周三，但 2026-01-01 是周四"),
        ("一、元旦：1月1日（周四）至3日（周六）放假调休，共4天。", "写明共4天"),
        ("一、元旦：元月初一放假。", "没有看懂日期"),
        ("一、元旦：2日至3日放假。", "没有写月份"),
        ("一、元旦：2月30日放假。", "不是有效日期"),
        ("一、元旦：1月3日至1月1日放假。", "早于开始日"),
    ],
)
def test_bad_notice_text_is_refused_naming_the_line(line, problem):
    with pytest.raises(NoticeError) as caught:
        parse_notice(f"国务院办公厅关于2026年部分节假日安排的通知\n\n{line}\n")
    assert caught.value.message.startswith("第 3 行「一、元旦") and problem in caught.value.message


def test_a_notice_without_year_or_items_is_refused():
    with pytest.raises(NoticeError, match="找不到年份"):
        parse_notice("一、元旦：1月1日放假。")
    assert parse_notice("一、元旦：1月1日（周四）放假。", year=2026).days[0].date == D(2026, 1, 1)
    with pytest.raises(NoticeError, match="没有找到放假安排"):
        parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n现通知如下。")


# -- the calendar in the database: notices, administrators' days, recomputation -----------------------


@pytest.fixture
def recomputed():
    """A fake of the cases app's recompute function: records the years it was asked about."""
    calls: list[set[int]] = []

    def fake(years: set[int]) -> int:
        calls.append(years)
        return 7

    recompute.register(fake)
    yield calls
    recompute.unregister(fake)


@pytest.mark.django_db
def test_an_administrators_day_wins_and_recomputes_every_open_deadline(recomputed):
    assert current().due(D(2026, 9, 29), 5, "working").date == D(2026, 10, 12)
    set_day(COMMAND_LINE, D(2026, 10, 12), "holiday", "防汛")
    assert list(PendingWork.objects.values_list("kind", "key")) == [("deadlines", 2026)]
    assert outbox.settle() == 1 and recomputed == [{2026}]
    assert current().due(D(2026, 9, 29), 5, "working").date == D(2026, 10, 13)
    set_day(COMMAND_LINE, D(2026, 10, 5), "workday", "补班")  # a package holiday made a working day
    # 09-30, 10-05, 10-08, 10-09, then Saturday 10-10 (a 调休 working day)
    assert current().due(D(2026, 9, 29), 5, "working").date == D(2026, 10, 10)
    remove_day(COMMAND_LINE, D(2026, 10, 12))
    remove_day(COMMAND_LINE, D(2026, 10, 5))
    assert current().due(D(2026, 9, 29), 5, "working").date == D(2026, 10, 12)
    assert outbox.settle() == 3 and recomputed[-1] == {2026}
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["calendar_day_set", "calendar_day_set", "calendar_day_remove", "calendar_day_remove"]
    with pytest.raises(NotFound):
        remove_day(COMMAND_LINE, D(2026, 10, 1))  # a package day cannot be removed


@pytest.mark.django_db
def test_a_failed_recompute_stays_owed(recomputed):
    def broken(years: set[int]) -> int:
        raise RuntimeError("cases database away")

    recompute.register(broken)
    try:
        set_day(COMMAND_LINE, D(2027, 1, 1), "holiday", "元旦")
        outbox.settle()
    finally:
        recompute.unregister(broken)
    row = PendingWork.objects.get(kind=PendingWork.DEADLINES)
    assert row.key == 2027 and row.attempts == 1 and "cases database away" in row.last_error
    assert outbox.settle() == 1 and recomputed[-1] == {2027}


@pytest.mark.django_db
def test_a_notice_covers_its_year_and_replaces_the_packages_days(recomputed):
    calendar = current()
    assert not calendar.covered(2027)
    text = notice_text(2026).replace("2026年", "2027年").replace("2025年", "2026年")
    # 2027's weekdays differ: the annotations no longer match, so the notice is refused
    with pytest.raises(NoticeError, match="标注为"):
        import_notice(COMMAND_LINE, text)
    text_2027 = (
        "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    )
    preview = import_notice(COMMAND_LINE, text_2027, dry_run=True)
    assert [change[0] for change in preview.changes] == [D(2027, 1, 1)]
    assert HolidayNotice.objects.count() == 0 and not PendingWork.objects.exists()
    done = import_notice(COMMAND_LINE, text_2027)
    assert done.notice is not None and done.notice.year == 2027
    calendar = current()
    assert calendar.covered(2027) and calendar.coverage(2027) == "notice"
    assert not calendar.is_working_day(D(2027, 1, 1))
    assert not calendar.due(D(2026, 12, 30), 3, "working").uncertain
    assert calendar.due(D(2026, 12, 30), 3, "working").date == D(2027, 1, 5)  # 12-31, 01-04, 01-05
    assert outbox.settle() == 1 and recomputed[-1] == {2027}
    entry = AuditEntry.objects.get(action="calendar_notice")
    assert entry.after["year"] == 2027 and entry.after["holidays"] == 3


@pytest.mark.django_db
def test_an_amended_notice_replaces_the_earlier_one_but_not_an_administrators_day():
    set_day(COMMAND_LINE, D(2026, 10, 8), "holiday", "管理员设定")
    import_notice(COMMAND_LINE, notice_text(2026))
    assert CalendarDay.objects.filter(source="notice").count() == 33 + 6
    # the amended notice moves National Day: 10-08 is named, but the administrator's row stays
    amended = notice_text(2026).replace(
        "10月1日（周四）至7日（周三）放假调休，共7天", "10月1日（周四）至8日（周四）放假调休，共8天"
    )
    result = import_notice(COMMAND_LINE, amended)
    assert result.kept == [D(2026, 10, 8)]
    assert CalendarDay.objects.get(date=D(2026, 10, 8)).source == "admin"
    assert CalendarDay.objects.filter(source="notice").count() == 33 + 6
    assert HolidayNotice.objects.count() == 2


@pytest.mark.django_db
def test_only_an_administrator_edits_the_calendar():
    filler = Actor("张三", "filler")
    for attempt in (
        lambda: set_day(filler, D(2026, 1, 5), "holiday", "x"),
        lambda: remove_day(filler, D(2026, 1, 5)),
        lambda: import_notice(filler, notice_text(2026)),
        lambda: save_rule(filler, "payment", days=20),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not CalendarDay.objects.exists() and not AuditEntry.objects.exists()
    with pytest.raises(QingdanError, match="类别"):
        set_day(COMMAND_LINE, D(2026, 1, 5), "weekend")


def test_the_cached_calendar_is_rebuilt_when_the_table_changes(db):
    first = current()
    assert current() is first
    CalendarDay.objects.create(date=D(2026, 11, 2), kind="holiday", name="直接写入")
    second = current()
    assert second is not first and not second.is_working_day(D(2026, 11, 2))
    assert build().is_working_day(D(2026, 11, 2)) is False


# -- the rules as data ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shipped_rules_are_loaded_and_an_administrators_edit_is_kept():
    assert DeadlineRule.objects.count() == len(shipped_rules()) >= 15
    hearing = DeadlineRule.objects.get(code="hearing-request")
    assert (hearing.days, hearing.unit) == (5, "working") and "第六十四条" in hearing.basis
    assert DeadlineRule.objects.get(code="decision").unit == "calendar"
    save_rule(COMMAND_LINE, "case-filing", unit="working", note="本部门规定为工作日")
    DeadlineRule.objects.filter(code="payment").delete()
    assert load_rules() == 1
    assert DeadlineRule.objects.get(code="case-filing").unit == "working"
    entry = AuditEntry.objects.get(action="deadline_rule_save")
    assert entry.before["period_unit"] == "calendar" and entry.after["period_unit"] == "working"
    with pytest.raises(QingdanError, match="期限单位"):
        save_rule(COMMAND_LINE, "payment", unit="weeks")
    with pytest.raises(NotFound):
        save_rule(COMMAND_LINE, "no-such-rule", days=3)


# -- the CLI and the API ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_due_prints_the_json_the_issue_asks_for():
    runner = CliRunner()
    done = runner.invoke(main, ["calendar", "due", "2026-09-29", "5", "--working", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == {"due": "2026-10-12", "warnings": []}
    later = runner.invoke(main, ["calendar", "due", "2026-12-20", "10", "--working", "--json"])
    assert json.loads(later.stdout) == {"due": "2027-01-01", "warnings": [uncovered_warning(2027)]}
    text = runner.invoke(main, ["calendar", "due", "2026-12-20", "10", "--working"])
    assert "2027-01-01 到期（不确定）" in text.stdout and uncovered_warning(2027) in text.stderr
    assert uncovered_warning(2027) not in text.stdout
    calendar_days = runner.invoke(main, ["calendar", "due", "2026-09-20", "15", "--calendar", "--json"])
    assert json.loads(calendar_days.stdout)["due"] == "2026-10-08"
    no_unit = runner.invoke(main, ["calendar", "due", "2026-09-20", "15"])
    assert no_unit.exit_code == 1 and "--working" in no_unit.stderr
    bad_date = runner.invoke(main, ["calendar", "due", "2026-13-01", "5", "--working"])
    assert bad_date.exit_code == 1 and "起算日「2026-13-01」不是日期" in bad_date.stderr


@pytest.mark.django_db
def test_cli_notice_show_set_unset(tmp_path):
    runner = CliRunner()
    path = tmp_path / "2026.txt"
    path.write_text(notice_text(2026), encoding="utf-8")
    dry = runner.invoke(main, ["calendar", "notice", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "预览（未写入）" in dry.stdout and not HolidayNotice.objects.exists()
    stored = runner.invoke(main, ["calendar", "notice", "-"], input=notice_text(2026))
    assert stored.exit_code == 0 and "已录入" in stored.stdout, stored.output
    shown = json.loads(runner.invoke(main, ["calendar", "show", "2026", "--json"]).stdout)
    assert shown["source"] == "notice" and len(shown["holidays"]) == 33 and len(shown["workdays"]) == 6
    assert runner.invoke(main, ["calendar", "set", "2027-02-01", "--holiday", "测试"]).exit_code == 0
    shown = json.loads(runner.invoke(main, ["calendar", "show", "2027", "--json"]).stdout)
    assert shown["covered"] is False and shown["warnings"] == [uncovered_warning(2027)]
    assert shown["holidays"] == [{"date": "2027-02-01", "name": "测试", "source": "admin"}]
    both = runner.invoke(main, ["calendar", "set", "2027-02-01", "--holiday", "a", "--workday", "b"])
    assert both.exit_code == 1
    assert runner.invoke(main, ["calendar", "unset", "2027-02-01"]).exit_code == 0
    assert not CalendarDay.objects.filter(date=D(2027, 2, 1)).exists()
    bad = runner.invoke(
        main,
        ["calendar", "notice", "-"],
        input="国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周三）放假。",
    )
    assert bad.exit_code == 1 and "第 2 行" in bad.stderr
    rules = runner.invoke(main, ["calendar", "rules", "--json"])
    assert any(rule["code"] == "payment" for rule in json.loads(rules.stdout))
    edited = runner.invoke(main, ["calendar", "rule", "payment", "--days", "20"])
    assert edited.exit_code == 0 and DeadlineRule.objects.get(code="payment").days == 20


@pytest.mark.django_db
def test_api_due_and_year(client):
    got = client.get("/api/v1/calendar/due", {"start": "2026-09-29", "n": 5, "unit": "working"}).json()
    assert got == {"due": "2026-10-12", "warnings": [], "uncertain": False}
    later = client.get("/api/v1/calendar/due", {"start": "2026-12-20", "n": 10, "unit": "working"}).json()
    assert later["uncertain"] and later["warnings"] == [uncovered_warning(2027)]
    assert (
        client.get("/api/v1/calendar/due", {"start": "2026-09-29", "n": 5, "unit": "weeks"}).status_code
        == 422
    )
    assert (
        client.get("/api/v1/calendar/due", {"start": "2026-02-30", "n": 5, "unit": "working"}).status_code
        == 422
    )
    year = client.get("/api/v1/calendar/2026").json()
    assert year["covered"] and year["source"] == "package" and len(year["workdays"]) == 6
    assert client.get("/api/v1/calendar/3000").status_code == 404
    assert client.post("/api/v1/calendar/days", {"date": "2027-01-01", "kind": "holiday"}).status_code == 401


@pytest.mark.django_db
def test_web_year_view_preview_and_confirm(client):
    from django.contrib.auth import get_user_model

    from qingdan.core.accounts import create_user
    from tests.conftest import password_of

    create_user(COMMAND_LINE, "admin", "admin", None, None, password=password_of("admin"))
    users = get_user_model().objects
    users.create_user("viewer", password=password_of("viewer"))  # signed in, without a role
    assert client.get("/work/calendar/").status_code == 302  # signed out: to the sign-in page
    client.force_login(users.get(username="viewer"))
    page = client.get("/work/calendar/?year=2027").content.decode()
    assert uncovered_warning(2027) in page and "录入国务院节假日安排通知" not in page
    assert (
        client.post("/work/calendar/", {"action": "set", "date": "2027-01-04", "kind": "holiday"}).status_code
        == 403
    )
    client.force_login(users.get(username="admin"))
    text = "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    preview = client.post("/work/calendar/", {"action": "preview", "text": text, "year": "2027"})
    body = preview.content.decode()
    assert preview.status_code == 200 and "预览（未写入）" in body and "确认录入" in body
    assert not HolidayNotice.objects.exists()
    done = client.post("/work/calendar/", {"action": "notice", "text": text, "year": "2027"})
    assert done.status_code == 302 and HolidayNotice.objects.get().year == 2027
    page = client.get("/work/calendar/?year=2027").content.decode()
    assert uncovered_warning(2027) not in page and "国务院通知（管理员录入）" in page
    bad = client.post(
        "/work/calendar/", {"action": "preview", "text": "一、元旦：1月1日放假。", "year": "2027"}
    )
    assert bad.status_code == 400 and "找不到年份" in bad.content.decode()
    desk = client.get("/work/").content.decode()
    assert 'href="/work/calendar/"' in desk
