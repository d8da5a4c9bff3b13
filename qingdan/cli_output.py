"""What the `qingdan` command prints: import reports, department tables, one list as a tree."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table
from rich.tree import Tree

from qingdan.catalog.diff import KIND_LABELS as CHANGE_LABELS
from qingdan.catalog.history import VersionDiff
from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import ImportResult, count_items, import_export, import_list, plan_export
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.core.storage import DISK_FULL, is_disk_full
from qingdan.enforcement.responsibility import looks_like_responsibility
from qingdan.enforcement.responsibility_output import import_document
from qingdan.errors import QingdanError
from qingdan.ingest import Loaded, load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.readers import read_path_bytes
from qingdan.ingest.records import ListRecord
from qingdan.ingest.subjects import Breakdown
from qingdan.search import SearchResult
from qingdan.search.text import highlighted

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

COUNT_LABELS = {
    "duties": "项主要职责",
    "tasks": "项具体工作事项",
    "units": "个科室",
    "boundaries": "项职责边界",
    "services": "项公共服务",
    "supervision": "项监管制度",
    "powers": "项权力事项",
}


def summary(counts: dict[str, int]) -> str:
    return "、".join(f"{counts[k]} {label}" for k, label in COUNT_LABELS.items() if counts.get(k))


@dataclass
class ImportOptions:
    department: str = ""
    jurisdiction: str = ""
    dry_run: bool = False
    draft: bool | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # a multi-department export's decisions
    rename_from: str = ""


def import_files(paths: list[Path], options: ImportOptions, actor: Actor) -> int:
    """Import each file in its own transaction; returns how many failed."""
    failed = 0
    show_bar = len(paths) > 3 and sys.stderr.isatty()
    from qingdan.search import deferred_indexing

    with (
        deferred_indexing(),
        Progress(console=err, transient=True, disable=not show_bar) as progress,
    ):
        task = progress.add_task("导入中", total=len(paths))
        for path in paths:
            failed += not _import_guarded(path, options, actor)
            progress.advance(task)
    if len(paths) > 1:
        out.print(f"共 {len(paths)} 个文件：成功 {len(paths) - failed}，失败 {failed}")
    return failed


def _import_guarded(path: Path, options: ImportOptions, actor: Actor) -> bool:
    """``_import_one``, with a full disk reported as such (the transaction stored nothing)."""
    try:
        return _import_one(path, options, actor)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        err.print(
            f"✗ {path.name}：未导入，没有写入任何内容。{DISK_FULL}；请腾出空间后重新导入。",
            style="red",
            markup=False,
        )
        return False


def _import_one(path: Path, options: ImportOptions, actor: Actor) -> bool:
    try:
        data = read_path_bytes(path)
        document = looks_like_responsibility(path.name, data)
        if document is not None:  # a 执法责任制 实施办法, not a list
            return import_document(path, data, document, options, actor)
        loaded = load_bytes(path.name, data, options.department, options.jurisdiction)
        for warning in loaded.warnings:
            err.print(f"  [yellow]提示[/yellow] {escape(str(warning))}")
        if loaded.is_multi:
            return _import_export(path, data, loaded, options, actor)
    except IngestError as exc:
        _print_problems(path, exc)
        return False
    record = loaded.record
    if options.dry_run:
        _print_dry_run(path, record)
        return True
    try:
        digest = hashlib.sha256(data).hexdigest()
        result = import_list(record, path.name, digest, actor, options.draft, options.rename_from)
    except QingdanError as exc:
        err.print(f"✗ {path.name}：未导入。{exc.message}", style="red", markup=False)
        return False
    _print_result(record, result)
    return True


def _print_problems(path: Path, exc: IngestError) -> None:
    err.print(f"[red]✗ {escape(path.name)}：未导入，发现 {len(exc.problems)} 个问题[/red]")
    for problem in exc.problems[:30]:
        err.print(f"  · {problem}", markup=False)
    if len(exc.problems) > 30:
        err.print(f"  · ……另有 {len(exc.problems) - 30} 个问题")


def _print_result(record: ListRecord, result: ImportResult) -> None:
    name = f"{record.department}（{record.jurisdiction}）"
    if result.created:
        status = result.version.get_status_display()
        out.print(
            f"✓ {name} 第 {result.version.number} 版（{status}）：{summary(result.counts)}", markup=False
        )
        _print_check_summary(result.version)
    else:
        out.print(f"= {name}：与第 {result.version.number} 版相同，未新建版本", markup=False)


def _import_export(path: Path, data: bytes, loaded: Loaded, options: ImportOptions, actor: Actor) -> bool:
    """A whole city's or county's power list: one list per department, all or nothing."""
    breakdown = plan_export(loaded, options.mapping)
    if options.dry_run:
        _print_breakdown(path, breakdown)
        return True
    if breakdown.undecided:
        raise IngestError(breakdown.undecided)
    show_bar = sys.stderr.isatty()
    with Progress(console=err, transient=True, disable=not show_bar) as progress:
        task = progress.add_task("写入各部门清单", total=len(breakdown.records))
        try:
            results = import_export(
                breakdown,
                path.name,
                hashlib.sha256(data).hexdigest(),
                actor,
                options.draft,
                progress=lambda _: progress.advance(task),
            )
        except QingdanError as exc:
            err.print(f"✗ {path.name}：未导入（全部部门均未写入）。{exc.message}", style="red", markup=False)
            return False
    for name, result in results.items():
        _print_result(breakdown.records[name], result)
    changed = sum(r.created for r in results.values())
    out.print(
        f"{path.name}：{len(results)} 个部门，新建版本 {changed} 个，未变化 {len(results) - changed} 个"
    )
    return True


def _print_breakdown(path: Path, breakdown: Breakdown) -> None:
    total = sum(len(r.powers) for r in breakdown.records.values())
    out.print(
        f"（试运行）{path.name} → {breakdown.jurisdiction}：{len(breakdown.records)} 个部门，"
        f"{total} 项权力事项",
        markup=False,
    )
    table = Table("部门", "权力事项", "状态")
    for name, record in sorted(breakdown.records.items(), key=lambda kv: -len(kv[1].powers)):
        table.add_row(escape(name), str(len(record.powers)), "已有" if name in breakdown.known else "新部门")
    out.print(table)
    ways = "、".join(f"{how} {n} 行" for how, n in breakdown.how.most_common())
    out.print(f"  归属方式：{ways}；委托行使 {breakdown.entrusted} 项", markup=False)
    for (written, canonical), n in breakdown.applied.most_common():
        out.print(f"  名称归并：「{written}」→「{canonical}」（{n} 行）", markup=False)
    for alias, canonical in sorted(breakdown.aliases.items()):
        out.print(f"  将记为别名：「{alias}」=「{canonical}」", markup=False)
    if breakdown.undecided:
        out.print(f"  需要决定所属部门的行（{len(breakdown.undecided)}）：", markup=False)
        for problem in breakdown.undecided[:50]:
            out.print(f"    · {problem}", markup=False)


def _print_check_summary(version: ListVersion) -> None:
    """清单体检 of what was just imported, in one line (stored for a published version)."""
    from qingdan.checks.services import CheckReport, draft_findings, run_checks

    published = version.status == ListVersion.PUBLISHED
    try:
        report = CheckReport(version, run_checks(version) if published else draft_findings(version))
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        # the list is committed; its 清单体检 stays owed and is done by the next command or worker
        err.print(
            f"  体检未完成：{DISK_FULL}。清单已保存，腾出空间后会自动补做。", style="yellow", markup=False
        )
        return
    counts = "、".join(f"{n} 个{label}" for label, n in report.counts().items() if n)
    out.print(f"  体检：{counts or '没有发现问题'}（qingdan check {version.department.name}）", markup=False)


def _print_dry_run(path: Path, record: ListRecord) -> None:
    out.print(
        f"[cyan]（试运行）[/cyan]{escape(path.name)} → {escape(record.department)}（{escape(record.jurisdiction)}）："
        + summary(count_items(record))
    )
    for unit in record.units:
        phones = "、".join(unit.phones) or "无电话"
        out.print(f"  · {unit.name}（{unit.kind}）{phones}", markup=False)


def print_departments(as_json: bool) -> None:
    from qingdan.core.lineage import abolished_notes

    rows = []
    notes = abolished_notes(Department.objects.abolished().values_list("pk", flat=True))
    for dept in Department.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name"):
        version = dept.versions.order_by("-number").first()
        rows.append({**_department_row(dept, version), "abolished": notes.get(dept.pk, "")})
    if as_json:
        click.echo(json.dumps({"departments": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("登记库是空的。用 qingdan import FILE 导入清单，或 qingdan demo 载入演示数据。")
        return
    table = Table(box=None, header_style="bold")
    for label in ("地区", "部门", "版本", "状态", "职责", "事项", "权力", "更新时间"):
        table.add_column(label, no_wrap=True)
    for r in rows:
        counts = (str(r[k]) for k in ("duties", "tasks", "powers"))
        table.add_row(
            escape(r["jurisdiction"]),
            escape(r["department"] + (f"（{r['abolished']}）" if r["abolished"] else "")),
            str(r["version"]),
            r["status"],
            *counts,
            r["updated"],
        )
    out.print(table)


def _department_row(dept: Department, version: ListVersion | None) -> dict[str, Any]:
    from django.utils import timezone

    from qingdan.catalog.models import Task

    return {
        "jurisdiction": dept.jurisdiction.name,
        "department": dept.name,
        "version": version.number if version else None,
        "status": version.get_status_display() if version else "",
        "duties": version.duties.count() if version else 0,
        "tasks": Task.objects.filter(duty__version=version).count() if version else 0,
        "powers": version.powers.count() if version else 0,
        "updated": timezone.localtime(version.created_at).strftime("%Y-%m-%d %H:%M") if version else "",
    }


def print_record(record: ListRecord, version: ListVersion) -> None:
    phones = {u.name: "、".join(u.phones) for u in record.units}
    tree = Tree(
        f"[bold]{escape(record.department)}[/bold]（{escape(record.jurisdiction)}）第 {version.number} 版"
        f"（{version.get_status_display()}） · {escape(version.source_name)}"
    )
    units = tree.add("科室与电话")
    for unit in record.units:
        units.add(escape(f"{unit.name}（{unit.kind}）{phones[unit.name] or '无电话'}"))
    duties = tree.add(f"主要职责（{len(record.duties)}）")
    for duty in record.duties:
        branch = duties.add(escape(f"{duty.no}. {duty.text}"))
        for task in duty.tasks:
            who = "、".join(task.units)
            branch.add(escape(f"{task.text or '（未列具体事项）'} —— {who}"))
    _add_sections(tree, record)
    out.print(tree)


def _add_sections(tree: Tree, record: ListRecord) -> None:
    if record.boundaries:
        node = tree.add(f"职责边界（{len(record.boundaries)}）")
        for b in record.boundaries:
            node.add(escape(f"{b.matter}：" + "、".join(s.department for s in b.shares)))
    if record.services:
        node = tree.add(f"公共服务事项（{len(record.services)}）")
        for s in record.services:
            node.add(escape(f"{s.name} —— {'、'.join(s.units)} {'、'.join(s.phones)}"))
    if record.supervision:
        node = tree.add(f"事中事后监管制度（{len(record.supervision)}）")
        for r in record.supervision:
            node.add(escape(r.matter))
    if record.powers:
        node = tree.add(f"权力事项（{len(record.powers)}）")
        for p in record.powers:
            node.add(escape(f"[{p.type or '未分类'}] {p.name}"))


KIND_LABELS = {
    "task": "工作事项",
    "duty": "主要职责",
    "boundary": "职责边界",
    "service": "公共服务",
    "regime": "监管制度",
    "power": "权力事项",
}


def print_hits(result: SearchResult) -> None:
    """Hits as a person reads them: who, which office, which phone, what and on what basis."""
    if not result.hits:
        out.print(f"没有找到与「{result.query.text}」相关的事项。试试换个说法或更短的关键词。", markup=False)
        return
    words = [w for w in result.query.all_words if w]
    for rank, hit in enumerate(result.hits, 1):
        units = "、".join(hit.units) or "（未列科室）"
        phones = "、".join(hit.phones)
        from rich.markup import escape

        gone = f"[{hit.abolished}] " if hit.abolished else ""
        out.print(
            f"[bold]{rank}. {escape(gone + hit.department)}[/bold] · {escape(units)}"
            + (f" · ☎ {escape(phones)}" if phones else "")
        )
        out.print(
            escape(f"   [{KIND_LABELS.get(hit.kind, hit.kind)}] ")
            + highlight(hit.text, words, "[reverse]", "[/reverse]")
        )
        if hit.duty and hit.kind != "duty":
            out.print(f"   所属：{hit.duty[:60]}", markup=False)
        if hit.basis:
            out.print(f"   依据：{hit.basis[:80]}", markup=False)
    out.print(f"[dim]{len(result.hits)} 条 · {result.took_ms:.1f} ms[/dim]")


def highlight(text: str, words: list[str], start: str, end: str) -> str:
    """The text as rich markup with the query's words between ``start`` and ``end``."""
    from rich.markup import escape

    return highlighted(text, words, escape, start, end)


def print_diff(result: VersionDiff) -> None:
    """A version diff as one line per change, grouped the way the list is."""
    out.print(
        f"[bold]{escape(result.department.name)}[/bold]：{escape(result.old_label)} → {escape(result.new_label)}"
    )
    if result.diff.is_empty():
        out.print("  两个版本内容相同。")
        return
    for change in result.diff.changes:
        out.print(f"  [cyan]{CHANGE_LABELS.get(change.kind, change.kind)}[/cyan] ", end="")
        out.print(change.summary, markup=False)
    counts = "、".join(f"{CHANGE_LABELS.get(k, k)} {n}" for k, n in result.diff.counts().items())
    out.print(f"共 {len(result.diff.changes)} 处变化：{counts}", markup=False)
