"""Running the checks over a list, without the database."""

from __future__ import annotations

from collections.abc import Iterable

from qingdan.checks.base import SEVERITY_ORDER, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.registry import all_checks


def check_record(context: CheckContext, only: Iterable[str] | None = None) -> list[FindingRecord]:
    """Every finding of every check (or of the checks named in ``only``), grouped by check, the
    checks for errors first.

    The same evidence found by the same check in several places is one finding with several
    locations: a reviewer decides once.
    """
    wanted = set(only) if only is not None else None
    checks = [c for c in all_checks() if wanted is None or c.id in wanted]
    rank = {c.id: (SEVERITY_ORDER[c.severity], c.id) for c in checks}
    merged: dict[str, FindingRecord] = {}
    for check in checks:
        for finding in check.run(context):
            finding.department = context.department
            first = merged.setdefault(finding.fingerprint, finding)
            if first is not finding:
                first.locations += [loc for loc in finding.locations if loc not in first.locations]
    return sorted(merged.values(), key=lambda f: rank[f.check_id])
