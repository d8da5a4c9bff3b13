"""行政处罚决定公示 (三项制度, 国办发〔2018〕118号): a department's published penalty decisions,
the party's personal data masked when published; a withdrawn decision is no longer shown."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from qingdan.cases.models import PenaltyCase
from qingdan.core.models import Department

PAGE_SIZE = 30


def penalties(request: HttpRequest, department_id: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    rows = PenaltyCase.objects.filter(
        department=department, published_on__isnull=False, withdrawn_on__isnull=True
    ).order_by("-published_on", "-id")
    page = Paginator(rows.only("number", "published_text", "published_on", "decided_on"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/penalties.html", {"department": department, "page": page})
