"""清单体检 report pages: per department and per jurisdiction, counts by check and severity, each
finding linked to the item it was found in, and the findings as XLSX for offline review."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qingdan.checks.base import SEVERITY_LABELS
from qingdan.checks.services import CheckReport, decide, findings_of, run_checks
from qingdan.checks.xlsx import findings_xlsx
from qingdan.core.models import Department, Jurisdiction
from qingdan.core.permissions import actor_of, can_decide
from qingdan.errors import QingdanError
from qingdan.portal.items import url_for_path
from qingdan.portal.views import _attachment, published


def report_of(department: Department) -> CheckReport:
    """The newest published version's findings; checked now if it never was."""
    version = published(department)
    return CheckReport(version, findings_of(version) or run_checks(version))


def _reports(place: Jurisdiction) -> list[CheckReport]:
    return [report_of(d) for d in place.departments.current() if d.versions.published().exists()]


def _summary(reports: list[CheckReport]) -> list[dict[str, Any]]:
    """Open findings counted by check and severity, most serious first."""
    counted = Counter((f.severity, f.check_id, f.title) for r in reports for f in r.open_findings)
    order = list(SEVERITY_LABELS)
    rows = [
        {"severity": SEVERITY_LABELS[s], "check": c, "title": t, "count": n}
        for (s, c, t), n in counted.items()
    ]
    return sorted(rows, key=lambda r: (order.index(_key(r["severity"])), -r["count"]))


def _key(label: str) -> str:
    return next(k for k, v in SEVERITY_LABELS.items() if v == label)


def _rows(report: CheckReport) -> list[dict[str, Any]]:
    return [
        {"finding": f, "severity": SEVERITY_LABELS[f.severity], "url": url_for_path(report.version, f.path)}
        for f in report.findings
    ]


def department_report(request: HttpRequest, department_id: int) -> HttpResponse:
    dept = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    report = report_of(dept)
    context = {
        "department": dept,
        "report": report,
        "summary": _summary([report]),
        "rows": _rows(report),
        "can_decide": can_decide(actor_of(request.user), dept),
    }
    return render(request, "portal/check_department.html", context)


def jurisdiction_report(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    from qingdan.checks.services import crossing_decisions, crossing_findings

    place = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    reports = _reports(place)
    found = crossing_findings(place)
    decisions = crossing_decisions(place, found)
    ids = dict(place.departments.values_list("name", "pk"))
    overlaps = [
        {**f.as_json(), "decision": decisions.get(f.fingerprint), "department_id": ids.get(f.department)}
        for f in found
    ]
    actor = actor_of(request.user)
    context = {
        "jurisdiction": place,
        "reports": reports,
        "summary": _summary(reports),
        "overlaps": overlaps,
        "can_decide": actor.is_admin or (actor.is_reviewer and actor.jurisdiction_id == place.pk),
    }
    return render(request, "portal/check_jurisdiction.html", context)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def comparison(request: HttpRequest) -> HttpResponse:
    """横向可比对: two departments' lists aligned item by item."""
    from qingdan.catalog.services import record_of
    from qingdan.checks.compare import compare

    departments = Department.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name")
    a, b = (departments.filter(pk=_int(request.GET.get(k))).first() for k in ("a", "b"))
    result = compare(record_of(published(a)), record_of(published(b))) if a and b else None
    context = {"departments": departments, "a": a, "b": b, "result": result}
    return render(request, "portal/compare.html", context)


def department_xlsx(request: HttpRequest, department_id: int) -> HttpResponse:
    dept = get_object_or_404(Department, pk=department_id)
    return _attachment(findings_xlsx([report_of(dept)]), f"{dept.name}-体检.xlsx", "xlsx")


def jurisdiction_xlsx(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    place = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    reports = _reports(place)
    return _attachment(findings_xlsx(reports), f"{place.name}-体检.xlsx", "xlsx")


@require_POST
def decide_finding(request: HttpRequest) -> HttpResponse:
    """A reviewer accepts or dismisses a finding from a report page (POST), then goes back to it."""
    dept = get_object_or_404(Department, pk=_int(request.POST.get("department")))
    fingerprint = request.POST.get("fingerprint", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("check-department", args=[dept.pk])
    try:
        decide(
            actor_of(request.user),
            dept,
            fingerprint,
            request.POST.get("status", ""),
            request.POST.get("reason", ""),
        )
    except QingdanError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录审核结论。")
    return redirect(f"{back.split('#')[0]}#f-{fingerprint}")
