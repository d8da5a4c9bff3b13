"""The `qingdan` command. Thin: it parses arguments, calls the service layer and prints.

Every command applies pending migrations itself, so a user never runs manage.py.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qingdan.errors import QingdanError

EXPORT_FORMATS = ("json", "csv", "xlsx", "docx")


def _setup(data_dir: str | None) -> None:
    if data_dir:
        os.environ["QINGDAN_DATA"] = str(Path(data_dir).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingdan.settings")
    import django

    django.setup()
    from django.db.utils import OperationalError

    from qingdan.core.schema import ensure_schema

    try:
        ensure_schema()
    except (OperationalError, OSError) as exc:
        where = os.environ.get("QINGDAN_DATABASE_URL") or os.environ.get("QINGDAN_DATA", "数据目录")
        click.secho(
            f"错误：无法打开登记库（{where}）：{str(exc).strip().splitlines()[0]}", fg="red", err=True
        )
        sys.exit(1)


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QingdanError as exc:
            click.secho(f"错误：{exc.message}", fg="red", err=True)
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
@click.version_option(package_name="qingdan")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """qingdan 清单：部门责任清单的导入、版本、查询与导出。"""
    ctx.obj = {"data_dir": data_dir}
    if ctx.invoked_subcommand:
        _setup(data_dir)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--department", default="", help="部门全称（文件中没有写明时必填）。")
@click.option("--jurisdiction", default="", help="所属地区（默认从部门名称推断，如 湘阴县科技局 → 湘阴县）。")
@click.option("--dry-run", is_flag=True, help="只检查并显示将要保存的内容和所有问题，不写入。")
@_handle_errors
def import_command(paths: tuple[Path, ...], department: str, jurisdiction: str, dry_run: bool) -> None:
    """导入清单文件：.txt（Word 表格导出）、.docx、.xlsx、.doc/.wps/.xls/.et、.csv、.json、.jsonl。"""
    from qingdan.cli_output import import_files

    failed = import_files(_expand(paths), department, jurisdiction, dry_run)
    if failed:
        sys.exit(1)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    return files


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
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

    version = get_version(find_department(department), number)
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

    data = export_record(record_of(get_version(find_department(department), number)), fmt)
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
def search_command(query: tuple[str, ...], as_json: bool, limit: int, jurisdiction: str | None) -> None:
    """用一句话查找负责的部门、科室和电话，例如：qingdan search 技术合同认定登记找谁"""
    from qingdan.cli_output import print_hits
    from qingdan.search import search

    result = search(" ".join(query), limit=limit, jurisdiction=jurisdiction)
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

    不写部门也不写 --jurisdiction 时检查登记库中的全部部门。"""
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
def reindex_command(check: bool) -> None:
    """重建全文检索索引（或用 --check 检查一致性）。"""
    from qingdan.search import consistency, reindex

    if not check:
        click.echo(f"已重建索引：{reindex()} 条")
    report = consistency()
    click.echo(
        f"索引 {report.indexed} 条，登记库应有 {report.expected} 条：" + ("一致" if report.ok else "不一致")
    )
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
@click.option("--by", default="命令行", show_default=True, help="决定人。")
@_handle_errors
def decide_command(department: str, fingerprint: str, status: str | None, reason: str, by: str) -> None:
    """对一条体检发现下结论（指纹见 qingdan check 的 JSON 输出或 XLSX）。结论在证据不变时跨版本保留。"""
    from qingdan.catalog.services import find_department
    from qingdan.checks.services import decide

    if status is None:
        raise QingdanError("请用 --accept 或 --dismiss 指明结论")
    decision = decide(find_department(department), fingerprint, status, reason, by)
    click.echo(f"已记录：{decision.get_status_display()}（{decision.check_id}，{fingerprint}）")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="工作进程数（默认 CPU 核数 × 2 + 1）。")
def serve_command(host: str, port: int, workers: int | None) -> None:
    """启动公开门户和 API（gunicorn，生产级服务器，静态文件一并提供）。"""
    serve(host, port, workers)


def serve(host: str, port: int, workers: int | None = None) -> None:
    from qingdan.search import reindex

    if not _index_ready():
        reindex()
    workers = workers or (os.cpu_count() or 1) * 2 + 1
    click.echo(
        f"清单门户已启动：http://{host}:{port}/   （API：http://{host}:{port}/api/v1/docs ，按 Ctrl+C 停止）"
    )
    args = [
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
    os.execv(sys.executable, args)


def _index_ready() -> bool:
    from qingdan.search import looks_current

    try:
        return looks_current()
    except Exception:  # an index from an older version, or none: rebuild it
        return False


@main.command("demo")
@click.option("--no-serve", is_flag=True, help="只载入演示数据，不启动门户。")
@click.option("--port", default=8000, show_default=True, type=int)
@_handle_errors
def demo_command(no_serve: bool, port: int) -> None:
    """载入演示登记库（虚构的青山县，examples/demo/），然后启动门户。"""
    from qingdan.cli_output import import_files, print_departments

    demo = Path(__file__).resolve().parent.parent / "examples" / "demo"
    files = sorted(p for p in demo.glob("*") if p.suffix in {".txt", ".docx", ".xlsx", ".json", ".csv"})
    if not files:
        raise QingdanError(f"没有找到演示文件目录 {demo}（请在源码目录中运行）")
    failed = import_files(files, "", "", dry_run=False)
    click.echo()
    print_departments(as_json=False)
    click.echo("\n试试：qingdan search 技术合同认定登记找谁    qingdan show 科学技术局")
    if failed:
        sys.exit(1)
    if not no_serve:
        serve("127.0.0.1", port)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
