"""`qingdan draw items|derive|items-draft|edit-item|add-item|remove-item|publish-items`: the
随机抽查事项清单, thin over ``qingdan.inspection.catalog``."""

from __future__ import annotations

from typing import Any

import click

from qingdan.inspection.commands import cli, draw_group, echo_json

EDIT_OPTIONS = [
    ("--name", "name", "抽查事项名称。"),
    ("--code", "code", "事项编码。"),
    ("--basis", "basis", "抽查依据。"),
    ("--subject", "subject", "抽查主体。"),
    ("--targets", "targets", "抽查对象。"),
    ("--content", "content", "抽查内容。"),
    ("--methods", "methods", "抽查方式。"),
    ("--ratio", "ratio", "抽查比例：0.1 或 10%；写空字符串表示不规定。"),
    ("--frequency", "frequency", "抽查频次，如 每年一次。"),
    ("--per-year", "per_year", "每年次数（整数；写空字符串表示不规定）。"),
    ("--min-inspectors", "min_inspectors", "每组检查人员（至少 2 名）。"),
]


def _edit_options(func: Any) -> Any:
    for flag, name, text in reversed(EDIT_OPTIONS):
        func = click.option(flag, name, default=None, help=text)(func)
    return func


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _department(query: str) -> Any:
    from qingdan.catalog.services import find_department

    return find_department(query)


def _print_catalog(data: dict[str, Any]) -> None:
    published = f"，{data['published_at'][:10]} 发布" if data["published_at"] else ""
    click.echo(
        f"{data['department']}随机抽查事项清单 第{data['number']}版（{data['state_label']}{published}）"
        f"：{len(data['items'])} 项"
    )
    for item in data["items"]:
        ratio = item["ratio_percent"] or "未规定"
        frequency = item["frequency"] or "未规定"
        click.echo(
            f"{item['position']:>3}. {item['name']}  比例 {ratio}  频次 {frequency}  "
            f"每组 {item['min_inspectors']} 人  来源 {item['source_ref'] or item['source_label']}"
            + (f"  （部门改定：{'；'.join(item['changed_from_text'])}）" if item["changed_from_text"] else "")
        )


@draw_group.command("items")
@click.argument("department")
@click.option("--draft", is_flag=True, help="显示草稿（默认显示现行发布的清单）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def items_command(department: str, draft: bool, as_json: bool) -> None:
    """列出部门的随机抽查事项（序号、名称、抽查比例、频次、每组检查人员、来源）。"""

    def run() -> None:
        from qingdan.inspection import catalog, roles

        dept = _department(department)
        if draft:
            roles.require_see(cli()._actor(), dept)
            found = catalog.require_draft(dept)
        else:
            found = catalog.public_catalog(dept)
        data = {**catalog.catalog_json(found), "versions": catalog.published_versions(dept)}
        if as_json:
            echo_json(data)
        else:
            _print_catalog(data)

    cli()._handle_errors(run)()


@draw_group.command("derive")
@click.argument("department")
def derive_command(department: str) -> None:
    """从部门现行发布的责任清单（事中事后监管制度、行政检查事项）生成随机抽查事项清单草稿。"""

    def run() -> None:
        from qingdan.inspection import catalog

        made = catalog.derive_catalog(cli()._actor(), _department(department))
        _print_catalog(catalog.catalog_json(made))

    cli()._handle_errors(run)()


@draw_group.command("items-draft")
@click.argument("department")
def items_draft_command(department: str) -> None:
    """在现行发布的随机抽查事项清单基础上新建草稿（版本号加一），用于修订。"""

    def run() -> None:
        from qingdan.inspection import catalog

        made = catalog.new_draft(cli()._actor(), _department(department))
        click.echo(f"已新建{made}（{made.items.count()} 项）。")

    cli()._handle_errors(run)()


@draw_group.command("edit-item")
@click.argument("department")
@click.argument("position", type=int)
@_edit_options
def edit_item_command(department: str, position: int, **values: Any) -> None:
    """修改草稿中某一序号的事项（只改写出的选项）。"""

    def run() -> None:
        from qingdan.errors import QingdanError
        from qingdan.inspection import catalog

        given = _given(values)
        if not given:
            raise QingdanError("请写出要修改的字段，如 --ratio 0.1 或 --min-inspectors 3。")
        item = catalog.edit_item(
            cli()._actor(), catalog.find_item(_department(department), position), **given
        )
        click.echo(f"已修改第 {item.position} 项「{item.name}」。")

    cli()._handle_errors(run)()


@draw_group.command("add-item")
@click.argument("department")
@_edit_options
def add_item_command(department: str, **values: Any) -> None:
    """在草稿末尾添加一个手工填写的随机抽查事项（--name 必填）。"""

    def run() -> None:
        from qingdan.inspection import catalog

        item = catalog.add_item(cli()._actor(), _department(department), **_given(values))
        click.echo(f"已添加第 {item.position} 项「{item.name}」。")

    cli()._handle_errors(run)()


@draw_group.command("remove-item")
@click.argument("department")
@click.argument("position", type=int)
def remove_item_command(department: str, position: int) -> None:
    """从草稿中删除某一序号的事项（其后各项序号前移）。"""

    def run() -> None:
        from qingdan.inspection import catalog

        item = catalog.find_item(_department(department), position)
        catalog.remove_item(cli()._actor(), item)
        click.echo(f"已删除第 {position} 项「{item.name}」。")

    cli()._handle_errors(run)()


@draw_group.command("publish-items")
@click.argument("department")
def publish_items_command(department: str) -> None:
    """发布随机抽查事项清单草稿（原现行版本被替代，已有抽查计划仍指向原事项）。"""

    def run() -> None:
        from qingdan.inspection import catalog

        made = catalog.publish_catalog(cli()._actor(), _department(department))
        click.echo(f"已发布{made}（{made.items.count()} 项）。")

    cli()._handle_errors(run)()
