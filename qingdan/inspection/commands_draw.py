"""`qingdan draw plan|join|commit|run|cancel|show|verify|plans`: 抽查计划 and the public draw
``qingdan-draw/1``, thin over ``plans`` (docs/draw.md). PLAN is a plan number
(鹿工信随抽〔2026〕1号) or its numeric id; steps are taken as the user named by ``--user``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from django.db import transaction
from django.utils import timezone

from qingdan.errors import QingdanError
from qingdan.inspection.commands import cli, draw_group, echo_json


def _date(value: str, option: str) -> dt.date:
    from qingdan.cases.steps import convert_date

    return convert_date(value, option)


def _print_commit(data: dict[str, Any]) -> None:
    click.echo(f"检查对象：{sum(data['population'].values())} 个")
    for stratum, size in data["population"].items():
        ratio = data["ratios"].get(stratum, "0")
        click.echo(f"  {stratum}：{size} 个，抽查比例 {ratio}")
    click.echo(f"检查对象摘要（SHA-256）：{data['population_sha256']}")
    click.echo(f"检查人员摘要（SHA-256）：{data['inspectors_sha256']}")
    click.echo(f"随机数来源：{data['seed_source']}")
    click.echo(f"抽取日期：{data['draw_on']}")


def _print_tasks(data: dict[str, Any]) -> None:
    click.echo(f"随机数：{data['seed']}    抽中 {len(data['tasks'])} 个检查对象：")
    for task in data["tasks"]:
        people = "、".join(f"{i['name']}（{i['certificate_number']}）" for i in task["inspectors"])
        click.echo(
            f"{task['order']:>5}. {task['inspectee']}（{task['uscc']}，{task['stratum']}）  检查人员：{people}"
        )


@draw_group.command("plan")
@click.argument("department")
@click.option(
    "--item", required=True, help="抽查事项：现行随机抽查事项清单中的序号或名称（可写名称的一部分）。"
)
@click.option(
    "--ratio",
    default="",
    help="抽查比例，如 A=0.05,B=0.1,C=0.2,D=1 或 重点=0.5,一般=0.1 或 0.2（默认为事项规定的比例）。",
)
@click.option(
    "--inspectors",
    type=int,
    default=None,
    help="每个检查组的执法人员人数（至少 2 名，默认为事项规定的人数）。",
)
@click.option("--from", "period_from", default="", help="抽查期间自（默认今年 1 月 1 日）。")
@click.option("--to", "period_to", default="", help="抽查期间至（默认今年 12 月 31 日）。")
@click.option("--industry", default="", help="只抽取名录库中这个行业的检查对象（默认全部）。")
@click.option("--title", default="", help="计划名称（默认「某年度某事项随机抽查」）。")
@click.option(
    "--seed-source", default="", help="随机数来源，须在抽取前公布，如「福彩3D 第2026330期开奖号码」。"
)
@click.option("--draw-on", default="", help="公开抽取的日期（默认今天）。")
@click.option("--draft", is_flag=True, help="只草拟，不公布（之后可加入联合抽查，再用 draw commit 公布）。")
def plan_command(
    department: str,
    item: str,
    ratio: str,
    inspectors: int | None,
    period_from: str,
    period_to: str,
    industry: str,
    title: str,
    seed_source: str,
    draw_on: str,
    draft: bool,
) -> None:
    """制定抽查计划并公布：锁定检查对象名单和检查人员名单，公布两者的 SHA-256 和随机数来源。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection import plans

        if not draft and not seed_source.strip():
            raise QingdanError("请用 --seed-source 写明随机数来源（须在抽取前公布）；只草拟时用 --draft。")
        dept = find_department(department)
        year = timezone.localdate().year
        start = _date(period_from, "--from") if period_from else dt.date(year, 1, 1)
        end = _date(period_to, "--to") if period_to else dt.date(year, 12, 31)
        day = _date(draw_on, "--draw-on") if draw_on else timezone.localdate()
        actor = cli()._actor()
        with transaction.atomic():  # a plan that cannot be committed is not left behind as a draft
            plan = plans.create_plan(
                actor,
                dept,
                item=plans.find_item(dept, item),
                title=title,
                period_start=start,
                period_end=end,
                ratios=ratio,
                inspectors=inspectors,
                industry=industry,
            )
            if not draft:
                plan = plans.commit(actor, plan, seed_source=seed_source, draw_on=day)
        data = plans.plan_detail(actor, plan)
        click.echo(f"{data['number']}（编号 {data['id']}）  {data['title']}  [{data['state_label']}]")
        if draft:
            click.echo(f"公布：qingdan draw commit {data['id']} --seed-source 来源 --draw-on 日期")
            return
        _print_commit(data)
        click.echo(f"抽取：qingdan draw run {data['id']} --seed 随机数（{data['draw_on']} 起）")

    cli()._handle_errors(run)()


@draw_group.command("join")
@click.argument("plan")
@click.option("--department", required=True, help="加入联合抽查的部门。")
@click.option("--item", required=True, help="该部门的抽查事项：序号或名称。")
def join_command(plan: str, department: str, item: str) -> None:
    """联合抽查：另一部门以其抽查事项加入草拟中的计划，派出本部门的检查人员一同检查。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection import plans

        dept = find_department(department)
        found = plans.find_plan(plan)
        plans.join_plan(cli()._actor(), found, item=plans.find_item(dept, item))
        names = "、".join(p.department.name for p in found.parts.select_related("department"))
        click.echo(f"{found.number}：参加部门 {names}")

    cli()._handle_errors(run)()


@draw_group.command("commit")
@click.argument("plan")
@click.option("--seed-source", required=True, help="随机数来源，须在抽取前公布。")
@click.option("--draw-on", default="", help="公开抽取的日期（默认今天）。")
def commit_command(plan: str, seed_source: str, draw_on: str) -> None:
    """公布草拟的计划：锁定检查对象和检查人员名单，公布其 SHA-256 和随机数来源。"""

    def run() -> None:
        from qingdan.inspection import plans

        actor = cli()._actor()
        day = _date(draw_on, "--draw-on") if draw_on else timezone.localdate()
        found = plans.commit(actor, plans.find_plan(plan), seed_source=seed_source, draw_on=day)
        data = plans.plan_detail(actor, found)
        click.echo(f"{data['number']}  [{data['state_label']}]")
        _print_commit(data)

    cli()._handle_errors(run)()


@draw_group.command("run")
@click.argument("plan")
@click.option("--seed", required=True, help="随机数：公布的来源在抽取日给出的数字。")
def run_command(plan: str, seed: str) -> None:
    """抽取（只能一次）：按 qingdan-draw/1 由随机数确定检查对象和检查人员。"""

    def run() -> None:
        from qingdan.inspection import plans

        actor = cli()._actor()
        found = plans.run(actor, plans.find_plan(plan), seed=seed)
        data = plans.plan_detail(actor, found)
        click.echo(f"{data['number']}  [{data['state_label']}]")
        _print_tasks(data)

    cli()._handle_errors(run)()


@draw_group.command("cancel")
@click.argument("plan")
@click.option("--reason", required=True, help="撤销理由（已公布的计划连同理由继续公开）。")
def cancel_command(plan: str, reason: str) -> None:
    """撤销抽取前的计划。"""

    def run() -> None:
        from qingdan.inspection import plans

        found = plans.cancel(cli()._actor(), plans.find_plan(plan), reason=reason)
        click.echo(f"{found.number}  [{found.state_label}]  撤销理由：{found.cancel_reason}")

    cli()._handle_errors(run)()


@draw_group.command("show")
@click.argument("plan")
@click.option("--json", "as_json", is_flag=True, help="输出公开的抽取文件（与门户网站的 draw.json 相同）。")
def show_command(plan: str, as_json: bool) -> None:
    """显示一个计划：比例、检查对象数和摘要、随机数来源；抽取后的检查对象和检查人员。"""

    def run() -> None:
        from qingdan.inspection import plans

        found = plans.find_plan(plan)
        if as_json:
            echo_json(plans.published(found))
            return
        data = plans.plan_detail(cli()._actor(), found)
        click.echo(f"{data['number']}（编号 {data['id']}）  {data['title']}  [{data['state_label']}]")
        click.echo(f"抽查事项：{data['item']}    期间：{data['period_start']} 至 {data['period_end']}")
        click.echo(
            f"参加部门：{'、'.join(data['departments'])}    每个部门每组 {data['inspectors_per_task']} 名检查人员"
        )
        if data["committed_at"]:
            _print_commit(data)
        if data["cancel_reason"]:
            click.echo(f"撤销理由：{data['cancel_reason']}")
        if data["seed"]:
            _print_tasks(data)

    cli()._handle_errors(run)()


@draw_group.command("verify")
@click.argument("plan", required=False, default="")
@click.option(
    "--file",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="核验下载的抽取文件（draw.json），不读登记库。",
)
def verify_command(plan: str, path: Path | None) -> None:
    """核验抽取：重算检查对象和检查人员的摘要、抽中的对象和指派的人员，说明是否成立。"""

    def run() -> None:
        from qingdan.inspection import draw, plans

        if path is None and not plan:
            raise QingdanError("请写出计划编号，或用 --file 指定下载的抽取文件。")
        if path is not None:
            try:
                doc = json.loads(path.read_bytes().decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise QingdanError(f"文件 {path.name} 不是 UTF-8 编码的 JSON。") from None
            problems = draw.verify(doc)
            name = path.name
            if plan and not problems:
                stored = plans.published(plans.find_plan(plan))
                if (
                    doc.get("population_sha256") != stored["population_sha256"]
                    or doc.get("plan") != stored["plan"]
                ):
                    problems = [
                        f"文件 {path.name} 不是计划{stored['plan']}公布的抽取文件（计划编号或检查对象摘要不同）。"
                    ]
        else:
            found = plans.find_plan(plan)
            problems = plans.verify_plan(found)
            name = found.number
        if problems:
            click.secho(f"{name}：核验不通过。", fg="red")
            for problem in problems:
                click.echo(f"  {problem}")
            sys.exit(1)
        click.echo(f"{name}：核验通过——检查对象和检查人员名单与公布的摘要相符，抽取结果可由公布的数据重现。")

    cli()._handle_errors(run)()


@draw_group.command("plans")
@click.argument("department")
@click.option("--page", default=1, type=int, show_default=True, help="页码（每页 50 个）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def plans_command(department: str, page: int, as_json: bool) -> None:
    """列出部门的抽查计划（按制定时间倒序，分页）。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection import plans

        data = plans.plan_list(cli()._actor(), find_department(department), page=page)
        if as_json:
            echo_json(data)
            return
        click.echo(f"{data['department']}：共 {data['count']} 个计划（第 {data['page']}/{data['pages']} 页）")
        for row in data["plans"]:
            click.echo(
                f"{row['id']:>6}  {row['number']:<22} {row['state_label']:<7} {row['item']}  {row['period_start']} 至 {row['period_end']}"
            )

    cli()._handle_errors(run)()
