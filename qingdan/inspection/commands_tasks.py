"""`qingdan inspection tasks|result|rectified|refer|publish|burden`: 检查任务, their results, 整改,
移交立案, 结果公示 and the per-enterprise burden — thin, over ``qingdan.inspection.tasks``. Steps are
taken as the user named by the root option ``--user``."""

from __future__ import annotations

from typing import Any

import click

from qingdan.inspection.commands import cli, echo_json, inspection_group

RESULT_CHOICES = ["none_found", "rectify", "refer", "未发现问题", "责令整改", "移交立案"]


def _date(value: str, option: str) -> Any:
    from qingdan.cases.steps import convert_date

    return convert_date(value, option) if value else None


def _show(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        late = "  整改逾期" if row["rectify_overdue"] else ""
        result = f"  {row['result_label']}" if row["result"] else ""
        click.echo(
            f"{row['id']:>6}  {row['plan']['number']:<20} {row['state_label']:<4}{result}  "
            f"{row['inspectee']['name']}（{row['inspectee']['uscc']}）{late}"
        )


@inspection_group.command("tasks")
@click.argument("plan", required=False, default="")
@click.option("--mine", is_flag=True, help="只列出我被抽中的检查任务（默认：未指定计划时即为我的任务）。")
@click.option("--page", default=1, type=int, show_default=True, help="页码（每页 50 项）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def tasks_command(plan: str, mine: bool, page: int, as_json: bool) -> None:
    """列出检查任务：PLAN（计划编号或编号）的全部任务，或我的任务；未办结的在前。"""

    def run() -> None:
        from qingdan.inspection import tasks

        actor = cli()._actor()
        rows = tasks.mine(actor) if mine or not plan else tasks.of_plan(actor, tasks.find_plan(plan))
        if mine and plan:
            rows = rows.filter(plan=tasks.find_plan(plan))
        chunk, shown, pages, count = tasks.paged(rows, page)
        data: dict[str, Any] = {
            "count": count,
            "page": shown,
            "pages": pages,
            "tasks": [tasks.task_json(t, full=False) for t in chunk],
        }
        if as_json:
            echo_json(data)
            return
        click.echo(f"检查任务：共 {count} 项（第 {shown}/{pages} 页）")
        _show(data["tasks"])

    cli()._handle_errors(run)()


@inspection_group.command("show")
@click.argument("task")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def show_command(task: str, as_json: bool) -> None:
    """显示一项检查任务：检查对象、计划、检查人员、结果、整改、公示期限。TASK 为任务编号。"""

    def run() -> None:
        from qingdan.core.permissions import PermissionDenied
        from qingdan.inspection import tasks

        actor = cli()._actor()
        found = tasks.find_task(task)
        if not tasks.may_see(actor, found):
            raise PermissionDenied(f"{actor}无权查看检查任务 {found.pk}。")
        data = tasks.task_json(found)
        if as_json:
            echo_json(data)
            return
        _show([data])
        click.echo("检查人员：" + "、".join(f"{i['name']}（{i['department']}）" for i in data["inspectors"]))
        if data["findings"]:
            click.echo(f"检查情况：{data['findings']}")
        deadline = data["publication_deadline"]
        if deadline:
            mark = "（不确定）" if deadline["uncertain"] else ""
            click.echo(
                f"结果公示期限：{deadline['due']}{mark}  {deadline['status_label']}  依据：{deadline['basis']}"
            )
            for warning in deadline["warnings"]:
                click.echo(f"  ！{warning}", err=True)

    cli()._handle_errors(run)()


@inspection_group.command("result")
@click.argument("task")
@click.option(
    "--result",
    required=True,
    type=click.Choice(RESULT_CHOICES),
    help="检查结果：none_found（未发现问题）、rectify（责令整改）、refer（移交立案）。",
)
@click.option("--findings", required=True, help="检查情况。")
@click.option("--on", "on", default="", help="检查日期（默认今天）。")
@click.option("--due", default="", help="整改期限（责令整改时必填）。")
@click.option("--title", default="", help="案由（移交立案时必填）。")
def result_command(task: str, result: str, findings: str, on: str, due: str, title: str) -> None:
    """登记检查结果（由抽中的检查人员以 --user 登记）。TASK 为任务编号。"""

    def run() -> None:
        from django.utils import timezone

        from qingdan.inspection import tasks

        done = tasks.record_result(
            cli()._actor(),
            tasks.find_task(task),
            result=result,
            findings=findings,
            inspected_on=_date(on, "--on") or timezone.localdate(),
            rectify_due=_date(due, "--due"),
            title=title,
        )
        case = f"，已移交立案（案件 {done.case_id}）" if done.case_id else ""
        click.echo(f"已登记检查任务 {done.pk} 的检查结果：{tasks.RESULT_LABELS[done.result]}{case}。")

    cli()._handle_errors(run)()


@inspection_group.command("rectified")
@click.argument("task")
@click.option("--on", "on", default="", help="整改完成日期（默认今天）。")
@click.option("--note", default="", help="复查情况说明。")
def rectified_command(task: str, on: str, note: str) -> None:
    """确认整改完成（复查后由抽中的检查人员登记）。TASK 为任务编号。"""

    def run() -> None:
        from qingdan.inspection import tasks

        done = tasks.confirm_rectified(cli()._actor(), tasks.find_task(task), on=_date(on, "--on"), note=note)
        click.echo(f"检查任务 {done.pk} 已确认整改完成（{done.rectified_on:%Y-%m-%d}）。")

    cli()._handle_errors(run)()


@inspection_group.command("refer")
@click.argument("task")
@click.option("--title", required=True, help="案由。")
@click.option("--on", "on", default="", help="移交日期（默认今天）。")
def refer_command(task: str, title: str, on: str) -> None:
    """责令整改后逾期未整改或整改不到位：移交立案（登记案件线索）。TASK 为任务编号。"""

    def run() -> None:
        from qingdan.inspection import tasks

        done = tasks.refer(cli()._actor(), tasks.find_task(task), on=_date(on, "--on"), title=title)
        click.echo(f"检查任务 {done.pk} 已移交立案：案件 {done.case_id}。")

    cli()._handle_errors(run)()


@inspection_group.command("publish")
@click.argument("plan")
@click.option("--on", "on", default="", help="公示日期（默认今天）。")
def publish_command(plan: str, on: str) -> None:
    """公示计划中已登记、尚未公示的检查结果（执法科室负责人、主管局长或主要负责人）。"""

    def run() -> None:
        from qingdan.inspection import tasks

        done = tasks.publish_results(cli()._actor(), tasks.find_plan(plan), on=_date(on, "--on"))
        click.echo(f"已公示 {len(done)} 项检查结果。")

    cli()._handle_errors(run)()


@inspection_group.command("burden")
@click.option("--year", default=0, type=int, help="年度（默认今年）。")
@click.option("--jurisdiction", default="", help="地区名称（默认全部）。")
@click.option("--flagged", is_flag=True, help="只列出同月多部门检查的企业。")
@click.option("--page", default=1, type=int, show_default=True, help="页码（每页 50 家）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def burden_command(year: int, jurisdiction: str, flagged: bool, page: int, as_json: bool) -> None:
    """企业受检负担：按统一社会信用代码统计一年内被各部门抽中的次数、部门、计划和月份，标出同月多部门检查。"""

    def run() -> None:
        from django.utils import timezone

        from qingdan.checks.services import find_jurisdiction
        from qingdan.inspection import tasks

        place = find_jurisdiction(jurisdiction) if jurisdiction else None
        rows = tasks.burden(year or timezone.localdate().year, place)
        if flagged:
            rows = [r for r in rows if r["flag"]]
        chunk, shown, pages, count = tasks.paged(rows, page)
        if as_json:
            echo_json({"count": count, "page": shown, "pages": pages, "enterprises": chunk})
            return
        click.echo(f"被抽中的企业：共 {count} 家（第 {shown}/{pages} 页）")
        for row in chunk:
            flag = f"  【{row['flag']}：{'、'.join(row['same_month'])}】" if row["flag"] else ""
            click.echo(
                f"{row['uscc']}  {row['name']}  {row['times']} 次  {'、'.join(row['departments'])}"
                f"  月份：{'、'.join(row['months'])}{flag}"
            )

    cli()._handle_errors(run)()
