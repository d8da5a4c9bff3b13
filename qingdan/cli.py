"""The `qingdan` command. Thin: it parses arguments, calls the service layer and prints.

Every command applies pending migrations itself, so a user never runs manage.py.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qingdan.cli_i18n import install, name_parameters
from qingdan.errors import QingdanError, os_error_text

install()  # click's own words in Chinese; before the commands below are declared

if TYPE_CHECKING:
    from qingdan.catalog.models import ListVersion
    from qingdan.core.permissions import Actor

EXPORT_FORMATS = ("json", "csv", "xlsx", "docx")


# commands that run derived work in a worker (or hand it to one) rather than in this process
BACKGROUND_COMMANDS = {"serve", "worker", "demo"}


def _setup(data_dir: str | None, command: str = "") -> None:
    if data_dir:
        os.environ["QINGDAN_DATA"] = str(Path(data_dir).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    if command not in BACKGROUND_COMMANDS:
        # a command does its own derived work before it exits (the search index is current
        # when `qingdan import` returns); the web server and the worker leave it to the worker
        os.environ.setdefault("QINGDAN_TASKS", "immediate")
    import django

    django.setup()
    if command not in BACKGROUND_COMMANDS:
        import logging

        from qingdan.core.logfile import ConsoleFormatter

        ConsoleFormatter.BRIEF = True
        logging.raiseExceptions = False  # a log file that cannot be written (disk full) stays quiet
    from django.db.utils import OperationalError

    from qingdan.core.schema import ensure_schema

    try:
        ensure_schema()
    except (OperationalError, OSError) as exc:
        where = os.environ.get("QINGDAN_DATABASE_URL") or os.environ.get("QINGDAN_DATA", "数据目录")
        reason = os_error_text(exc) if isinstance(exc, OSError) else str(exc).strip().splitlines()[0]
        click.secho(f"错误：无法打开登记库（{where}）：{reason}", fg="red", err=True)
        sys.exit(1)


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QingdanError as exc:
            click.secho(f"错误：{exc.message}", fg="red", err=True)
            sys.exit(1)
        except OSError as exc:
            click.secho(f"错误：{os_error_text(exc)}", fg="red", err=True)
            sys.exit(1)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    envvar="QINGDAN_DATA",
    type=click.Path(file_okay=False),
    help="数据目录（默认 $QINGDAN_DATA 或 ~/.local/share/qingdan）。设置 QINGDAN_DATABASE_URL 时使用 PostgreSQL。",
)
@click.option(
    "--user",
    envvar="QINGDAN_USER",
    default=None,
    help="以这个用户的身份和权限操作（默认：系统管理员）。",
)
@click.version_option(package_name="qingdan")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, user: str | None) -> None:
    """qingdan 清单：部门责任清单的导入、版本、审核、查询与导出。"""
    ctx.obj = {"data_dir": data_dir, "user": user}
    if ctx.invoked_subcommand:
        _setup(data_dir, ctx.invoked_subcommand)
        if ctx.invoked_subcommand not in BACKGROUND_COMMANDS:
            ctx.call_on_close(_settle)


def _settle() -> None:
    """Before the command exits: the derived work it (or an earlier, interrupted one) owed."""
    from qingdan.core.outbox import settle_quietly

    note = settle_quietly()
    if note:
        click.secho(f"提示：{note}", fg="yellow", err=True)


def _actor() -> Actor:
    """Who the command acts as: the --user named, else the command line as administrator."""
    from qingdan.core.accounts import actor_named
    from qingdan.core.permissions import COMMAND_LINE

    username = click.get_current_context().find_root().params.get("user")
    return actor_named(username) if username else COMMAND_LINE


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--department",
    default="",
    help="部门全称（文件中没有写明时必填）。多部门的权力清单：只用于无法判断实施主体的行。",
)
@click.option("--jurisdiction", default="", help="所属地区（默认从部门名称推断，如 湘阴县科技局 → 湘阴县）。")
@click.option("--dry-run", is_flag=True, help="只检查并显示将要保存的内容和所有问题，不写入。")
@click.option(
    "--draft/--publish",
    default=None,
    help="导入为草稿（提交审核后发布），或直接发布。默认：系统管理员直接发布，其他用户导入为草稿。",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="多部门的权力清单：「行号或实施主体,部门」对照表（CSV），决定无法判断实施主体的行。",
)
@click.option(
    "--rename-from",
    default="",
    help="文件写明的是本部门更名前的名称时，写出该名称以确认更名（仅系统管理员；记入审计日志）。",
)
@_handle_errors
def import_command(
    paths: tuple[Path, ...],
    department: str,
    jurisdiction: str,
    dry_run: bool,
    draft: bool | None,
    mapping: Path | None,
    rename_from: str,
) -> None:
    """导入清单文件：.txt（Word 表格导出）、.docx、.xlsx、.doc/.wps/.xls/.et、.html、.pdf（有文字层）、.csv、.json、.jsonl。

    一个文件含多个实施主体的权力清单（全市、全县导出）按部门分别导入，全部成功或全部不导入。"""
    from qingdan.cli_output import ImportOptions, import_files
    from qingdan.ingest.readers import read_path_bytes
    from qingdan.ingest.subjects import read_mapping

    decisions = read_mapping(mapping.name, read_path_bytes(mapping)) if mapping else {}
    options = ImportOptions(department, jurisdiction, dry_run, draft, decisions, rename_from)
    failed = import_files(_expand(paths), options, _actor())
    if failed:
        sys.exit(1)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not found:
                raise QingdanError(f"目录「{path}」中没有可导入的文件")
            files.extend(found)
        else:
            files.append(path)
    return files


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@_handle_errors
def list_command(as_json: bool) -> None:
    """列出已导入的部门及其最新版本。"""
    from qingdan.cli_output import print_departments

    print_departments(as_json)


@main.command("show")
@click.argument("department")
@click.option("--version", "number", type=int, default=None, help="版本号（默认最新）。")
@_handle_errors
def show_command(department: str, number: int | None) -> None:
    """显示一个部门的清单（部门名称可写全称或唯一的一部分）。"""
    from qingdan.catalog.services import find_department, get_version, record_of
    from qingdan.cli_output import print_record
    from qingdan.core.lineage import lineage_of

    dept = find_department(department)
    version = get_version(dept, number, _actor())
    lineage = lineage_of(dept)
    for line in ([lineage.status] if lineage.abolished else []) + lineage.origin_texts():
        click.echo(f"{dept.name}：{line}")
    print_record(record_of(version), version)


@main.command("export")
@click.argument("department")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件（默认标准输出；xlsx/docx 必须指定）。",
)
@click.option("--version", "number", type=int, default=None, help="版本号（默认最新）。")
@_handle_errors
def export_command(department: str, fmt: str, output: Path | None, number: int | None) -> None:
    """导出一个部门的清单：json（qingdan/1）、csv、xlsx 或 docx（登记表格式）。"""
    from qingdan.catalog.exports import export_record
    from qingdan.catalog.services import find_department, get_version, record_of

    data = export_record(record_of(get_version(find_department(department), number, _actor())), fmt)
    if output is None:
        if fmt in ("xlsx", "docx"):
            raise QingdanError(f"{fmt} 是二进制格式，请用 -o 指定输出文件")
        sys.stdout.write(data.decode("utf-8"))
        return
    output.write_bytes(data)
    click.echo(f"已导出到 {output}（{len(data):,} 字节）")


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"hits": [...]}。')
@click.option("--limit", default=10, show_default=True, help="最多显示几条。")
@click.option("--jurisdiction", default=None, help="只在这个地区中查找。")
@click.option("--history", is_flag=True, help="也查已撤销部门的历史清单（结果中标明已撤销）。")
@_handle_errors
def search_command(
    query: tuple[str, ...], as_json: bool, limit: int, jurisdiction: str | None, history: bool
) -> None:
    """用一句话查找负责的部门、科室和电话，例如：qingdan search 技术合同认定登记找谁

    默认只查现行部门；已撤销（并入、分设、更名）的部门用 --history 查。"""
    from qingdan.cli_output import print_hits
    from qingdan.search import search

    result = search(" ".join(query), limit=limit, jurisdiction=jurisdiction, history=history)
    if as_json:
        click.echo(dumps(result.as_json()))
    else:
        print_hits(result)


@main.command("check")
@click.argument("department", required=False)
@click.option("--jurisdiction", default=None, help="检查这个地区的全部部门。")
@click.option("--version", "number", type=int, default=None, help="版本号（默认最新；只用于一个部门）。")
@click.option(
    "--json", "as_json", is_flag=True, help='输出 JSON：{"department", "version", "findings": [...]}。'
)
@_handle_errors
def check_command(
    department: str | None, jurisdiction: str | None, number: int | None, as_json: bool
) -> None:
    """清单体检：模板替换痕迹、已撤销的机构、废止的法律、其他地区的名称和结构问题。

    不写部门也不写 --jurisdiction 时检查登记库中的全部现行部门（已撤销的部门只在写明时检查）。"""
    from qingdan.checks.report import print_reports
    from qingdan.checks.services import check_lists

    reports = check_lists(department, jurisdiction, number)
    if not as_json:
        print_reports(reports)
    elif department:
        click.echo(dumps(reports[0].as_json()))
    else:
        click.echo(dumps({"lists": [r.as_json() for r in reports]}))


@main.command("overlaps")
@click.argument("jurisdiction")
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"jurisdiction", "findings": [...]}。')
@_handle_errors
def overlaps_command(jurisdiction: str, as_json: bool) -> None:
    """部门之间的职责交叉与缺位：两个部门列了相同的职责而没有职责边界，职责边界中的部门在自己的清单里没有这项职责。"""
    from qingdan.checks.overlap import jurisdiction_overlaps

    found = jurisdiction_overlaps(jurisdiction)
    if as_json:
        click.echo(dumps({"jurisdiction": jurisdiction, "findings": [f.as_json() for f in found]}))
        return
    click.echo(f"{jurisdiction}：{len(found)} 条")
    for f in found:
        click.echo(f"\n  {f.check_id} {f.title}\n    {f.message}\n    " + f.evidence.replace("\n", "\n    "))


@main.command("compare")
@click.argument("department_a")
@click.argument("department_b")
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"matched", "only_in_a", "only_in_b"}。')
@_handle_errors
def compare_command(department_a: str, department_b: str, as_json: bool) -> None:
    """横向比对两个部门的清单（可跨地区）：相同或相近的事项，以及只有一方有的事项。"""
    from qingdan.checks.compare import compare_departments, format_comparison

    comparison = compare_departments(department_a, department_b)
    click.echo(dumps(comparison.as_json()) if as_json else format_comparison(comparison))


@main.command("reindex")
@click.option("--check", is_flag=True, help="只检查索引与登记库是否一致，不重建。")
@_handle_errors
def reindex_command(check: bool) -> None:
    """重建全文检索索引（或用 --check 检查一致性）。"""
    from qingdan.core.models import PendingWork
    from qingdan.core.outbox import owed
    from qingdan.search import consistency, reindex

    if not check:
        click.echo(f"已重建索引：{reindex()} 条")
    report = consistency()
    click.echo(
        f"索引 {report.indexed} 条，登记库应有 {report.expected} 条：" + ("一致" if report.ok else "不一致")
    )
    if waiting := owed(PendingWork.INDEX):
        click.echo(f"  另有 {waiting} 项索引更新已登记、尚待后台进程完成")
    for label, ids in (("缺少", report.missing), ("多余", report.stale)):
        if ids:
            click.echo(f"  {label} {len(ids)} 条，例如 {', '.join(ids[:5])}")
    if not report.ok:
        sys.exit(1)


@main.command("decide")
@click.argument("department")
@click.argument("fingerprint")
@click.option("--accept", "status", flag_value="accepted", help="确认是问题（需要整改）。")
@click.option("--dismiss", "status", flag_value="dismissed", help="不是问题（需写明理由）。")
@click.option("--reason", default="", help="理由。")
@_handle_errors
def decide_command(department: str, fingerprint: str, status: str | None, reason: str) -> None:
    """对一条体检发现下结论（指纹见 qingdan check 的 JSON 输出或 XLSX）。结论在证据不变时跨版本保留。"""
    from qingdan.catalog.services import find_department
    from qingdan.checks.registry import get_check
    from qingdan.checks.services import decide

    if status is None:
        raise QingdanError("请用 --accept 或 --dismiss 指明结论")
    decision = decide(_actor(), find_department(department), fingerprint, status, reason)
    title = get_check(decision.check_id).title
    click.echo(f"已记录：{decision.get_status_display()}（{title} {decision.check_id}，{fingerprint}）")


# --- users, review and history ----------------------------------------------------------------


@main.command("createuser")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["filler", "legal", "approver", "admin"]),
    help="filler 部门填报员、legal 法制审核员、approver 编办审核员、admin 系统管理员。",
)
@click.option("--department", default=None, help="部门（填报员必填）。")
@click.option("--jurisdiction", default=None, help="地区（审核员必填；写了部门时可省略）。")
@click.option("--name", "full_name", default="", help="姓名。")
@click.option("--password", default="", help="登录密码（默认随机生成并显示一次）。")
@_handle_errors
def createuser_command(
    username: str, role: str, department: str | None, jurisdiction: str | None, full_name: str, password: str
) -> None:
    """创建用户并指定角色。"""
    from qingdan.catalog.services import find_department
    from qingdan.checks.services import find_jurisdiction
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Role

    dept = find_department(department) if department else None
    place = find_jurisdiction(jurisdiction) if jurisdiction else None
    new = create_user(_actor(), username, role, dept, place, password, full_name)
    click.echo(f"已创建用户 {new.username}（{Role(role).label}）")
    if not password:
        click.echo(f"初始密码：{new.password}   （只显示这一次，请登录后修改）")


@main.command("password")
@click.argument("username")
@click.option("--password", default="", help="新密码（默认在终端中输入两次，不显示）。")
@_handle_errors
def password_command(username: str, password: str) -> None:
    """设置用户的登录密码（系统管理员，或用户本人；须符合密码规则）。"""
    from qingdan.core.accounts import set_password

    if not password:
        password = click.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次")
    set_password(_actor(), username, password)
    click.echo(f"已设置用户 {username} 的密码。")


@main.command("unlock")
@click.argument("username", required=False)
@click.option("--address", default="", help="解除这个来源地址的锁定（而不是账号的）。")
@_handle_errors
def unlock_command(username: str | None, address: str) -> None:
    """解除因登录失败次数过多而锁定的账号（或用 --address 解除地址）；记入审计日志。"""
    from qingdan.core.signin import unlock, unlock_address

    if username:
        cleared = unlock(_actor(), username)
        click.echo(f"已解除账号「{username}」的锁定（清除 {cleared} 次失败记录）。")
    elif address:
        cleared = unlock_address(_actor(), address)
        click.echo(f"已解除地址「{address}」的锁定（清除 {cleared} 次失败记录）。")
    else:
        raise QingdanError("请写出要解除锁定的用户名，或用 --address 写出地址")


@main.command("token")
@click.argument("username")
@click.option("--name", default="", help="用途说明。")
@_handle_errors
def token_command(username: str, name: str) -> None:
    """为用户创建写入 API 的令牌（请求头 Authorization: Bearer 令牌）。"""
    from qingdan.core.accounts import create_token

    click.echo(create_token(_actor(), username, name))


@main.command("succession")
@click.argument("successor")
@click.argument("predecessors", nargs=-1, required=True)
@click.option("--basis", default="", help="依据，如机构改革方案的名称和文号。")
@click.option("--date", "effective_on", default="", help="撤并（更名）日期 YYYY-MM-DD（默认今天）。")
@click.option("--rename", is_flag=True, help="更名：前身部门（只能一个）改名为后继部门，而不是撤并。")
@click.option("--undo", is_flag=True, help="撤销记错的沿革记录：前身部门并没有由后继部门承接。")
@_handle_errors
def succession_command(
    successor: str, predecessors: tuple[str, ...], basis: str, effective_on: str, rename: bool, undo: bool
) -> None:
    """记录机构改革：后继部门承接了前身部门的职责（合并：多个前身；分设：对每个后继部门各记一次；更名：--rename）。

    前身部门随即不再算作现行部门：首页、部门列表、查询和职责交叉检查都不再列出它，
    它的清单、版本和下载仍可查阅。"""
    from qingdan.catalog.services import find_department
    from qingdan.catalog.succession import record_succession, undo_succession
    from qingdan.core.lineage import lineage_of

    after = find_department(successor)
    before = [find_department(name) for name in predecessors]
    if undo:
        undo_succession(_actor(), after, before)
        click.echo(f"已撤销沿革记录：{'、'.join(d.name for d in before)} → {after.name}")
        return
    day = _iso_date(effective_on, "--date") if effective_on else None
    record_succession(_actor(), after, before, basis, day, rename)
    for dept in before:
        click.echo(f"{dept.name}：{lineage_of(dept).status}")
    for line in lineage_of(after).origin_texts():
        click.echo(f"{after.name}：{line}")


def _iso_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise QingdanError(f"{option}「{value}」不是日期：请写成 YYYY-MM-DD，如 2019-03-01") from None


@main.command("submit")
@click.argument("department")
@click.option(
    "--reason",
    required=True,
    type=click.Choice(["law", "catalog", "reorganisation", "correction", "other"]),
    help="调整原因：law 法律立改废、catalog 上级目录调整、reorganisation 机构改革、correction 纠错、other 其他。",
)
@click.option("--basis", required=True, help="调整依据（文件名称和文号、法律条款）。")
@click.option("--comment", default="", help="说明。")
@_handle_errors
def submit_command(department: str, reason: str, basis: str, comment: str) -> None:
    """把部门的草稿提交法制审核。"""
    from qingdan.catalog.review import submit

    version = submit(_actor(), _open_version(department), reason, basis, comment)
    click.echo(f"已提交：{version}，{version.get_status_display()}")


@main.command("approve")
@click.argument("department")
@click.option("--comment", default="", help="审核意见。")
@_handle_errors
def approve_command(department: str, comment: str) -> None:
    """审核通过部门待审核的版本（法制审核通过后转编办审核；编办审核通过即发布）。"""
    from qingdan.catalog.review import approve

    version = approve(_actor(), _open_version(department), comment)
    click.echo(f"已通过：{version}，{version.get_status_display()}")


@main.command("return")
@click.argument("department")
@click.option("--comment", required=True, help="退回意见：需要修改什么。")
@_handle_errors
def return_command(department: str, comment: str) -> None:
    """把部门待审核的版本退回修改。"""
    from qingdan.catalog.review import send_back

    version = send_back(_actor(), _open_version(department), comment)
    click.echo(f"已退回：{version}，{version.get_status_display()}")


def _open_version(department: str) -> ListVersion:
    from qingdan.catalog.services import find_department

    dept = find_department(department)
    version = dept.versions.unpublished().first()
    if version is None:
        raise QingdanError(f"{dept.name}没有草稿或待审核的版本")
    return version


@main.command("diff")
@click.argument("department")
@click.option(
    "--from", "old", type=int, default=None, help="旧版本号（默认：新版本的前一版；第 1 版与前身部门比较）。"
)
@click.option("--to", "new", type=int, default=None, help="新版本号（默认最新，含草稿）。")
@click.option(
    "--json", "as_json", is_flag=True, help='输出 JSON：{"from", "to", "changes": [...], "counts"}。'
)
@_handle_errors
def diff_command(department: str, old: int | None, new: int | None, as_json: bool) -> None:
    """两个版本之间改了什么：新增、删除、改写、调整科室、电话变更……（跨越机构沿革）。"""
    from qingdan.catalog.history import version_diff
    from qingdan.catalog.services import find_department
    from qingdan.cli_output import print_diff

    result = version_diff(_actor(), find_department(department), old, new)
    if as_json:
        click.echo(dumps(result.to_json()))
    else:
        print_diff(result)


@main.group("responsibility")
def responsibility_group() -> None:
    """行政执法责任制（用 qingdan import 导入实施办法原文）。"""


@responsibility_group.command("show")
@click.argument("department")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@_handle_errors
def responsibility_show_command(department: str, as_json: bool) -> None:
    """显示部门的行政执法责任制：执法依据（按级别，对应登记库的法律和条款）、职责与牵头科室、重点考核、法律责任、考核方案、体检发现、与责任清单主要职责的对照。"""
    from qingdan.catalog.services import find_department
    from qingdan.enforcement.responsibility import as_json as responsibility_json
    from qingdan.enforcement.responsibility import system_of
    from qingdan.enforcement.responsibility_output import show

    system = system_of(find_department(department))
    data = responsibility_json(system)
    if as_json:
        click.echo(dumps(data))
    else:
        show(system, data)


@main.group("audit")
def audit_group() -> None:
    """审计日志（只追加，哈希链防篡改）。"""


@audit_group.command("verify")
@click.option("--expect", default="", help="以前记录下来的最新摘要：它若已不在日志中，说明日志末尾被删去。")
@_handle_errors
def audit_verify_command(expect: str) -> None:
    """逐条核对审计日志的哈希链：发现被改动、删除或插入的记录时报错。"""
    from qingdan.core.audit import verify

    result = verify(expect=expect.strip())
    for problem in result.problems:
        click.secho(f"✗ {problem}", fg="red", err=True)
    if not result.ok:
        sys.exit(1)
    click.echo(f"审计日志完好：{result.count} 条记录，哈希链连续。")
    click.echo(f"最新摘要：{result.head}（请另行保存；下次用 --expect 核对，可发现末尾被删去的记录）")


@audit_group.command("list")
@click.option("--limit", default=20, show_default=True, help="显示最近几条。")
@_handle_errors
def audit_list_command(limit: int) -> None:
    """显示最近的审计记录：时间、操作人、操作、对象，以及修改前后的内容（系统管理员）。"""
    from django.utils import timezone

    from qingdan.core.audit import recent

    for e in recent(_actor(), limit):
        when = timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")
        click.echo(
            f"#{e.pk} {when} {e.actor_name}：{e.action_label} {e.object_type_label}「{e.object_repr}」"
        )
        for label, text in (("修改前", e.before_text), ("修改后", e.after_text)):
            if text:
                click.echo(f"    {label}：{text}")


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_handle_errors
def backup_command(file: Path) -> None:
    """备份登记库到文件（SQLite 在线备份；PostgreSQL 用 pg_dump）。"""
    from qingdan.core.backup import backup

    info = backup(file)
    click.echo(f"已备份到 {file}（{info.size / 1024 / 1024:.1f} MB）")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再确认。")
@_handle_errors
def restore_command(file: Path, yes: bool) -> None:
    """用备份文件替换当前登记库的全部内容，并重建检索索引。"""
    from qingdan.core.backup import restore

    if not yes:
        click.confirm(f"将用 {file} 替换当前登记库的全部内容，确定吗？", abort=True)
    restore(file)
    click.echo(f"已从 {file} 恢复登记库，检索索引已重建。")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="工作进程数（默认 CPU 核数 × 2 + 1）。")
@click.option("--no-worker", is_flag=True, help="不启动后台进程（另行运行 qingdan worker 时使用）。")
@_handle_errors
def serve_command(host: str, port: int, workers: int | None, no_worker: bool) -> None:
    """启动公开门户和 API（gunicorn，生产级服务器，静态文件一并提供），并启动后台进程。"""
    serve(host, port, workers, background=not no_worker)


def serve(host: str, port: int, workers: int | None = None, background: bool = True) -> None:
    import signal
    import subprocess

    from qingdan.search import reindex

    if not _index_ready():
        reindex()
    workers = workers or (os.cpu_count() or 1) * 2 + 1
    click.echo(
        f"清单门户已启动：http://{host}:{port}/   （API：http://{host}:{port}/api/v1/docs ，按 Ctrl+C 停止）"
    )
    env = {**os.environ, "QINGDAN_TASKS": os.environ.get("QINGDAN_TASKS", "database")}
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "qingdan.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
        "--preload",
    ]
    children = [subprocess.Popen(web, env=env)]
    if background:
        click.echo("后台进程已启动（检索索引更新、清单体检）。")
        children.append(subprocess.Popen([sys.executable, "-m", "qingdan.cli", "worker"], env=env))

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = children[0].wait()  # the web server decides when serving ends
    stop(signal.SIGTERM, None)
    for child in children[1:]:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
    sys.exit(code)


@main.command("worker")
@click.option("--interval", default=1.0, show_default=True, type=float, help="没有工作时每隔几秒查看一次。")
@click.option("--once", is_flag=True, help="做完现有的后台工作就退出。")
def worker_command(interval: float, once: bool) -> None:
    """运行后台进程：执行排队的任务，补做登记库欠下的派生工作（检索索引、清单体检、跨部门体检）。"""
    from qingdan.core.worker import run_worker

    run_worker(interval, once)


def _index_ready() -> bool:
    from qingdan.search import looks_current

    try:
        return looks_current()
    except Exception:  # an index from an older version, or none: rebuild it
        return False


DEMO_USERS = [
    ("tianbao", "filler", "青山县科学技术局", "部门填报员（青山县科学技术局）"),
    ("fazhi", "legal", "青山县科学技术局", "法制审核员（青山县）"),
    ("bianban", "approver", "青山县科学技术局", "编办审核员（青山县）"),
    ("admin", "admin", None, "系统管理员"),
]
DEMO_PASSWORD = "qingdan-demo"


def _demo_enforcement(folder: Path) -> None:
    """The demo's 行政执法责任制 (enforcement/*.txt, imported like any file), its 执法人员 rosters
    (enforcement/<部门>执法人员.csv) and 局领导, through the same services. They sit apart from the
    lists so that the lists' departments exist first."""
    from qingdan.catalog.services import find_department
    from qingdan.cli_output import ImportOptions, import_files

    import_files(sorted(folder.glob("*.txt")), ImportOptions(), _actor())
    from qingdan.enforcement.staff import save_leader
    from qingdan.enforcement.staff_import import import_staff

    for path in sorted(folder.glob("*执法人员.csv")):
        department = find_department(path.name.removesuffix("执法人员.csv"))
        click.echo(import_staff(_actor(), department, path.name, path.read_bytes()).summary(path.name))
        if not department.leaders.exists():
            for name, title, units in DEMO_LEADERS:
                save_leader(_actor(), department, name, title, units)
        standards = folder / f"{department.name}裁量基准.csv"  # 裁量基准 (#12), before the cases
        if standards.exists():
            from qingdan.cases.discretion import import_standards

            click.echo(import_standards(_actor(), department, standards).summary())
        from qingdan.cases.demo import load as load_cases

        click.echo(f"\n演示案件的办案账号（{department.name}，密码均为 {DEMO_PASSWORD}）：")
        load_cases(_actor(), department, DEMO_PASSWORD, click.echo)
        from qingdan.inspection.demo import load as load_inspection

        click.echo(f"\n演示双随机抽查（{department.name}）：")
        load_inspection(_actor(), department, click.echo)


DEMO_LEADERS = [  # 青山县科学技术局 (fictional)
    ("刘建国", "局长", ["办公室"]),
    ("何文静", "副局长", ["计划财务股", "高新技术股"]),
    ("马立新", "副局长", ["成果转化股", "农村科技股"]),
]


def _demo_users() -> None:
    """One demo user per role, so the review flow can be tried at /login/ (local demo only)."""
    from django.contrib.auth import get_user_model

    from qingdan.catalog.services import find_department
    from qingdan.core.accounts import create_user

    click.echo(f"\n演示账号（密码均为 {DEMO_PASSWORD}，登录：/login/）：")
    for username, role, department, label in DEMO_USERS:
        if not get_user_model().objects.filter(username=username).exists():
            dept = find_department(department) if department else None
            create_user(_actor(), username, role, dept, password=DEMO_PASSWORD)
        click.echo(f"  {username:8} {label}")


@main.command("demo")
@click.option("--no-serve", is_flag=True, help="只载入演示数据，不启动门户。")
@click.option("--port", default=8000, show_default=True, type=int)
@_handle_errors
def demo_command(no_serve: bool, port: int) -> None:
    """载入演示登记库（虚构的青山县，examples/demo/），然后启动门户。"""
    from qingdan.cli_output import ImportOptions, import_files, print_departments

    demo = Path(__file__).resolve().parent.parent / "examples" / "demo"
    files = sorted(p for p in demo.glob("*") if p.suffix in {".txt", ".docx", ".xlsx", ".json", ".csv"})
    if not files:
        raise QingdanError(f"没有找到演示文件目录 {demo}（请在源码目录中运行）")
    failed = import_files(files, ImportOptions(), _actor())
    click.echo()
    print_departments(as_json=False)
    click.echo("\n试试：qingdan search 技术合同认定登记找谁    qingdan show 科学技术局")
    _demo_users()
    _demo_enforcement(demo / "enforcement")
    if failed:
        sys.exit(1)
    if not no_serve:
        serve("127.0.0.1", port)


def _add_law_commands() -> None:
    """``qingdan laws …`` and ``qingdan reminders`` (qingdan.laws.cli, which uses the helpers above)."""
    from qingdan.laws import cli as laws_cli

    main.add_command(laws_cli.laws_group)
    main.add_command(laws_cli.reminders_command)


_add_law_commands()

ARGUMENT_NAMES = {
    "paths": "文件或目录",
    "department": "部门",
    "department_a": "部门甲",
    "department_b": "部门乙",
    "jurisdiction": "地区",
    "fingerprint": "指纹",
    "query": "查询语句",
    "username": "用户名",
    "successor": "后继部门",
    "predecessors": "前身部门",
    "file": "文件",
    "title": "名称",
    "law": "法律法规",
}

# 执法人员、岗位与责任矩阵 (qingdan/enforcement/commands.py)
from qingdan.enforcement.commands import matrix_command, staff_group  # noqa: E402

main.add_command(staff_group)
main.add_command(matrix_command)

# 工作日历与期限 (qingdan/deadlines/cli.py)
from qingdan.deadlines.cli import calendar_group  # noqa: E402

main.add_command(calendar_group)

# 行政处罚案件 (qingdan/cases/commands.py)
from qingdan.cases.commands import cases_group  # noqa: E402

main.add_command(cases_group)
ARGUMENT_NAMES.update({"start": "起算日", "n": "期限数", "year": "年份", "day": "日期", "code": "代码"})

# 执法文书与模板 (qingdan/cases/commands_documents.py)
from qingdan.cases import commands_documents  # noqa: E402

commands_documents.register(main)
ARGUMENT_NAMES.update(commands_documents.ARGUMENT_NAMES)


# 裁量基准与案件统计 (qingdan/cases/commands_discretion.py); `stats` joins the `cases` group
def _add_discretion_commands() -> None:
    from qingdan.cases.commands_discretion import cases_stats_command, discretion_group

    main.add_command(discretion_group)
    cases = main.commands.get("cases")
    if not isinstance(cases, click.Group):
        cases = click.Group("cases", help="行政处罚案件。")
        main.add_command(cases)
    cases.add_command(cases_stats_command)
    ARGUMENT_NAMES.update({"circumstance": "情节"})


_add_discretion_commands()

# 双随机抽查 (#13, qingdan/inspection/commands*.py)
import qingdan.inspection.commands_draw  # noqa: E402  (抽查计划与公开抽取, H3)
import qingdan.inspection.commands_tasks  # noqa: E402  (检查任务, results, burden)
from qingdan.inspection import commands_items  # noqa: E402, F401  (draw items, derive, …)
from qingdan.inspection.commands import (  # noqa: E402
    draw_group,
    inspectees_group,
    inspection_group,
    inspectors_group,
)

for _group in (draw_group, inspectees_group, inspectors_group, inspection_group):
    main.add_command(_group)
ARGUMENT_NAMES.update({"position": "序号"})

import qingdan.inspection.commands_pool  # noqa: E402,F401  (名录库: inspectees, inspectors)

ARGUMENT_NAMES.update({"uscc": "统一社会信用代码"})
ARGUMENT_NAMES.update({"plan": "计划"})

name_parameters(main, ARGUMENT_NAMES)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
