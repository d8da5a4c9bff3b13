"""What `qingdan check` prints: findings grouped by check, with counts by severity."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape

from qingdan.checks.base import SEVERITY_LABELS, SEVERITY_ORDER
from qingdan.checks.models import Finding, FindingDecision
from qingdan.checks.services import CheckReport

out = Console(highlight=False, soft_wrap=True)
STYLES = {"error": "red", "warning": "yellow", "info": "cyan"}


def counts_line(counts: dict[str, int]) -> str:
    return " · ".join(f"{label} {n}" for label, n in counts.items())


def print_reports(reports: list[CheckReport]) -> None:
    if not reports:
        out.print("没有可检查的清单。用 qingdan import FILE 导入清单。")
        return
    for report in reports:
        print_report(report)
    if len(reports) > 1:
        total = {label: sum(r.counts()[label] for r in reports) for label in SEVERITY_LABELS.values()}
        out.print(f"[bold]共 {len(reports)} 份清单[/bold]：{counts_line(total)}")


def print_report(report: CheckReport) -> None:
    department = report.department
    shown = report.open_findings
    out.print(
        f"[bold]{escape(department.name)}[/bold]（{escape(department.jurisdiction.name)}）"
        f"第 {report.version.number} 版：{len(shown)} 条 — {counts_line(report.counts())}"
    )
    if not shown:
        out.print("  没有发现问题。")
    for check_id, group in groupby(shown, key=lambda f: f.check_id):
        items = list(group)
        worst = min((f.severity for f in items), key=SEVERITY_ORDER.__getitem__)
        style = STYLES[worst]
        out.print(
            f"\n  [{style}]{SEVERITY_LABELS[worst]}[/{style}] {check_id} {items[0].title}（{len(items)}）"
        )
        for finding in items:
            _print_finding(finding)
    hidden = len(report.findings) - len(shown)
    if hidden:
        out.print(f"\n  另有 {hidden} 条已判定为「不是问题」，未列出。")
    out.print()


def _print_finding(finding: Finding) -> None:
    where = finding.location + (f" 等 {len(finding.locations)} 处" if len(finding.locations) > 1 else "")
    accepted = finding.decision is not None and finding.decision.status == FindingDecision.ACCEPTED
    out.print(f"    · {escape(where)}：「{escape(finding.evidence)}」" + ("（已确认）" if accepted else ""))
    out.print(f"      {escape(finding.message)}", markup=True)
    if finding.suggestion:
        out.print(f"      [dim]建议：{escape(finding.suggestion)}[/dim]")
