"""Service functions for 清单体检: run the checks over stored versions, keep what they find, and
record reviewers' decisions. The CLI (and later the web UI and API) call these."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import find_department, get_version, record_of
from qingdan.checks.base import SEVERITY_LABELS, FindingRecord
from qingdan.checks.context import CheckContext
from qingdan.checks.engine import check_record
from qingdan.checks.models import CheckRun, CrossingRun, Finding, FindingDecision
from qingdan.core.audit import log
from qingdan.core.departments import names_of
from qingdan.core.models import Department, DepartmentAlias, Jurisdiction
from qingdan.core.permissions import Actor, can_decide, require
from qingdan.core.queries import in_batches
from qingdan.errors import NotFound, QingdanError
from qingdan.ingest.records import ListRecord


@dataclass
class CheckReport:
    """One version's findings, decisions attached."""

    version: ListVersion
    findings: list[Finding]

    @property
    def department(self) -> Department:
        return self.version.department

    @property
    def open_findings(self) -> list[Finding]:
        """Findings not dismissed by a reviewer."""
        return [f for f in self.findings if not _dismissed(f)]

    def counts(self) -> dict[str, int]:
        """Open findings by severity label: {"错误": 2, "警告": 5, "提示": 1}."""
        counted = Counter(f.severity for f in self.open_findings)
        return {label: counted[key] for key, label in SEVERITY_LABELS.items()}

    def as_json(self) -> dict[str, Any]:
        return {
            "department": self.department.name,
            "jurisdiction": self.department.jurisdiction.name,
            "version": self.version.number,
            "counts": self.counts(),
            "findings": [f.as_json() for f in self.findings],
        }


def _dismissed(finding: Finding) -> bool:
    return finding.decision is not None and finding.decision.status == FindingDecision.DISMISSED


def context_for(version: ListVersion, record: ListRecord | None = None) -> CheckContext:
    """The list as a record (``record``, when the caller has already read it), the day it was
    published and the other places in the registry."""
    department = version.department
    others = Jurisdiction.objects.exclude(pk=department.jurisdiction_id).values_list("name", flat=True)
    record = record or record_of(version)
    published = timezone.localdate(version.created_at)
    return CheckContext(record, published, tuple(others), _other_departments(department))


def _other_departments(department: Department) -> dict[str, str]:
    """Names and aliases of the registry's other departments → 「name（jurisdiction）」."""
    found = {
        name: f"{name}（{place}）"
        for name, place in Department.objects.exclude(pk=department.pk).values_list(
            "name", "jurisdiction__name"
        )
    }
    aliases = DepartmentAlias.objects.exclude(department=department).values_list("name", "department__name")
    found.update((alias, f"{name} 的别名") for alias, name in aliases)
    for own in names_of(department):
        found.pop(own, None)
    return found


def run_checks(version: ListVersion) -> list[Finding]:
    """Run every check over ``version``, replace its stored findings, note the run, return them."""
    start = time.perf_counter()
    found = check_record(context_for(version))
    with transaction.atomic():
        Finding.objects.filter(version=version).delete()
        Finding.objects.bulk_create(_row(version, i, f) for i, f in enumerate(found))
        CheckRun.objects.update_or_create(
            version=version,
            defaults={"finding_count": len(found), "seconds": round(time.perf_counter() - start, 3)},
        )
    return findings_of(version)


def check_published(version_ids: set[int]) -> int:
    """The background half of publication (owed as ``PendingWork.CHECKS``): 清单体检 of each
    version that is still its department's newest published one and was not checked since it
    was published (the command line checks a list it imports at once); returns how many."""
    checked = 0
    for version in ListVersion.objects.published().filter(pk__in=sorted(version_ids)):
        newest = version.department.versions.published().order_by("-number").first()
        run = CheckRun.objects.filter(version=version).first()
        done = run is not None and version.published_at is not None and run.checked_at >= version.published_at
        if newest is not None and newest.pk == version.pk and not done:
            run_checks(version)
            checked += 1
    return checked


def was_checked(version: ListVersion) -> bool:
    return CheckRun.objects.filter(version=version).exists()


def stored_report(version: ListVersion) -> CheckReport | None:
    """The stored findings of ``version``, or None while its 清单体检 is still owed. Reads only."""
    if not was_checked(version):
        return None
    return CheckReport(version, findings_of(version))


def owe_unchecked() -> int:
    """Owe the 清单体检 of every newest published version that has none yet (published before
    checks were done in the background, or whose work was lost), and the cross-department
    check of every jurisdiction that has none. One cheap query each; returns how many were owed."""
    from qingdan.core import outbox
    from qingdan.core.models import PendingWork

    published = ListVersion.objects.published()
    newest = published.filter(department=OuterRef("department")).order_by("-number").values("pk")[:1]
    versions = published.filter(pk=Subquery(newest), check_run__isnull=True)
    owed = PendingWork.objects.values_list("key", flat=True)
    missing = set(versions.exclude(pk__in=owed.filter(kind=PendingWork.CHECKS)).values_list("pk", flat=True))
    places = set(
        Jurisdiction.objects.filter(
            crossing_run__isnull=True, departments__versions__status=ListVersion.PUBLISHED
        )
        .exclude(pk__in=owed.filter(kind=PendingWork.CROSSING))
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        outbox.owe(PendingWork.CHECKS, missing)
        outbox.owe(PendingWork.CROSSING, places)
    return len(missing) + len(places)


def _row(version: ListVersion, position: int, f: FindingRecord) -> Finding:
    return Finding(
        version=version,
        position=position,
        check_id=f.check_id,
        severity=f.severity,
        title=f.title,
        location=f.location.label[:300],
        path=f.location.path[:100],
        locations=[loc.label for loc in f.locations],
        message=f.message,
        evidence=f.evidence,
        suggestion=f.suggestion,
        fingerprint=f.fingerprint,
    )


def findings_of(version: ListVersion) -> list[Finding]:
    """The stored findings of ``version``, each with the department's decision on its fingerprint."""
    return _with_decisions(version, list(Finding.objects.filter(version=version)))


def draft_findings(version: ListVersion, record: ListRecord | None = None) -> list[Finding]:
    """The findings of a draft as it is now, computed and not stored (a draft keeps changing)."""
    found = check_record(context_for(version, record))
    return _with_decisions(version, [_row(version, i, f) for i, f in enumerate(found)])


def _with_decisions(version: ListVersion, findings: list[Finding]) -> list[Finding]:
    decisions = {
        d.fingerprint: d
        for d in in_batches(
            FindingDecision.objects.filter(department_id=version.department_id),
            "fingerprint",
            (f.fingerprint for f in findings),
        )
    }
    for finding in findings:
        finding.decision = decisions.get(finding.fingerprint)
    return findings


def decide(
    actor: Actor, department: Department, fingerprint: str, status: str, reason: str
) -> FindingDecision:
    """Record a reviewer's decision on a finding; it holds for every version with the same evidence."""
    require(can_decide(actor, department), actor, f"对{department.name}的体检发现下结论")
    if status not in (FindingDecision.ACCEPTED, FindingDecision.DISMISSED):
        raise QingdanError(f"结论「{status}」无效：应为 accepted（确认问题）或 dismissed（不是问题）")
    if status == FindingDecision.DISMISSED and not reason.strip():
        raise QingdanError("判定「不是问题」时请写明理由")
    finding = (
        Finding.objects.filter(version__department=department, fingerprint=fingerprint)
        .order_by("-version__number")
        .first()
    )
    if finding is None:
        # a finding across departments (an overlap) is stored per jurisdiction, not per version
        check_id = _crossing_check(department.jurisdiction, fingerprint)
        if check_id is None:
            raise NotFound(f"{department.name} 没有指纹为 {fingerprint} 的体检发现")
        finding = Finding(check_id=check_id)
    with transaction.atomic():
        decision, _ = FindingDecision.objects.update_or_create(
            department=department,
            fingerprint=fingerprint,
            defaults={
                "check_id": finding.check_id,
                "status": status,
                "reason": reason.strip(),
                "decided_by": str(actor)[:150],
            },
        )
        log(
            actor,
            "decide",
            department,
            after={"fingerprint": fingerprint, "status": status, "reason": reason},
        )
    return decision


def _crossing_check(jurisdiction: Jurisdiction, fingerprint: str) -> str | None:
    """The check that found ``fingerprint`` across departments: from the stored run, else computed."""
    run = stored_crossing(jurisdiction)
    stored = run.findings if run is not None else []
    found = next((f["check"] for f in stored if f["fingerprint"] == fingerprint), None)
    if found is None:
        found = next(
            (f.check_id for f in crossing_findings(jurisdiction) if f.fingerprint == fingerprint), None
        )
    return found


def check_lists(
    department: str | None = None, jurisdiction: str | None = None, number: int | None = None
) -> list[CheckReport]:
    """Check one department's list (newest version, or ``number``, abolished or not), every
    current department of a jurisdiction, or — with neither — every current department."""
    if department and jurisdiction:
        raise QingdanError("请只指定部门或 --jurisdiction 其中之一")
    if department:
        version = get_version(find_department(department), number)
        return [CheckReport(version, run_checks(version))]
    if number is not None:
        raise QingdanError("--version 只能与一个部门一起使用")
    departments = (
        Department.objects.current().select_related("jurisdiction").order_by("jurisdiction__name", "name")
    )
    if jurisdiction:
        departments = departments.filter(jurisdiction=find_jurisdiction(jurisdiction))
    reports = []
    for dept in departments:
        newest = dept.versions.order_by("-number").first()
        if newest is not None:
            reports.append(CheckReport(newest, run_checks(newest)))
    return reports


def find_jurisdiction(query: str) -> Jurisdiction:
    """The jurisdiction with this exact name, or the only one whose name contains ``query``."""
    query = query.strip()
    matches = list(Jurisdiction.objects.filter(name=query)) or list(
        Jurisdiction.objects.filter(Q(name__contains=query))[:20]
    )
    if not matches:
        raise NotFound(f"没有找到地区「{query}」。用 qingdan list 查看已有地区。")
    if len(matches) > 1:
        raise QingdanError(f"「{query}」对应多个地区：{'、'.join(j.name for j in matches)}。请写出完整名称。")
    return matches[0]


def crossing_findings(jurisdiction: Jurisdiction) -> list[FindingRecord]:
    """Overlaps and gaps between the newest lists of a jurisdiction's current departments
    (check 6), computed now: the CLI's and the background's, never a page's."""
    from qingdan.checks.overlap import overlap_findings

    return overlap_findings([record_of(v) for v in _crossing_sources(jurisdiction)])


def _crossing_sources(jurisdiction: Jurisdiction) -> list[ListVersion]:
    # an abolished department's list is history, and overlaps with it are no one's to fix
    from qingdan.search.documents import latest_versions

    abolished = set(Department.objects.abolished().values_list("pk", flat=True))
    current = (v for v in latest_versions(jurisdiction.pk) if v.department_id not in abolished)
    return sorted(current, key=lambda v: v.department.name)


def crossing_versions(jurisdiction: Jurisdiction) -> list[int]:
    """The versions cross-department findings are read from, by id: the newest published
    version of each of the jurisdiction's current departments."""
    return sorted(v.pk for v in _crossing_sources(jurisdiction))


def check_crossing(jurisdiction_ids: set[int]) -> int:
    """The background cross-department check (owed as ``PendingWork.CROSSING``): compute the
    jurisdiction's overlaps and gaps once and store them with the versions they were read from."""
    done = 0
    for place in Jurisdiction.objects.filter(pk__in=sorted(jurisdiction_ids)):
        from qingdan.checks.overlap import overlap_findings

        start = time.perf_counter()
        sources = _crossing_sources(place)
        found = [f.as_json() for f in overlap_findings([record_of(v) for v in sources])]
        versions = sorted(v.pk for v in sources)
        CrossingRun.objects.update_or_create(
            jurisdiction=place,
            defaults={
                "versions": versions,
                "findings": found,
                "seconds": round(time.perf_counter() - start, 3),
            },
        )
        done += 1
    return done


def stored_crossing(jurisdiction: Jurisdiction) -> CrossingRun | None:
    return CrossingRun.objects.filter(jurisdiction=jurisdiction).first()


def crossing_decisions(jurisdiction: Jurisdiction, fingerprints: Iterable[str]) -> dict[str, FindingDecision]:
    """Reviewers' decisions on cross-department findings, by fingerprint (any department of the place)."""
    decisions = in_batches(
        FindingDecision.objects.filter(department__jurisdiction=jurisdiction),
        "fingerprint",
        set(fingerprints),
    )
    return {d.fingerprint: d for d in decisions}
