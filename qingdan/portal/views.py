"""Public pages: home, search, a department's list laid out like the official 登记表, one item,
and downloads. Only published versions are shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qingdan.catalog.exports import export_record
from qingdan.catalog.models import ListVersion
from qingdan.catalog.services import record_of
from qingdan.core.lineage import lineage_of
from qingdan.core.models import Department, Jurisdiction
from qingdan.ingest.records import ListRecord
from qingdan.portal.registry import MEDIA_TYPES, registry_export
from qingdan.search import search as run_search
from qingdan.search.documents import item_url
from qingdan.search.text import highlighted

KIND_LABELS = {
    "task": "具体工作事项",
    "duty": "主要职责",
    "boundary": "职责边界",
    "service": "公共服务事项",
    "regime": "事中事后监管制度",
    "power": "权力事项",
}


def published(department: Department, number: int | None = None) -> ListVersion:
    versions = department.versions.published().order_by("-number")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404("没有已发布的清单")
    return version


def home(request: HttpRequest) -> HttpResponse:
    """Every jurisdiction with its current departments; abolished ones folded away, still linked."""
    from qingdan.catalog.powers import has_published_powers
    from qingdan.core.lineage import abolished_notes

    departments = Department.objects.order_by("name")
    notes = abolished_notes(departments.abolished().values_list("pk", flat=True))
    places = []
    jurisdictions = (
        Jurisdiction.objects.prefetch_related(Prefetch("departments", departments))
        .annotate(has_powers=has_published_powers())
        .order_by("name")
    )
    for place in jurisdictions:
        all_ = list(place.departments.all())
        place.current = [d for d in all_ if d.pk not in notes]  # type: ignore[attr-defined]
        place.abolished = [(d, notes[d.pk]) for d in all_ if d.pk in notes]  # type: ignore[attr-defined]
        places.append(place)
    return render(request, "portal/home.html", {"jurisdictions": places})


def mark(text: str, words: list[str]) -> SafeString:
    """Escape ``text`` and wrap the query's words in <mark>."""
    return mark_safe(highlighted(text, words, escape, "<mark>", "</mark>"))


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    history = request.GET.get("history", "") not in ("", "0")
    result = run_search(query, limit=20, history=history) if query else None
    hits = []
    if result:
        words = result.query.all_words
        hits = [
            {"hit": h, "text": mark(h.text, words), "kind": KIND_LABELS.get(h.kind, h.kind)}
            for h in result.hits
        ]
    context = {"q": query, "result": result, "hits": hits, "history": history}
    return render(request, "portal/search.html", context)


def department(request: HttpRequest, department_id: int, number: int | None = None) -> HttpResponse:
    dept = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    version = published(dept, number)
    record = record_of(version)
    ids = _item_ids(version)
    context = {
        "department": dept,
        "version": version,
        "record": record,
        "duty_rows": _duty_rows(version, record, ids),
        "boundaries": list(zip(record.boundaries, ids["boundary"], strict=True)),
        "services": list(zip(record.services, ids["service"], strict=True)),
        "regimes": list(zip(record.supervision, ids["regime"], strict=True)),
        "powers": list(zip(record.powers, ids["power"], strict=True)),
        "versions": dept.versions.published().order_by("-number"),
        "lineage": lineage_of(dept),
        **_superseded(dept, version),
    }
    return render(request, "portal/department.html", context)


def _superseded(dept: Department, version: ListVersion, kind: str = "", pk: int = 0) -> dict[str, Any]:
    """What an old version's pages say: the newest published number and where to read it —
    the same item there when it can be found, else the whole current list."""
    from qingdan.catalog.currency import counterpart, current_version

    current = current_version(dept)
    if current is None or current.number == version.number:
        return {"superseded_by": None}
    same = counterpart(version, kind, pk, current) if kind else None
    return {
        "superseded_by": current.number,
        "current_url": item_url(current, kind, same) if same else reverse("department", args=[dept.pk]),
        "current_is_item": same is not None,
    }


def _item_ids(version: ListVersion) -> dict[str, list[int]]:
    """Primary keys in document order, so the page can give every item its permanent link."""
    from qingdan.catalog.models import Task

    return {
        "duty": list(version.duties.values_list("pk", flat=True)),
        "task": list(Task.objects.filter(duty__version=version).values_list("pk", flat=True)),
        "boundary": list(version.boundaries.values_list("pk", flat=True)),
        "service": list(version.services.values_list("pk", flat=True)),
        "regime": list(version.supervision.values_list("pk", flat=True)),
        "power": list(version.powers.values_list("pk", flat=True)),
    }


def _duty_rows(version: ListVersion, record: ListRecord, ids: dict[str, list[int]]) -> list[dict[str, Any]]:
    """One row per task as in the 登记表: the duty cell spans its tasks' rows (a duty without
    tasks still gets its row)."""
    phones = {u.name: u.phones for u in record.units}
    tasks, rows = iter(ids["task"]), []
    for duty, duty_pk in zip(record.duties, ids["duty"], strict=True):
        if not duty.tasks:
            rows.append(
                {"span": 1, "duty": duty, "duty_url": item_url(version, "duty", duty_pk), "task": None}
            )
        for i, task in enumerate(duty.tasks):
            rows.append(
                {
                    "span": len(duty.tasks) if i == 0 else 0,
                    "duty": duty,
                    "duty_url": item_url(version, "duty", duty_pk),
                    "task": task,
                    "task_id": (task_pk := next(tasks)),
                    "task_url": item_url(version, "task", task_pk),
                    "units": [(u, phones.get(u, [])) for u in task.units],
                }
            )
    return rows


def item(request: HttpRequest, department_id: int, number: int, kind: str, pk: int) -> HttpResponse:
    from qingdan.portal.items import load_item

    dept = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    version = published(dept, number)
    found = load_item(version, kind, pk)
    if found is None:
        raise Http404("没有这个事项")
    context = {
        "department": dept,
        "version": version,
        "kind": KIND_LABELS[kind],
        "item": found,
        "lineage": lineage_of(dept),
        **_superseded(dept, version, kind, pk),
    }
    if kind == "power":  # laid out as the element table offices know
        from qingdan.portal.powers import power_elements

        context["elements"] = power_elements(version, pk)
        return render(request, "portal/power_item.html", context)
    return render(request, "portal/item.html", context)


def download(request: HttpRequest, department_id: int, fmt: str, number: int | None = None) -> HttpResponse:
    """Version ``number`` (or the newest) in ``fmt``: an old version's page downloads that version."""
    dept = get_object_or_404(Department, pk=department_id)
    version = published(dept, number)
    data = export_record(record_of(version), fmt)
    return _attachment(data, f"{dept.name}-第{version.number}版.{fmt}", fmt)


def download_registry(request: HttpRequest, fmt: str) -> HttpResponse:
    return _attachment(registry_export(fmt), f"qingdan-registry.{fmt}", fmt)


def _attachment(data: bytes, filename: str, fmt: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def changes(request: HttpRequest, department_id: int) -> HttpResponse:
    """The public change log: each published version, when, why, and what changed."""
    from qingdan.catalog.history import change_log

    dept = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    context = {"department": dept, "entries": change_log(dept), "lineage": lineage_of(dept)}
    return render(request, "portal/changes.html", context)


def diff(request: HttpRequest, department_id: int) -> HttpResponse:
    """What changed between two versions (``?from=1&to=2``); drafts only for their editors and reviewers."""
    from qingdan.catalog.history import version_diff
    from qingdan.core.permissions import actor_of
    from qingdan.errors import QingdanError

    dept = get_object_or_404(Department.objects.select_related("jurisdiction"), pk=department_id)
    try:
        result = version_diff(actor_of(request.user), dept, _number(request, "from"), _number(request, "to"))
    except QingdanError as exc:
        raise Http404(exc.message) from None
    return render(request, "portal/diff.html", {"department": dept, "result": result})


def _number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None
