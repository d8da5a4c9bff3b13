"""What the `qingdan` command prints for the 执法责任制: the import report and `responsibility show`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from qingdan.core.permissions import Actor
from qingdan.enforcement.models import ResponsibilitySystem
from qingdan.errors import QingdanError
from qingdan.ingest.problems import IngestError
from qingdan.ingest.raw import RawDocument

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def import_document(path: Path, data: bytes, doc: RawDocument, options: Any, actor: Actor) -> bool:
    """`qingdan import` of a 执法责任制 document (``options``: the list import's ImportOptions)."""
    from qingdan.ingest.readers.responsibility import describe, read_responsibility

    try:
        record = read_responsibility(doc)
        for warning in record.warnings:
            err.print(f"  提示 {describe(warning)}", style="yellow", markup=False)
        if options.dry_run:
            return _dry_run(path, record, options)
        system = _store(path, data, record, options, actor)
    except IngestError as exc:
        err.print(f"✗ {path.name}：未导入，发现 {len(exc.problems)} 个问题", style="red", markup=False)
        for problem in exc.problems:
            err.print(f"  · {describe(problem)}", markup=False)
        return False
    except QingdanError as exc:
        err.print(f"✗ {path.name}：未导入。{exc.message}", style="red", markup=False)
        return False
    out.print(f"✓ {system.department.name} 行政执法责任制（{system.title}）：{counts(record)}", markup=False)
    return True


def _store(path: Path, data: bytes, record: Any, options: Any, actor: Actor) -> ResponsibilitySystem:
    """The department (created by an administrator on first sight) and its system, in one transaction."""
    from django.db import transaction

    from qingdan.enforcement.responsibility import department_for, digest_of, import_responsibility

    with transaction.atomic():
        department = department_for(actor, record, options.department, options.jurisdiction)
        return import_responsibility(actor, department, record, path.name, digest_of(data))


def _dry_run(path: Path, record: Any, options: Any) -> bool:
    from qingdan.core import departments
    from qingdan.enforcement.responsibility import department_name

    name, place = department_name(record, options.department, options.jurisdiction)
    known = "" if departments.named(place, name) else "（新部门）"
    out.print(f"（试运行）{path.name} → {name}{known}（{place}）：{counts(record)}", markup=False)
    return True


def counts(record: Any) -> str:
    return (
        f"{len(record.bases)} 项执法依据、{len(record.duties)} 项职责、"
        f"{len(record.liabilities)} 条法律责任、{len(record.assessment.aspects)} 项考核内容"
    )


def show(system: ResponsibilitySystem, data: dict[str, Any]) -> None:
    """The whole 执法责任制 as text: bases by level, 职责, 法律责任, 考核方案, findings, matching."""
    out.print(f"{data['department']}　{data['title']}", style="bold", markup=False)
    out.print(
        f"文号：{data['document_number'] or '—'}　发文机关：{data['issuer'] or '—'}　来源：{data['source']}"
    )
    _show_bases(data["bases"])
    out.print("\n职责", style="bold")
    for d in data["duties"]:
        lead = "、".join(d["lead_units"]) or "（未写明）"
        out.print(f"  {d['number']}. {d['text']}", markup=False)
        out.print(f"     牵头科室：{lead}", markup=False)
        for key in d["key_assessments"]:
            out.print(f"     重点考核：{key}", markup=False)
    out.print("\n法律责任", style="bold")
    for c in data["liabilities"]:
        out.print(f"  {c['number']}. {c['text']}", markup=False)
    _show_assessment(data["assessment"])
    out.print("\n体检发现", style="bold")
    for f in data["findings"]:
        out.print(f"  [{f['severity_label']}] {f['location']}：{f['message']}", markup=False)
    if not data["findings"]:
        out.print("  无")
    _show_matching(data["matching"])


def _show_bases(bases: list[dict[str, Any]]) -> None:
    out.print("\n执法依据", style="bold")
    heading = None
    for b in bases:
        if b["heading"] != heading:
            heading = b["heading"]
            out.print(f"  {heading or '（未分类）'}（{b['level_label'] or '级别未知'}）", markup=False)
        law = b["law"]
        resolved = (
            f" → 登记库《{law['title']}》" + ("" if law["in_force"] else "（已失效）")
            if law
            else " → 登记库中未找到"
        )
        article = b["registry_article"]
        cited = f" {b['article']}" if b["article"] else ""
        registry = f"（登记库{article['label']}）" if article else ""
        out.print(f"    《{b['title']}》{cited}{resolved}{registry}", markup=False)


def _show_assessment(a: dict[str, Any]) -> None:
    out.print("\n考核方案", style="bold")
    for i, aspect in enumerate(a["aspects"], start=1):
        out.print(f"  考核内容 {i}：{aspect}", markup=False)
    out.print(f"  考核办法：{a['method'] or '—'}", markup=False)
    out.print(f"  评鉴机构：{a['body'] or '—'}", markup=False)
    out.print(f"  等次：{'、'.join(a['grades']) or '—'}", markup=False)
    out.print(f"  结果运用：{a['use'] or '—'}", markup=False)


def _show_matching(m: dict[str, Any]) -> None:
    out.print("\n与责任清单主要职责的对照", style="bold")
    if m["list_version"] is None:
        out.print("  本部门还没有已发布的责任清单")
        return
    out.print(f"  责任清单第 {m['list_version']} 版", markup=False)
    for pair in m["matched"]:
        out.print(
            f"  职责 {pair['duty']['number']} ↔ 主要职责 {pair['list_duty']['number']}"
            f"（相似度 {pair['similarity']:.2f}）：{pair['list_duty']['text'][:40]}",
            markup=False,
        )
    for d in m["only_in_responsibility"]:
        out.print(f"  仅执法责任制有：职责 {d['number']} {d['text'][:40]}", markup=False)
    for d in m["only_in_list"]:
        out.print(f"  仅责任清单有：主要职责 {d['number']} {d['text'][:40]}", markup=False)
