"""``qingdan calendar …``: the due date of a period, a year of the work calendar, entering a notice,
setting or unsetting one day, and the deadline rules. Thin over ``qingdan.deadlines.services``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click


def _cli() -> Any:
    from qingdan import cli

    return cli


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.secho(f"注意（不确定）：{warning}", fg="yellow", err=True)


def _date(value: str, what: str) -> date:
    result: date = _cli()._iso_date(value, what)
    return result


@click.group("calendar")
def calendar_group() -> None:
    """工作日历与期限：计算到期日、查看某年的节假日与调休、录入国务院通知、单独设定某天。"""


@calendar_group.command("due")
@click.argument("start")
@click.argument("n", type=int)
@click.option(
    "--working",
    "unit",
    flag_value="working",
    help="按工作日计算（行政处罚法第八十五条：二日、三日、五日、七日）。",
)
@click.option("--calendar", "unit", flag_value="calendar", help="按自然日计算，末日逢休息日顺延。")
@click.option("--months", "unit", flag_value="month", help="按月计算（如行政诉讼六个月），末日逢休息日顺延。")
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"due": …, "warnings": […]}。')
def calendar_due_command(start: str, n: int, unit: str | None, as_json: bool) -> None:
    """从 START（YYYY-MM-DD，当日不计）起 N 个工作日或自然日的到期日。"""
    _cli()._handle_errors(_due)(start, n, unit, as_json)


def _due(start: str, n: int, unit: str | None, as_json: bool) -> None:
    from qingdan.deadlines.calendars import due
    from qingdan.deadlines.engine import UNIT_LABELS, PeriodError
    from qingdan.errors import QingdanError

    if unit is None:
        raise QingdanError("请用 --working（工作日）或 --calendar（自然日）指明期限单位。")
    begin = _date(start, "起算日")
    try:
        result = due(begin, n, unit)
    except PeriodError as exc:
        raise QingdanError(str(exc)) from None
    if as_json:
        click.echo(_dumps({"due": result.date.isoformat(), "warnings": result.warnings}))
        return
    _warn(result.warnings)
    mark = "（不确定）" if result.uncertain else ""
    click.echo(f"{begin} 起 {n} {UNIT_LABELS[unit]}：{result.date.isoformat()} 到期{mark}")


@calendar_group.command("show")
@click.argument("year", type=int)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def calendar_show_command(year: int, as_json: bool) -> None:
    """某年的放假日和调休上班日，以及数据来自哪里。"""
    _cli()._handle_errors(_show)(year, as_json)


def _show(year: int, as_json: bool) -> None:
    from qingdan.deadlines.services import year_json, year_view

    data = year_json(year_view(year))
    if as_json:
        click.echo(_dumps(data))
        return
    _warn(data["warnings"])
    click.echo(f"{year} 年工作日历：{data['source_label']}")
    for title, rows in (("放假", data["holidays"]), ("调休上班", data["workdays"])):
        click.echo(f"{title}（{len(rows)} 天）：")
        for row in rows:
            click.echo(f"  {row['date']} {row['name']}{'（管理员设定）' if row['source'] == 'admin' else ''}")


@calendar_group.command("notice")
@click.argument("file")
@click.option("--year", type=int, default=None, help="通知的年份（通知标题中没有写明时）。")
@click.option("--dry-run", is_flag=True, help="只显示将要写入的日子，不写入。")
def calendar_notice_command(file: str, year: int | None, dry_run: bool) -> None:
    """录入国务院办公厅节假日安排通知（FILE 为文本文件，- 为标准输入），替换该年的节假日数据（系统管理员）。"""
    _cli()._handle_errors(_notice)(file, year, dry_run)


def _notice(file: str, year: int | None, dry_run: bool) -> None:
    from qingdan.deadlines.services import import_notice
    from qingdan.errors import QingdanError

    if file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise QingdanError(f"{file} 不是 UTF-8 编码的文本文件。") from None
    result = import_notice(_cli()._actor(), text, year, dry_run=dry_run)
    for day, before, after in result.changes:
        click.echo(f"  {day}：{before} → {after}")
    prefix = "预览（未写入）" if dry_run else "已录入"
    click.echo(f"{prefix}：{result.summary()}")


@calendar_group.command("set")
@click.argument("day")
@click.option("--holiday", "holiday", default=None, help="设为休息日，并写明名称（如 国庆节）。")
@click.option("--workday", "workday", default=None, help="设为调休上班日，并写明名称（如 国庆节调休）。")
def calendar_set_command(day: str, holiday: str | None, workday: str | None) -> None:
    """单独设定 DAY（YYYY-MM-DD）为休息日或调休上班日，优先于软件包和通知（系统管理员）。"""
    _cli()._handle_errors(_set)(day, holiday, workday)


def _set(day: str, holiday: str | None, workday: str | None) -> None:
    from qingdan.deadlines.services import set_day
    from qingdan.errors import QingdanError

    if (holiday is None) == (workday is None):
        raise QingdanError("请用 --holiday 名称 或 --workday 名称 二者之一。")
    kind, name = ("holiday", holiday) if holiday is not None else ("workday", workday)
    row = set_day(_cli()._actor(), _date(day, "日期"), kind, name or "")
    click.echo(f"已设定：{row}")


@calendar_group.command("unset")
@click.argument("day")
def calendar_unset_command(day: str) -> None:
    """删除对 DAY 的单独设定，恢复软件包或通知的安排（系统管理员）。"""
    _cli()._handle_errors(_unset)(day)


def _unset(day: str) -> None:
    from qingdan.deadlines.services import remove_day

    the_day = _date(day, "日期")
    remove_day(_cli()._actor(), the_day)
    click.echo(f"已删除对 {the_day} 的单独设定。")


@calendar_group.command("rules")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def calendar_rules_command(as_json: bool) -> None:
    """列出期限规则：期限数、单位和法律依据。"""
    _cli()._handle_errors(_rules)(as_json)


def _rules(as_json: bool) -> None:
    from qingdan.deadlines.models import DeadlineRule
    from qingdan.deadlines.services import rule_json

    rules = list(DeadlineRule.objects.all())
    if as_json:
        click.echo(_dumps([rule_json(r) for r in rules]))
        return
    for rule in rules:
        click.echo(f"{rule.code}：{rule.label}，{rule.days} {rule.get_unit_display()}；依据 {rule.basis}")
    click.echo(f"共 {len(rules)} 条。")


@calendar_group.command("rule")
@click.argument("code")
@click.option("--days", type=int, default=None, help="期限数。")
@click.option(
    "--unit", type=click.Choice(["working", "calendar", "month", "half_year"]), default=None, help="单位。"
)
@click.option("--label", default=None, help="名称。")
@click.option("--basis", default=None, help="依据（法律名称和条款）。")
@click.option("--note", default=None, help="说明。")
def calendar_rule_command(
    code: str, days: int | None, unit: str | None, label: str | None, basis: str | None, note: str | None
) -> None:
    """修改一条期限规则（系统管理员）。"""
    _cli()._handle_errors(_rule)(code, days=days, unit=unit, label=label, basis=basis, note=note)


def _rule(code: str, **options: Any) -> None:
    from qingdan.deadlines.services import save_rule
    from qingdan.errors import QingdanError

    changes = {key: value for key, value in options.items() if value is not None}
    if not changes:
        raise QingdanError("没有要修改的内容：请用 --days、--unit、--label、--basis 或 --note。")
    rule = save_rule(_cli()._actor(), code, **changes)
    click.echo(f"已修改：{rule.code} {rule}")
