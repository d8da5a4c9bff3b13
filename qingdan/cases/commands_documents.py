"""`qingdan cases document|report` and `qingdan templates list|upload|remove|export`: thin, over
``qingdan.cases.documents``.

``register(main)`` adds them: the two case commands go into the ``cases`` group when one is
already registered (the case workflow's own commands), else into the small group defined here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def _cli() -> Any:
    from qingdan import cli

    return cli


@click.group("cases")
def cases_group() -> None:
    """行政处罚案件：执法文书、备案报告。"""


@click.group("templates")
def templates_group() -> None:
    """执法文书模板：查看、上传、删除（恢复默认）、导出默认模板以便修改。"""


def find_case(reference: str) -> Any:
    """A case by its 案号 (鹿工信罚〔2026〕3号) or its number in the registry."""
    from qingdan.cases.models import PenaltyCase
    from qingdan.errors import NotFound

    reference = reference.strip()
    found = list(PenaltyCase.objects.select_related("department__jurisdiction").filter(number=reference)[:2])
    if not found and reference.isdigit() and len(reference) < 19:
        found = list(PenaltyCase.objects.select_related("department__jurisdiction").filter(pk=int(reference)))
    if len(found) != 1:
        raise NotFound(
            f"没有案号或编号为「{reference}」的案件。"
            if not found
            else f"「{reference}」对应多个案件，请用编号。"
        )
    return found[0]


def _department(name: str) -> Any:
    from qingdan.catalog.services import find_department

    return find_department(name) if name else None


def _write(output: Path, content: bytes) -> None:
    output.write_bytes(content)


def _document(case: str, kind: str, output: Path | None) -> None:
    from qingdan.cases.documents import KIND_LABELS, document_file_name, make_document

    document = make_document(_cli()._actor(), find_case(case), kind)
    target = output or Path(document_file_name(document))
    _write(target, bytes(document.content))
    click.echo(f"已生成「{KIND_LABELS[kind]}」：{target}（SHA-256 {document.sha256[:16]}…）")


@click.command("document")
@click.argument("case")
@click.argument("kind")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="保存到这个文件。")
def document_command(case: str, kind: str, output: Path | None) -> None:
    """为案件（案号或编号）制作一份执法文书（.docx），并保存在案件中。"""
    _cli()._handle_errors(_document)(case, kind, output)


def _report(department: str, year: int, half: int, output: Path | None) -> None:
    from qingdan.cases.documents import major_cases, major_filing_report

    dept = _department(department)
    content = major_filing_report(_cli()._actor(), dept, year, half)
    target = output or Path(
        f"{dept.name}{year}年{'上' if half == 1 else '下'}半年重大行政处罚决定备案报告.docx"
    )
    _write(target, content)
    click.echo(f"已生成重大行政处罚决定备案报告：{target}（{len(major_cases(dept, year, half))} 件）")


@click.command("report")
@click.argument("department")
@click.option("--year", type=int, required=True, help="年度，如 2026。")
@click.option("--half", type=click.IntRange(1, 2), required=True, help="1 = 上半年，2 = 下半年。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="保存到这个文件。")
def report_command(department: str, year: int, half: int, output: Path | None) -> None:
    """部门半年度的重大行政处罚决定备案报告（.docx）。"""
    _cli()._handle_errors(_report)(department, year, half, output)


def _list(department: str) -> None:
    from qingdan.cases.documents import KIND_LABELS, template_for

    dept = _department(department)
    click.echo(f"{dept.name if dept else '共用'}的文书模板：")
    for kind, label in KIND_LABELS.items():
        template = template_for(dept, kind)
        click.echo(
            f"  {kind:<22} {label}：{template.source}模板 {template.file_name}（{template.sha256[:12]}）"
        )


@templates_group.command("list")
@click.option("--department", default="", help="部门（全称或唯一的一部分）；不写则看共用模板。")
def templates_list_command(department: str) -> None:
    """每种文书现在用哪个模板（本部门、共用或默认）。"""
    _cli()._handle_errors(_list)(department)


def _upload(kind: str, file: Path, department: str) -> None:
    from qingdan.cases.documents import KIND_LABELS, upload_template
    from qingdan.ingest.readers import read_path_bytes

    row = upload_template(_cli()._actor(), kind, file.name, read_path_bytes(file), _department(department))
    click.echo(f"已上传「{KIND_LABELS[kind]}」模板 {file.name}（SHA-256 {row.sha256[:16]}…）")


@templates_group.command("upload")
@click.argument("kind")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--department", default="", help="部门（全称或唯一的一部分）；不写则上传共用模板（系统管理员）。"
)
def templates_upload_command(kind: str, file: Path, department: str) -> None:
    """上传一种文书的模板（.docx），检查通过才保存，替换原有的。"""
    _cli()._handle_errors(_upload)(kind, file, department)


def _remove(kind: str, department: str) -> None:
    from qingdan.cases.documents import KIND_LABELS, remove_template

    remove_template(_cli()._actor(), kind, _department(department))
    click.echo(f"已删除「{KIND_LABELS[kind]}」模板，恢复使用上一级（共用或默认）模板。")


@templates_group.command("remove")
@click.argument("kind")
@click.option("--department", default="", help="部门（全称或唯一的一部分）；不写则删除共用模板。")
def templates_remove_command(kind: str, department: str) -> None:
    """删除上传的模板，恢复默认。"""
    _cli()._handle_errors(_remove)(kind, department)


def _export(kind: str, output: Path | None, department: str) -> None:
    from qingdan.cases.documents import KIND_LABELS, require_kind, template_for

    require_kind(kind)
    template = template_for(_department(department), kind)
    target = output or Path(f"{KIND_LABELS[kind]}.docx")
    _write(target, template.content)
    click.echo(f"已导出「{KIND_LABELS[kind]}」{template.source}模板：{target}")


@templates_group.command("export")
@click.argument("kind")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="保存到这个文件。")
@click.option("--department", default="", help="部门（全称或唯一的一部分）；不写则导出共用（或默认）模板。")
def templates_export_command(kind: str, output: Path | None, department: str) -> None:
    """导出现在使用的模板（没有上传过则是默认模板），在 Word 中修改后再上传。"""
    _cli()._handle_errors(_export)(kind, output, department)


ARGUMENT_NAMES = {"case": "案件", "kind": "文书种类"}


def register(main: click.Group) -> None:
    """Add ``cases document``, ``cases report`` and the ``templates`` group to ``main``."""
    group = main.commands.get("cases")
    if not isinstance(group, click.Group):
        group = cases_group
        main.add_command(group)
    group.add_command(document_command)
    group.add_command(report_command)
    main.add_command(templates_group)
