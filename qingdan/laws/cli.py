"""The law registry's commands: ``qingdan laws …`` and ``qingdan reminders`` (added to the main
group by ``qingdan.cli``; every write goes through ``qingdan.laws.services``)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from qingdan.core.permissions import Actor

# qingdan.cli's helpers, looked up when a command runs: qingdan.cli imports this module while it is
# being imported (and ``python -m qingdan.cli`` runs it as __main__), so a module-level import would
# be circular.


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from qingdan import cli

        return cli._handle_errors(func)(*args, **kwargs)

    return wrapper


def _actor() -> Actor:
    from qingdan import cli

    return cli._actor()


def _iso_date(value: str, option: str) -> date:
    from qingdan import cli

    return cli._iso_date(value, option)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def law_data(law: Any, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": law.pk,
        "title": law.title,
        "level": law.get_level_display(),
        "issuer": law.issuer,
        "document_number": law.document_number,
        "promulgated": str(law.promulgated_on or ""),
        "effective": str(law.effective_on or ""),
        "repealed": str(law.repealed_on or ""),
        "successor": law.successor.title if law.successor else "",
        "in_force": law.in_force,
    }
    if full:
        data["names"] = [n.name for n in law.names.all()]
        data["amendments"] = [
            {"adopted": str(a.adopted_on), "effective": str(a.effective_on or ""), "name": a.name}
            for a in law.amendments.all()
        ]
        data["articles"] = [{"number": a.number, "text": a.text} for a in law.articles.all()]
        data["source"] = law.source
        data["note"] = law.note
        data["citations"] = law.citations.count()
    return data


def status_text(law: Any) -> str:
    if law.repealed_on is None:
        return "现行有效"
    text = f"已于 {law.repealed_on} 废止"
    return text + (f"，由《{law.successor.title}》取代" if law.successor else "")


@click.group("laws")
def laws_group() -> None:
    """法律法规库（执法依据）：导入、查看、关联所引名称、登记修改与废止。"""


@laws_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_handle_errors
def laws_import_command(file: Path) -> None:
    """导入法律法规（CSV、XLSX，或随软件提供的 JSON 格式）；有错则一条也不导入（系统管理员）。"""
    from qingdan.laws.services import import_laws

    result = import_laws(_actor(), file)
    click.echo(f"已导入 {file.name}：新增 {result.added} 部，更新 {result.updated} 部。")


@laws_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.option("--search", "query", default="", help="只列出名称、简称或制定机关含这些字的。")
@_handle_errors
def laws_list_command(as_json: bool, query: str) -> None:
    """列出法律法规库中的法律法规及其状态。"""
    from qingdan.laws.services import search_laws

    laws = list(search_laws(query))
    if as_json:
        click.echo(_dumps([law_data(law) for law in laws]))
        return
    for law in laws:
        level = law.get_level_display() or "未定级别"
        click.echo(f"#{law.pk} 《{law.title}》 {level} {status_text(law)}")
    click.echo(f"共 {len(laws)} 部。")


@laws_group.command("show")
@click.argument("title")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@_handle_errors
def laws_show_command(title: str, as_json: bool) -> None:
    """显示一部法律法规：级别、制定机关、日期、状态、修改、条文（名称可写简称）。"""
    from qingdan.laws.services import find_law

    law = find_law(title)
    data = law_data(law, full=True)
    if as_json:
        click.echo(_dumps(data))
        return
    click.echo(f"《{law.title}》 {status_text(law)}")
    for label, key in (
        ("效力级别", "level"),
        ("制定机关", "issuer"),
        ("文号", "document_number"),
        ("公布日期", "promulgated"),
        ("施行日期", "effective"),
    ):
        if data[key]:
            click.echo(f"  {label}：{data[key]}")
    if len(data["names"]) > 1:
        click.echo(f"  名称：{'、'.join(data['names'])}")
    for a in data["amendments"]:
        effective = f"（{a['effective']} 起施行）" if a["effective"] else ""
        click.echo(f"  修改：{a['adopted']} {a['name'] or '修改'}{effective}")
    for a in law.articles.all():
        click.echo(f"  {a}：{a.text}")
    if law.source:
        click.echo(f"  资料来源：{law.source}")
    click.echo(f"  被清单引用 {data['citations']} 处。")


@laws_group.command("unresolved")
@_handle_errors
def laws_unresolved_command() -> None:
    """列出清单所引、尚未关联到法律法规库的名称及引用次数。"""
    from qingdan.laws.services import unresolved_titles

    rows = unresolved_titles()
    for title, count in rows:
        click.echo(f"{count:>4}  《{title}》")
    click.echo(f"共 {len(rows)} 个名称未关联。")


@laws_group.command("link")
@click.argument("title")
@click.argument("law")
@_handle_errors
def laws_link_command(title: str, law: str) -> None:
    """把所引名称关联到库中的一部法律法规：登记为它的名称，所有这样引用的依据随之关联（系统管理员）。"""
    from qingdan.laws.services import find_law, link_title

    target = find_law(law)
    count = link_title(_actor(), title, target)
    click.echo(f"已关联：「{title}」→《{target.title}》，{count} 处引用。")


@laws_group.command("repeal")
@click.argument("law")
@click.option("--date", "day", required=True, help="废止（失效）日期，YYYY-MM-DD。")
@click.option("--successor", default="", help="取代它的法律法规（名称或简称）。")
@_handle_errors
def laws_repeal_command(law: str, day: str, successor: str) -> None:
    """登记一部法律法规的废止；引用它的已发布清单会收到依据变更提醒（系统管理员）。"""
    from qingdan.laws.services import find_law, repeal_law

    found = repeal_law(
        _actor(), find_law(law), _iso_date(day, "--date"), find_law(successor) if successor else None
    )
    click.echo(f"已登记：《{found.title}》{status_text(found)}。")


@laws_group.command("amend")
@click.argument("law")
@click.option("--date", "day", required=True, help="修改通过日期，YYYY-MM-DD。")
@click.option("--effective", default="", help="修改的施行日期，YYYY-MM-DD。")
@click.option("--name", default="", help="修改的名称，如 刑法修正案（十二）。")
@_handle_errors
def laws_amend_command(law: str, day: str, effective: str, name: str) -> None:
    """登记一部法律法规的修改；引用它的已发布清单会收到依据变更提醒（系统管理员）。"""
    from qingdan.laws.services import add_amendment, find_law

    found = find_law(law)
    add_amendment(
        _actor(),
        found,
        _iso_date(day, "--date"),
        _iso_date(effective, "--effective") if effective else None,
        name,
    )
    click.echo(f"已登记：《{found.title}》于 {day} {name or '修改'}。")


@click.command("reminders")
@click.argument("department", required=False, default="")
@click.option("--all", "everything", is_flag=True, help="也列出已开始修订或已关闭的提醒。")
@_handle_errors
def reminders_command(department: str, everything: bool) -> None:
    """列出依据变更提醒：所引法律法规在清单发布后修改或废止（可只看一个部门）。"""
    from qingdan.catalog.services import find_department
    from qingdan.core.outbox import settle_quietly
    from qingdan.laws.reminders import visible_reminders

    settle_quietly()  # reminders a change just owed
    rows = visible_reminders(_actor(), status=None if everything else "open")
    if department:
        rows = rows.filter(department=find_department(department))
    count = 0
    for r in rows:
        count += 1
        click.echo(
            f"#{r.pk} {r.department.name}：《{r.law.title}》于 {r.changed_on} {r.get_change_display()}"
            f"（第 {r.version.number} 版发布之后）【{r.get_status_display()}】"
        )
        for item in r.items:
            kind = "权力事项" if item["kind"] == "power" else "职责边界"
            article = f" {item['article']}" if item.get("article") else ""
            click.echo(f"    {kind}：{item['label']}{article}")
    click.echo(f"共 {count} 条依据变更提醒。")
