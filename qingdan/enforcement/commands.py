"""`qingdan staff import|show` and `qingdan matrix`: thin, over ``staff`` and ``matrix``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _cli() -> Any:
    from qingdan import cli

    return cli


@click.group("staff")
def staff_group() -> None:
    """执法人员、岗位与局领导：导入名册、查看（含执法证提示和责任缺口）。"""


def _import(file: Path, department: str) -> None:
    from qingdan.catalog.services import find_department
    from qingdan.enforcement.staff_import import import_staff
    from qingdan.ingest.readers import read_path_bytes

    dept = find_department(department)
    actor = _cli()._actor()
    from qingdan.enforcement.staff import require_edit

    require_edit(actor, dept)
    data = read_path_bytes(file)
    result = import_staff(actor, dept, file.name, data)
    click.echo(result.summary(file.name))


@staff_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--department", required=True, help="部门（全称或唯一的一部分）。")
def staff_import_command(file: Path, department: str) -> None:
    """导入执法人员名册（CSV 或 XLSX），全部成功或全部不写入；按执法证号更新。"""
    _cli()._handle_errors(_import)(file, department)


def staff_data(department: Any, actor: Any) -> dict[str, Any]:
    """What `staff show --json` and the API print: officers with flags, posts, leaders, gaps."""
    from qingdan.enforcement.matrix import matrix_findings
    from qingdan.enforcement.models import Leader, Officer, Post
    from qingdan.enforcement.staff import certificate_flag, officer_json, post_json, require_see

    require_see(actor, department)
    officers = []
    for officer in Officer.objects.filter(department=department).select_related("post"):
        flag = certificate_flag(officer)
        officers.append({**officer_json(officer), "flag": flag.code, "flag_label": flag.label})
    return {
        "department": department.name,
        "officers": officers,
        "posts": [post_json(p) for p in Post.objects.filter(department=department).prefetch_related("items")],
        "leaders": [
            {"name": x.name, "title": x.title, "units": x.units}
            for x in Leader.objects.filter(department=department)
        ],
        "gaps": [f.as_json() for f in matrix_findings(department)],
    }


def _show(department: str, as_json: bool) -> None:
    from qingdan.catalog.services import find_department

    dept = find_department(department)
    data = staff_data(dept, _cli()._actor())
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{dept.name}：执法人员 {len(data['officers'])} 名，岗位 {len(data['posts'])} 个，局领导 {len(data['leaders'])} 名"
    )
    click.echo("\n局领导：")
    for x in data["leaders"]:
        click.echo(f"  {x['title']}{x['name']}  分管：{'、'.join(x['units']) or '—'}")
    click.echo("\n岗位：")
    for p in data["posts"]:
        click.echo(f"  {p['unit']}·{p['name']}  承担 {len(p['items'])} 项")
    click.echo("\n执法人员：")
    for o in data["officers"]:
        flag = f"  ！{o['flag_label']}" if o["flag"] else ""
        click.echo(
            f"  {o['name']}  {o['unit']}·{o['post'] or '—'}  {o['certificate_number'] or '无证号'}  至 {o['valid_until'] or '—'}{flag}"
        )
    click.echo(f"\n责任缺口（{len(data['gaps'])} 项）：")
    for f in data["gaps"]:
        click.echo(f"  [{f['severity_label']}] {f['message']}")


@staff_group.command("show")
@click.argument("department")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：officers、posts、leaders、gaps。")
def staff_show_command(department: str, as_json: bool) -> None:
    """显示部门的执法人员（含执法证提示）、岗位、局领导和责任缺口。"""
    _cli()._handle_errors(_show)(department, as_json)


def _matrix(department: str, as_json: bool, person: str | None) -> None:
    from qingdan.catalog.services import find_department
    from qingdan.enforcement.matrix import answers_for, matrix_entries
    from qingdan.enforcement.staff import require_see
    from qingdan.errors import NotFound

    dept = find_department(department)
    require_see(_cli()._actor(), dept)
    if person:
        answers = answers_for(dept, person)
        if not answers:
            raise NotFound(f"{dept.name}没有名为「{person}」的执法人员或局领导")
        if as_json:
            click.echo(json.dumps([a.as_json() for a in answers], ensure_ascii=False, indent=2))
            return
        for a in answers:
            flag = f"（{a.flag.label}）" if a.flag and a.flag.code else ""
            click.echo(f"{a.name}：{a.role}，{a.via}{flag}")
            if a.leaders:
                click.echo("  分管领导：" + "、".join(f"{x.title}{x.name}" for x in a.leaders))
            for title, items in (("通过岗位承担", a.by_post), ("通过科室承担", a.by_unit)):
                if items:
                    click.echo(f"  {title}：")
                    for e in items:
                        click.echo(f"    [{e.kind_label}] {e.text}")
        return
    entries = matrix_entries(dept)
    if as_json:
        click.echo(
            json.dumps(
                {"department": dept.name, "items": [e.as_json(True) for e in entries]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for e in entries:
        click.echo(f"[{e.kind_label}] {e.code + ' ' if e.code else ''}{e.text}")
        for u in e.units:
            leaders = "、".join(f"{x.title}{x.name}" for x in u.leaders) or "（无分管领导）"
            click.echo(f"  {leaders} → {u.name}")
            for p in u.posts:
                people = "、".join(h.officer.name + ("" if h.certified else "（证件无效）") for h in p.people)
                click.echo(f"    → {p.post.name}：{people or '（无人员）'}")
        for b in e.bases:
            click.echo(f"  依据：《{b['title']}》{b['article']}")


@click.command("matrix")
@click.argument("department")
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"department", "items": [...]}。')
@click.option("--person", default=None, help="只看这个人（执法人员或局领导）承担什么。")
def matrix_command(department: str, as_json: bool, person: str | None) -> None:
    """责任矩阵：每项职责、事项、权力事项的 分管领导 → 科室 → 岗位 → 人员。"""
    _cli()._handle_errors(_matrix)(department, as_json, person)
