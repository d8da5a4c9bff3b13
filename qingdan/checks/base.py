"""What a check is and what it finds: ``Check``, ``FindingRecord``, ``Location`` and severities.

A check reads a ``CheckContext`` (one list and what is known about it) and yields
``FindingRecord``s. It never touches the database, so it can be tested on a record built in a test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from qingdan.checks.context import CheckContext

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Location:
    """Where in a list a finding is: a label for people and a qingdan/1 path for programs."""

    label: str
    path: str = ""

    def field(self, name: str) -> Location:
        return Location(f"{self.label}「{name}」", self.path)

    @classmethod
    def whole_list(cls) -> Location:
        return cls("整份清单")

    @classmethod
    def unit(cls, index: int, name: str) -> Location:
        return cls(f"科室「{name}」", f"units[{index}]")

    @classmethod
    def duty(cls, i: int) -> Location:
        return cls(f"主要职责 {i + 1}", f"duties[{i}]")

    @classmethod
    def task(cls, i: int, j: int) -> Location:
        return cls(f"主要职责 {i + 1} / 具体工作事项 {j + 1}", f"duties[{i}].tasks[{j}]")

    @classmethod
    def boundary(cls, i: int) -> Location:
        return cls(f"职责边界 {i + 1}", f"boundaries[{i}]")

    @classmethod
    def share(cls, i: int, j: int) -> Location:
        return cls(f"职责边界 {i + 1} / 相关部门 {j + 1}", f"boundaries[{i}].shares[{j}]")

    @classmethod
    def service(cls, i: int) -> Location:
        return cls(f"公共服务事项 {i + 1}", f"services[{i}]")

    @classmethod
    def regime(cls, i: int) -> Location:
        return cls(f"事中事后监管制度 {i + 1}", f"supervision[{i}]")

    @classmethod
    def power(cls, i: int) -> Location:
        return cls(f"权力事项 {i + 1}", f"powers[{i}]")


@dataclass
class FindingRecord:
    """One thing wrong with a list. The same evidence found in several places is one finding."""

    check_id: str
    severity: str
    title: str
    locations: list[Location]
    message: str
    evidence: str
    suggestion: str = ""
    department: str = ""

    @property
    def location(self) -> Location:
        return self.locations[0]

    @property
    def fingerprint(self) -> str:
        """Stable across versions while the evidence is unchanged: a decision on it can follow it."""
        return fingerprint(self.check_id, self.evidence)

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check_id,
            "severity": self.severity,
            "severity_label": SEVERITY_LABELS[self.severity],
            "title": self.title,
            "department": self.department,
            "location": self.location.label,
            "path": self.location.path,
            "locations": [loc.label for loc in self.locations],
            "message": self.message,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
            "fingerprint": self.fingerprint,
        }


def fingerprint(check_id: str, evidence: str) -> str:
    return hashlib.sha256(f"{check_id}\n{evidence}".encode()).hexdigest()[:24]


class Check:
    """A check: a stable ``id`` (``area.what``), a ``severity``, a Chinese ``title`` and ``run``.

    Subclass it in a module of ``qingdan/checks/rules/`` and decorate it with ``@register``.
    """

    id: ClassVar[str] = ""
    severity: ClassVar[str] = WARNING
    title: ClassVar[str] = ""

    def run(self, context: CheckContext) -> Iterator[FindingRecord]:
        raise NotImplementedError

    def finding(
        self,
        where: Location,
        message: str,
        evidence: str,
        suggestion: str = "",
        severity: str | None = None,
    ) -> FindingRecord:
        return FindingRecord(
            self.id, severity or self.severity, self.title, [where], message, evidence, suggestion
        )
