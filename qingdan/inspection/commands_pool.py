"""`qingdan inspectees import|list` and `qingdan inspectors list|conflict|withdraw`: thin, over
``pool``. Steps are taken as the user named by the root option ``--user``."""

from __future__ import annotations

from pathlib import Path

import click

from qingdan.inspection.commands import cli, echo_json, inspectees_group, inspectors_group


@inspectees_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--department", required=True, help="部门（全称或唯一的一部分）。")
@click.option("--replace", is_flag=True, help="文件中没有的在库对象移出名录库（不再参加抽取）。")
def import_command(file: Path, department: str, replace: bool) -> None:
    """导入检查对象名录库（CSV 或 XLSX）：校验统一社会信用代码，有任何一行出错则整份不导入。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection.pool import import_inspectees

        result = import_inspectees(cli()._actor(), find_department(department), file, replace=replace)
        click.echo(result.summary())

    cli()._handle_errors(run)()


@inspectees_group.command("list")
@click.argument("department")
@click.option("--risk", default="", help="只列出某一风险等级（A、B、C、D）。")
@click.option("--category", default="", help="只列出一般或重点监管对象。")
@click.option("--page", default=1, type=int, show_default=True, help="页码（每页 50 个）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def list_command(department: str, risk: str, category: str, page: int, as_json: bool) -> None:
    """列出部门名录库中的检查对象（按统一社会信用代码，分页）。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection.pool import inspectee_list

        data = inspectee_list(
            cli()._actor(), find_department(department), risk=risk, category=category, page=page
        )
        if as_json:
            echo_json(data)
            return
        inactive = f"，另有 {data['inactive']} 个已移出" if data["inactive"] else ""
        click.echo(
            f"{data['department']}检查对象名录库：共 {data['count']} 个{inactive}"
            f"（第 {data['page']}/{data['pages']} 页）"
        )
        for row in data["inspectees"]:
            click.echo(
                f"{row['uscc']}  {row['risk']}  {row['category_label']}  {row['name']}"
                + (f"  {row['industry']}" if row["industry"] else "")
            )

    cli()._handle_errors(run)()


@inspectors_group.command("list")
@click.argument("department")
@click.option("--on", "on", default="", help="哪一天持有效执法证（YYYY-MM-DD，默认今天）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def inspectors_list_command(department: str, on: str, as_json: bool) -> None:
    """执法检查人员名录库：部门的执法人员、某日执法证是否有效、回避申报。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection.pool import roster_for

        day = cli()._iso_date(on, "--on") if on else None
        data = roster_for(cli()._actor(), find_department(department), day)
        if as_json:
            echo_json(data)
            return
        click.echo(
            f"{data['department']}执法检查人员名录库（{data['on']}）："
            f"执法人员 {len(data['officers'])} 名，其中持有效执法证 {data['certified']} 名"
        )
        for row in data["officers"]:
            state = (
                "有效"
                if row["certified"]
                else f"不可参加抽取（{row['status_label']}，有效期至 {row['valid_until'] or '—'}）"
            )
            click.echo(
                f"{row['certificate_number'] or '（无证号）':<14} {row['name']}  {row['unit']}  {state}"
            )
            for c in row["conflicts"]:
                name = f" {c['name']}" if c["name"] else ""
                click.echo(
                    f"    回避 {c['uscc']}{name}：{c['reason']}（{c['declared_on']} {c['declared_by']}申报）"
                )

    cli()._handle_errors(run)()


@inspectors_group.command("conflict")
@click.argument("department")
@click.argument("uscc")
@click.option("--reason", required=True, help="回避事由。")
@click.option(
    "--officer",
    default="",
    help="代哪位执法人员申报（姓名、执法证号或编号；限执法科室负责人、主管局长、主要负责人）。",
)
def conflict_command(department: str, uscc: str, reason: str, officer: str) -> None:
    """申报回避：与某一检查对象（统一社会信用代码）有利害关系，不参加对它的检查。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection.pool import declare_conflict, officer_named

        dept = find_department(department)
        named = officer_named(dept, officer) if officer else None
        found = declare_conflict(cli()._actor(), dept, uscc, reason, officer=named)
        click.echo(f"已登记：{found.officer.name}回避统一社会信用代码为 {found.uscc} 的检查对象。")

    cli()._handle_errors(run)()


@inspectors_group.command("withdraw")
@click.argument("department")
@click.argument("uscc")
@click.option(
    "--officer",
    default="",
    help="代哪位执法人员撤回（姓名、执法证号或编号；限执法科室负责人、主管局长、主要负责人）。",
)
def withdraw_command(department: str, uscc: str, officer: str) -> None:
    """撤回回避申报（已公布的抽查计划保留公布时的回避）。"""

    def run() -> None:
        from qingdan.catalog.services import find_department
        from qingdan.inspection.pool import check_uscc, officer_named, withdraw_conflict

        dept = find_department(department)
        named = officer_named(dept, officer) if officer else None
        withdraw_conflict(cli()._actor(), dept, uscc, officer=named)
        click.echo(f"已撤回对统一社会信用代码为 {check_uscc(uscc)} 的检查对象的回避申报。")

    cli()._handle_errors(run)()
