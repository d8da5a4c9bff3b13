"""`qingdan discretion import|list|propose|remove` and `qingdan cases stats`: thin, over ``discretion``
and ``statistics``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _cli() -> Any:
    from qingdan import cli

    return cli


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group("discretion")
def discretion_group() -> None:
    """行政处罚裁量基准：导入部门公布的裁量基准表、查看、按情节给出建议罚款。"""


def _import(file: Path, department: str, dry_run: bool) -> None:
    from qingdan.cases.discretion import import_standards
    from qingdan.catalog.services import find_department
    from qingdan.ingest.problems import Problem

    dept = find_department(department)
    result = import_standards(_cli()._actor(), dept, file, dry_run=dry_run)
    warnings: list[Problem] = result.file.warnings
    for warning in warnings:
        click.secho(f"提示：{warning}", fg="yellow")
    if dry_run:
        for s in result.file.standards:
            law = (
                f"《{s.law.title}》"
                if s.law
                else (f"《{s.law_title}》（未在法律法规库中）" if s.law_title else "")
            )
            click.echo(f"{s.code} {s.violation}  {law}{s.article}")
            for level in s.levels:
                other = f"；{level.other}" if level.other else ""
                click.echo(f"  {level.label}：罚款 {level.range_text}{other}")
    click.echo(result.summary())


@discretion_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--department", required=True, help="部门（全称或唯一的一部分）。")
@click.option("--dry-run", is_flag=True, help="只检查并显示将要保存的裁量基准和所有问题，不写入。")
def discretion_import_command(file: Path, department: str, dry_run: bool) -> None:
    """导入裁量基准表（CSV 或 XLSX），全部成功或全部不写入；按编号替换本部门的裁量基准。"""
    _cli()._handle_errors(_import)(file, department, dry_run)


def _list(department: str, as_json: bool) -> None:
    from qingdan.cases.discretion import standard_json, standards_of
    from qingdan.catalog.services import find_department

    dept = find_department(department)
    standards = [standard_json(s) for s in standards_of(dept)]
    if as_json:
        _echo_json({"department": dept.name, "standards": standards})
        return
    click.echo(f"{dept.name}：裁量基准 {len(standards)} 项")
    for s in standards:
        law = f"  依据：《{s['law']}》{s['article']}" if s["law"] else ""
        click.echo(f"\n{s['code']} {s['violation']}{law}")
        for level in s["levels"]:
            condition = f"（{level['condition']}）" if level["condition"] else ""
            click.echo(f"  {level['circumstance_label']}{condition}：{level['text']}")


@discretion_group.command("list")
@click.argument("department")
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"department", "standards": [...]}。')
def discretion_list_command(department: str, as_json: bool) -> None:
    """显示部门的裁量基准：每项违法行为的裁量阶次、适用情形和处罚幅度（公开文件，不需权限）。"""
    _cli()._handle_errors(_list)(department, as_json)


def _propose(department: str, code: str, circumstance: str, as_json: bool) -> None:
    from qingdan.cases.amounts import yuan_text
    from qingdan.cases.discretion import find_standard, propose
    from qingdan.catalog.services import find_department

    proposal = propose(find_standard(find_department(department), code), circumstance)
    if as_json:
        _echo_json(proposal.as_json())
        return
    click.echo(f"适用标准：{proposal.text}")
    if proposal.amount is None:
        click.echo(f"建议：不处罚款（{proposal.rule}）" + (f"；{proposal.other}" if proposal.other else ""))
    else:
        click.echo(f"建议罚款：{yuan_text(proposal.amount)}（{proposal.rule}）")


@discretion_group.command("propose")
@click.argument("department")
@click.argument("code")
@click.argument("circumstance")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：幅度、建议数额、取值规则和适用标准。")
def discretion_propose_command(department: str, code: str, circumstance: str, as_json: bool) -> None:
    """按裁量基准编号和情节（不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚）给出幅度和建议罚款。"""
    _cli()._handle_errors(_propose)(department, code, circumstance, as_json)


def _remove(department: str, code: str) -> None:
    from qingdan.cases.discretion import find_standard, remove_standard
    from qingdan.catalog.services import find_department

    standard = find_standard(find_department(department), code)
    remove_standard(_cli()._actor(), standard)
    click.echo(f"已删除裁量基准「{standard.code}」{standard.violation}")


@discretion_group.command("remove")
@click.argument("department")
@click.argument("code")
def discretion_remove_command(department: str, code: str) -> None:
    """删除一项裁量基准（办理中的案件适用的不能删除）；修改请改表后重新导入。"""
    _cli()._handle_errors(_remove)(department, code)


def _stats(department: str | None, by: str, as_json: bool) -> None:
    from qingdan.cases.statistics import can_see_statistics, case_statistics, visible_departments
    from qingdan.catalog.services import find_department
    from qingdan.core.permissions import require

    actor = _cli()._actor()
    if department:
        dept = find_department(department)
        require(can_see_statistics(actor, dept), actor, f"查看{dept.name}的案件统计")
        departments = [dept]
    else:
        departments = visible_departments(actor)
    stats = case_statistics(departments, by)
    if as_json:
        _echo_json(stats.as_json())
        return
    click.echo(f"案件统计（按{stats.by_label}，截至 {stats.today:%Y-%m-%d}）")
    if not stats.groups:
        click.echo("  没有案件。")
    for g in stats.groups:
        head = g.name if by == "department" else f"{g.department} · {g.name}"
        click.echo(f"\n{head}：案件 {g.total} 件，办理中 {g.open} 件，逾期期限 {g.overdue} 个")
        if g.by_stage:
            click.echo("  各阶段：" + "，".join(f"{label} {n}" for label, n in g.stage_rows()))
        if g.stage_days:
            click.echo(
                "  平均用时：" + "，".join(f"{d.label} {d.average} 天（{d.count} 次）" for d in g.stage_days)
            )


@click.command("stats")
@click.argument("department", required=False)
@click.option(
    "--by",
    type=click.Choice(["department", "unit", "officer"]),
    default="department",
    show_default=True,
    help="统计口径：部门、承办科室或执法人员。",
)
@click.option(
    "--json", "as_json", is_flag=True, help='输出 JSON：{"by", "today", "stages", "groups": [...]}。'
)
def cases_stats_command(department: str | None, by: str, as_json: bool) -> None:
    """案件统计：各阶段案件数、逾期期限、各阶段平均用时；不写部门时统计有权查看的全部部门。"""
    _cli()._handle_errors(_stats)(department, by, as_json)
