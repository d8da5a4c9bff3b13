"""清单体检 of a department's 执法责任制: what its 考核方案 and 职责 get wrong.

* ``responsibility.grades`` — the 考核方案 names other grades than the 公务员法's four (the grades
  and their article are data: ``enforcement/data/assessment.json``);
* ``responsibility.no-lead-unit`` — a 职责 with no 牵头科室. A catch-all 职责 (承担…交办的其它工作)
  is exempt: it is work handed down case by case, and no 科室 can lead it in advance.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from qingdan.checks.base import WARNING, FindingRecord, Location
from qingdan.enforcement.models import AssessmentScheme, ResponsibilitySystem

DATA = Path(__file__).resolve().parent / "data" / "assessment.json"
# 承担市政府交办的其它工作 / 完成上级交办的其他事项
CATCH_ALL = re.compile(r"^(?:承担|完成|办理).{0,12}交办的其[他它]")


@cache
def assessment_grades() -> dict[str, Any]:
    """The statutory grades with the article they come from."""
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def responsibility_findings(system: ResponsibilitySystem) -> list[FindingRecord]:
    """Every finding on ``system``, in document order."""
    department = system.department.name
    found = [*_grade_findings(system), *_lead_unit_findings(system)]
    for finding in found:
        finding.department = department
    return found


def _grade_findings(system: ResponsibilitySystem) -> list[FindingRecord]:
    scheme = AssessmentScheme.objects.filter(system=system).first()
    if scheme is None or not scheme.grades:
        return []
    statute = assessment_grades()
    grades, legal = list(scheme.grades), list(statute["grades"])
    if grades == legal:
        return []
    missing = [g for g in legal if g not in grades]
    extra = [g for g in grades if g not in legal]
    parts = []
    if missing:
        parts.append(f"缺少「{'」「'.join(missing)}」")
    if extra:
        parts.append(f"多出「{'」「'.join(extra)}」")
    named = "、".join(grades)
    return [
        FindingRecord(
            "responsibility.grades",
            WARNING,
            "考核等次与公务员法不一致",
            [Location("考核方案「等次」", "assessment.grades")],
            f"考核方案规定{len(grades)}个等次（{named}），{statute['source']}规定"
            f"{len(legal)}个等次（{'、'.join(legal)}）：{'，'.join(parts) or '顺序不同'}。",
            named,
            f"按{statute['source']}改为{'、'.join(legal)}{len(legal)}个等次",
        )
    ]


def _lead_unit_findings(system: ResponsibilitySystem) -> list[FindingRecord]:
    found = []
    for i, duty in enumerate(system.duties.all()):
        if duty.lead_units or CATCH_ALL.match(duty.text):
            continue
        found.append(
            FindingRecord(
                "responsibility.no-lead-unit",
                WARNING,
                "职责没有牵头科室",
                [Location(f"职责 {duty.number or i + 1}", f"duties[{i}]")],
                f"职责 {duty.number or i + 1} 没有写明牵头科室，无法落实到科室和岗位。",
                duty.text,
                "在职责末尾写明（牵头科室：××科）",
            )
        )
    return found
