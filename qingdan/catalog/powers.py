"""The power list (权力清单 / 权责清单) of a jurisdiction, and the laws its items cite.

Public reading only: every current department's newest *published* version. A department is
current unless a 机构改革 abolished it (it is the predecessor in a Succession).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from qingdan.catalog.models import LegalCitation, ListVersion, PowerItem
from qingdan.core.models import Department

# 事项类型 in the order of the national catalogue; other words a province uses follow by count.
TYPES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政裁决",
    "行政确认",
    "行政奖励",
    "行政检查",
    "其他行政权力",
    "其他",
    "公共服务",
)
UNTYPED = "未注明类型"  # the filter value and label of powers whose 事项类型 is blank


def current_versions(jurisdiction_id: int | None = None) -> dict[int, ListVersion]:
    """The newest published version of every current department (of one jurisdiction), by pk."""
    newest = (
        ListVersion.objects.published()
        .filter(department=OuterRef("department"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = ListVersion.objects.published().filter(
        number=Subquery(newest), department__in=Department.objects.current()
    )
    if jurisdiction_id is not None:
        versions = versions.filter(department__jurisdiction_id=jurisdiction_id)
    return {v.pk: v for v in versions.select_related("department")}


def has_published_powers() -> Exists:
    """Annotation for jurisdictions: does a current department of it publish powers?"""
    return Exists(
        PowerItem.objects.filter(
            version__department__jurisdiction=OuterRef("pk"),
            version__status=ListVersion.PUBLISHED,
            version__department__in=Department.objects.current(),
        )
    )


@dataclass
class PowerListing:
    """One page's worth of the filtered power list, and the counts the filters show."""

    items: QuerySet[PowerItem]  # filtered and ordered, not yet read
    versions: dict[int, ListVersion]
    by_type: list[tuple[str, int]]  # counted within the chosen department
    by_department: list[tuple[Department, int]]  # counted within the chosen type
    total: int


def power_listing(jurisdiction_id: int, type: str = "", department_id: int | None = None) -> PowerListing:
    """The current powers of a jurisdiction, filtered by 事项类型 and department."""
    versions = current_versions(jurisdiction_id)
    everything = PowerItem.objects.filter(version_id__in=list(versions))
    in_department = everything
    if department_id is not None:
        chosen = [pk for pk, v in versions.items() if v.department_id == department_id]
        in_department = everything.filter(version_id__in=chosen)
    of_type = Q(type="" if type == UNTYPED else type) if type else Q()
    items = in_department.filter(of_type)
    return PowerListing(
        items=items.only(
            "pk", "version_id", "position", "code", "name", "type", "subject", "entrusted_to", "units"
        ).order_by("version__department__name", "version_id", "position"),
        versions=versions,
        by_type=_type_counts(in_department),
        by_department=_department_counts(everything.filter(of_type), versions),
        total=everything.count(),
    )


def _type_counts(powers: QuerySet[PowerItem]) -> list[tuple[str, int]]:
    counts = {
        row["type"] or UNTYPED: row["n"] for row in powers.values("type").annotate(n=Count("pk")).order_by()
    }
    order = {t: i for i, t in enumerate(TYPES)}
    return sorted(counts.items(), key=lambda tc: (order.get(tc[0], len(order)), -tc[1], tc[0]))


def _department_counts(
    powers: QuerySet[PowerItem], versions: dict[int, ListVersion]
) -> list[tuple[Department, int]]:
    rows = powers.values("version_id").annotate(n=Count("pk")).order_by()
    counts = [(versions[row["version_id"]].department, row["n"]) for row in rows]
    return sorted(counts, key=lambda dc: dc[0].name)


def citations_of(law_id: int) -> QuerySet[LegalCitation]:
    """Where the current lists cite a law: powers and boundary shares, by department."""
    versions = current_versions()
    return (
        LegalCitation.objects.filter(law_id=law_id, version_id__in=list(versions))
        .select_related("version__department", "power", "share__matter")
        .order_by("version__department__name", "pk")
    )


# --- one power laid out as its element table -------------------------------------------------

_NUMBERINGS = (
    re.compile(r"(?<![\d第.．])(\d{1,2})\s*[.．、](?!\d)"),  # 1. 1． 1、
    re.compile(r"[（(](\d{1,2})[)）]"),  # （1）
    re.compile(r"[（(]([一二三四五六七八九十]{1,3})[)）]"),  # （一）
    re.compile(r"(?<![第\w])([一二三四五六七八九十]{1,3})、"),  # 一、
)
_CHINESE = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
_CHINESE += [f"十{d}" for d in _CHINESE[:9]] + ["二十"]


def numbered_parts(text: str) -> list[str]:
    """「1.受理责任：…2.审查责任：…」 as one part per number, the way the element table prints
    it; a text already written one per line keeps its lines. Numbers must run 1, 2, 3… so that
    「第3条」 or 「1.5万元」 do not split a sentence."""
    parts: list[str] = []
    for line in (text or "").splitlines():
        if line.strip():
            parts += _split_line(line.strip())
    return parts


def _split_line(line: str) -> list[str]:
    for pattern in _NUMBERINGS:
        cuts, expected = [], 1
        for match in pattern.finditer(line):
            if match.group(1) in (str(expected), _CHINESE[expected - 1] if expected <= 20 else ""):
                cuts.append(match.start())
                expected += 1
        if len(cuts) >= 2:
            lead = [line[: cuts[0]].strip()] if line[: cuts[0]].strip() else []
            bounds = zip(cuts, [*cuts[1:], len(line)], strict=True)
            return lead + [line[a:b].strip() for a, b in bounds]
    return [line]
