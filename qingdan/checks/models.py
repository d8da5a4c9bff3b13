"""Findings kept per version, and reviewers' decisions kept per department by fingerprint, so a
decision made on one version still stands on the next while the evidence is unchanged."""

from __future__ import annotations

from typing import Any

from django.db import models

from qingdan.catalog.models import ListVersion
from qingdan.checks.base import ERROR, INFO, SEVERITY_LABELS, WARNING
from qingdan.core.models import Department


class Finding(models.Model):
    """What one check found in one version of a list."""

    SEVERITY_CHOICES = [(key, SEVERITY_LABELS[key]) for key in (ERROR, WARNING, INFO)]

    version = models.ForeignKey(ListVersion, models.CASCADE, related_name="findings")
    position = models.PositiveIntegerField()
    check_id = models.CharField("检查项", max_length=60, db_index=True)
    severity = models.CharField("严重程度", max_length=10, choices=SEVERITY_CHOICES)
    title = models.CharField("检查项名称", max_length=100)
    location = models.CharField("位置", max_length=300)
    path = models.CharField("路径", max_length=100, blank=True)
    locations = models.JSONField("全部位置", default=list)
    message = models.TextField("说明")
    evidence = models.TextField("原文")
    suggestion = models.TextField("建议", blank=True)
    fingerprint = models.CharField("指纹", max_length=64, db_index=True)

    # the department's decision on this fingerprint, set by services.findings_of (not a column)
    decision: FindingDecision | None = None

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "体检发现"

    def __str__(self) -> str:
        return f"{self.check_id} @ {self.location}"

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check_id,
            "severity": self.severity,
            "severity_label": SEVERITY_LABELS[self.severity],
            "title": self.title,
            "location": self.location,
            "path": self.path,
            "locations": self.locations,
            "message": self.message,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
            "fingerprint": self.fingerprint,
            "decision": self.decision.as_json() if self.decision else None,
        }


class FindingDecision(models.Model):
    """A reviewer's word on a finding: a real problem to fix, or not a problem (with the reason)."""

    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    STATUS_CHOICES = [(ACCEPTED, "确认问题"), (DISMISSED, "不是问题")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="finding_decisions")
    fingerprint = models.CharField("指纹", max_length=64)
    check_id = models.CharField("检查项", max_length=60)
    status = models.CharField("结论", max_length=10, choices=STATUS_CHOICES)
    reason = models.TextField("理由", blank=True)
    decided_by = models.CharField("决定人", max_length=150)
    decided_at = models.DateTimeField("决定时间", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("department", "fingerprint", name="decision_unique_fingerprint")
        ]
        verbose_name = "体检结论"

    def __str__(self) -> str:
        return f"{self.get_status_display()}：{self.check_id}"

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_label": self.get_status_display(),
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(),
        }


class CheckRun(models.Model):
    """清单体检 of one published version has been done (in the background), whatever it found:
    a version with no findings and a version never checked look alike without this."""

    version = models.OneToOneField(ListVersion, models.CASCADE, related_name="check_run")
    checked_at = models.DateTimeField("体检时间", auto_now=True)
    finding_count = models.PositiveIntegerField("发现数", default=0)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "清单体检记录"


class CrossingRun(models.Model):
    """The checks across one jurisdiction's lists, computed in the background from the
    published versions named in ``versions`` and served from here."""

    jurisdiction = models.OneToOneField("core.Jurisdiction", models.CASCADE, related_name="crossing_run")
    checked_at = models.DateTimeField("体检时间", auto_now=True)
    versions = models.JSONField("所依据的版本", default=list)
    findings = models.JSONField("发现", default=list)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "跨部门体检记录"
