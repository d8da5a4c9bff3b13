"""Public pages of the power list: a jurisdiction's 权力事项 across its departments, one power as
the element table offices know, and a law with the current items that cite it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qingdan.catalog.models import ListVersion, PowerItem
from qingdan.catalog.powers import TYPES, UNTYPED, citations_of, numbered_parts, power_listing
from qingdan.core.models import Jurisdiction
from qingdan.laws.models import Law
from qingdan.search.documents import item_url

PER_PAGE = 50


def power_list(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """``/j/<id>/powers/?type=行政许可&d=<department>&page=2``: filtered, counted, paged."""
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    chosen_type = request.GET.get("type", "").strip()[:30]
    department = request.GET.get("d", "")
    listing = power_listing(jurisdiction.pk, chosen_type, int(department) if department.isdigit() else None)
    page = Paginator(listing.items, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(p, listing.versions[p.version_id]) for p in page.object_list]
    context = {
        "jurisdiction": jurisdiction,
        "listing": listing,
        "page": page,
        "rows": [(p, v, item_url(v, "power", p.pk)) for p, v in rows],
        "chosen_type": chosen_type,
        "chosen_department": int(department) if department.isdigit() else None,
        "untyped": UNTYPED,
        "known_types": TYPES,
    }
    return render(request, "portal/powers.html", context)


def law(request: HttpRequest, law_id: int) -> HttpResponse:
    """``/law/<id>/``: the law's title and, paged, the items of current lists that cite it."""
    found = get_object_or_404(Law.objects.select_related("successor"), pk=law_id)
    page = Paginator(citations_of(found.pk), PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for c in page.object_list:
        if c.power is not None:
            rows.append((c, "权力事项", c.power.name, item_url(c.version, "power", c.power.pk)))
        elif c.share is not None:
            url = item_url(c.version, "boundary", c.share.matter.pk)
            rows.append((c, "职责边界", c.share.matter.matter, url))
    return render(request, "portal/law.html", {"law": found, "page": page, "rows": rows})


@dataclass
class PowerElements:
    """One power's elements, ready for the element table."""

    power: PowerItem
    basis: SafeString  # the 设定依据 text, each cited law linked to its page
    duties: list[str]  # 责任事项, one numbered step per entry
    accountability: list[str]  # 追责情形, likewise
    extra: list[tuple[str, str]]  # 其他信息: columns that mapped to no element


def power_elements(version: ListVersion, pk: int) -> PowerElements | None:
    power = version.powers.filter(pk=pk).first()
    if power is None:
        return None
    laws = {c.title: c.law_id for c in power.citations.all() if c.law_id is not None}
    return PowerElements(
        power=power,
        basis=linked_basis(power.basis, laws),
        duties=numbered_parts(power.duties),
        accountability=numbered_parts(power.accountability),
        extra=[(str(k), str(v)) for k, v in power.extra.items() if str(v).strip()],
    )


_TITLE = re.compile(r"《([^《》]{2,120})》")


def linked_basis(text: str, laws: dict[str, int]) -> SafeString:
    """``text`` escaped, line breaks kept, each 《title》 the item cites linked to /law/<id>/."""
    out, last = [], 0
    for match in _TITLE.finditer(text or ""):
        law_id = laws.get(" ".join(match.group(1).split())[:300])
        if law_id is None:
            continue
        out += [escape(text[last : match.start()]), f'<a href="{reverse("law", args=[law_id])}">']
        out += [escape(match.group(0)), "</a>"]
        last = match.end()
    out.append(escape((text or "")[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))
