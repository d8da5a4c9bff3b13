"""清单体检 report pages: per department and per jurisdiction, counts by check and severity, each
finding linked to the item it was found in, and the findings as XLSX for offline review.

Every page here only reads: the checks run once per published version in the background
(qingdan.core.outbox) and the pages serve what they stored, a hundred findings a page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qingdan.catalog.models import ListVersion
from qingdan.checks.base import SEVERITY_LABELS
from qingdan.checks.models import Finding
from qingdan.checks.services import (
    CheckReport,
    crossing_decisions,
    crossing_versions,
    decide,
    stored_crossing,
    stored_report,
)
from qingdan.checks.xlsx import findings_xlsx
from qingdan.core.models import Department, Jurisdiction
from qingdan.core.permissions import actor_of, can_decide
from qingdan.errors import QingdanError
from qingdan.portal.items import urls_for_paths
from qingdan.portal.views import _attachment, published

PAGE_SIZE = 100
COMPARE_LIMIT = 20_000  # items per list: beyond it the page sends people to `qingdan compare`


def report_of(department: Department) -> CheckReport | None:
    """The newest published version's stored findings; None while its 清单体检 is owed. Reads only:
    the checks run in the background after publication (qingdan.core.outbox)."""
    return stored_report(published(department))


def _reports(place: Jurisdiction) -> tuple[list[CheckReport], list[ListVersion]]:
    """The stored reports of the place's current departments, and the versions still being checked."""
    reports, pending = [], []
    for dept in place.departments.current().order_by("name"):
        version = dept.versions.published().order_by("-number").first()
        if version is not None:
            report = stored_report(version)
            if report is None:
                pending.append(version)
            else:
                reports.append(report)
    return reports, pending


def page_of(request: HttpRequest, items: Sequence[Any], param: str = "page") -> Page:
    """One page of ``items`` (PAGE_SIZE a page); a page number out of range gives the last page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


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


def _rows(report: CheckReport, findings: Sequence[Finding]) -> list[dict[str, Any]]:
    urls = urls_for_paths(report.version, (f.path for f in findings))
    return [
        {"finding": f, "severity": SEVERITY_LABELS[f.severity], "url": urls.get(f.path, "")} for f in findings
    ]


def department_report(request: HttpRequest, department_id: int) -> HttpResponse:
    dept = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    version = published(dept)
    report = stored_report(version)
    page = page_of(request, report.findings if report else [])
    context = {
        "department": dept,
        "version": version,
        "report": report,
        "summary": _summary([report] if report else []),
        "page": page,
        "rows": _rows(report, list(page.object_list)) if report else [],
        "can_decide": can_decide(actor_of(request.user), dept),
    }
    return render(request, "portal/check_department.html", context)


def jurisdiction_report(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    place = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    reports, pending = _reports(place)
    run = stored_crossing(place)
    found: list[dict[str, Any]] = run.findings if run is not None else []
    page = page_of(request, found)
    decisions = crossing_decisions(place, (f["fingerprint"] for f in page.object_list))
    ids = dict(place.departments.values_list("name", "pk"))
    overlaps = [
        {**f, "decision": decisions.get(f["fingerprint"]), "department_id": ids.get(f["department"])}
        for f in page.object_list
    ]
    actor = actor_of(request.user)
    context = {
        "jurisdiction": place,
        "reports": reports,
        "pending": pending,
        "summary": _summary(reports),
        "crossing": run,
        "crossing_stale": run is not None and run.versions != crossing_versions(place),
        "page": page,
        "overlaps": overlaps,
        "can_decide": actor.is_admin or (actor.is_reviewer and actor.jurisdiction_id == place.pk),
    }
    return render(request, "portal/check_jurisdiction.html", context)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def comparison(request: HttpRequest) -> HttpResponse:
    """横向可比对: two departments' lists aligned item by item."""
    from qingdan.catalog.services import record_of
    from qingdan.checks.compare import compare, items_of

    departments = Department.objects.select_related("jurisdiction").order_by("jurisdiction__name", "name")
    a, b = (departments.filter(pk=_int(request.GET.get(k))).first() for k in ("a", "b"))
    context: dict[str, Any] = {"departments": departments, "a": a, "b": b, "result": None}
    if a and b:
        records = [record_of(published(a)), record_of(published(b))]
        too_long = [r.department for r in records if len(items_of(r)) > COMPARE_LIMIT]
        context["too_long"] = too_long
        context["limit"] = COMPARE_LIMIT
        if not too_long:
            result = context["result"] = compare(records[0], records[1])
            for key in ("matched", "only_in_a", "only_in_b"):
                context[key] = _pager(request, page_of(request, getattr(result, key), key), key)
    return render(request, "portal/compare.html", context)


def _pager(request: HttpRequest, page: Page, param: str) -> dict[str, Any]:
    """A page of one of several lists on a page, with links that turn only its own pages."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return query.urlencode()

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def department_xlsx(request: HttpRequest, department_id: int) -> HttpResponse:
    dept = get_object_or_404(Department, pk=department_id)
    report = report_of(dept)
    if report is None:  # not checked yet: the page says so, and when to come back
        return department_report(request, department_id)
    return _attachment(findings_xlsx([report]), f"{dept.name}-体检.xlsx", "xlsx")


def jurisdiction_xlsx(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """The stored findings of every department checked so far (the page lists those still pending)."""
    place = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    reports, _ = _reports(place)
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
