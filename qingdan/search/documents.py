"""What the search index holds: one document per task, duty, boundary share, public service,
supervision regime and power item of each department's newest version."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from qingdan.catalog.models import BoundaryShare, ListVersion, ServiceUnit, Task, TaskUnit
from qingdan.core.models import Department, DepartmentAlias
from qingdan.core.queries import grouped


@dataclass
class SearchDoc:
    id: str  # kind-pk, e.g. task-123
    kind: str  # task, duty, boundary, service, regime, power
    department: str
    department_id: int
    jurisdiction: str
    text: str  # what a hit shows
    units: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    duty: str = ""
    basis: str = ""
    url: str = ""
    extra: str = ""  # searched but not shown as the hit text (a boundary case, a regime's parts)
    aliases: str = ""  # the department's other names (西安市乡村振兴局 for 西安市农业农村局), searched

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    def searchable(self) -> str:
        return "\n".join([self.text, self.duty, self.extra, self.basis, " ".join(self.units)])


def item_url(version: ListVersion, kind: str, pk: int) -> str:
    """The permanent address of an item: versions never change, so neither does this."""
    return f"/d/{version.department_id}/v{version.number}/{kind}/{pk}/"


def latest_versions(jurisdiction_id: int | None = None) -> Iterator[ListVersion]:
    """The newest published version of every department (of one jurisdiction, when given)."""
    departments = Department.objects.select_related("jurisdiction").order_by("pk")
    if jurisdiction_id is not None:
        departments = departments.filter(jurisdiction_id=jurisdiction_id)
    for department in departments:
        version = department.versions.published().order_by("-number").first()
        if version is not None:
            yield version


def documents_of(version: ListVersion) -> Iterator[SearchDoc]:
    """Every searchable item of one version."""
    dept = version.department
    base: dict[str, Any] = {
        "department": dept.name,
        "department_id": dept.pk,
        "jurisdiction": dept.jurisdiction.name,
        "aliases": " ".join(dept.aliases.values_list("name", flat=True)),
    }
    phones = {u.name: list(u.phones) for u in version.units.all()}

    def unit_phones(names: list[str]) -> list[str]:
        return list(dict.fromkeys(p for n in names for p in phones.get(n, [])))

    tasks = grouped(Task.objects.filter(duty__version=version), "duty_id")
    task_units = grouped(
        TaskUnit.objects.filter(task__duty__version=version).select_related("unit"), "task_id"
    )
    for duty in version.duties.all():
        duty_units: list[str] = []
        for task in tasks.get(duty.pk, []):
            names = [tu.unit.name for tu in task_units.get(task.pk, [])]
            duty_units.extend(n for n in names if n not in duty_units)
            yield SearchDoc(
                f"task-{task.pk}",
                "task",
                **base,
                text=task.text or duty.text,
                units=names,
                phones=unit_phones(names),
                duty=duty.text,
                url=item_url(version, "task", task.pk),
                extra=task.note,
            )
        yield SearchDoc(
            f"duty-{duty.pk}",
            "duty",
            **base,
            text=duty.text,
            units=duty_units,
            phones=unit_phones(duty_units),
            url=item_url(version, "duty", duty.pk),
        )
    yield from _boundary_docs(version, base)
    service_units = grouped(
        ServiceUnit.objects.filter(service__version=version).select_related("unit"), "service_id"
    )
    for service in version.services.all():
        names = [su.unit.name for su in service_units.get(service.pk, [])]
        yield SearchDoc(
            f"service-{service.pk}",
            "service",
            **base,
            text=f"{service.name}：{service.content}",
            units=names,
            phones=list(dict.fromkeys([*service.phones, *unit_phones(names)])),
            url=item_url(version, "service", service.pk),
        )
    for regime in version.supervision.all():
        parts = [
            regime.targets,
            regime.content,
            regime.methods,
            regime.measures,
            regime.procedure,
            regime.handling,
        ]
        yield SearchDoc(
            f"regime-{regime.pk}",
            "regime",
            **base,
            text=regime.matter,
            extra="\n".join(parts),
            url=item_url(version, "regime", regime.pk),
        )
    for power in version.powers.all():
        yield SearchDoc(
            f"power-{power.pk}",
            "power",
            **base,
            text=power.name,
            units=list(power.units),
            phones=list(power.phones),
            basis=power.basis,
            extra="\n".join([power.type, power.subitems, power.duties]),
            url=item_url(version, "power", power.pk),
        )


def _boundary_docs(version: ListVersion, base: dict[str, Any]) -> Iterator[SearchDoc]:
    shares = grouped(BoundaryShare.objects.filter(matter__version=version), "matter_id")
    for matter in version.boundaries.all():
        for share in shares.get(matter.pk, []):
            yield SearchDoc(
                f"boundary-{share.pk}",
                "boundary",
                **base,
                text=f"{matter.matter}｜{share.department}：{share.division}",
                basis=share.basis,
                extra=share.case,
                duty=matter.matter,
                url=item_url(version, "boundary", matter.pk),
            )


def registry_terms() -> set[str]:
    """Department, unit and matter names: jieba's user dictionary, so they stay whole."""
    from qingdan.catalog.models import BoundaryMatter, Unit

    terms = set(Department.objects.values_list("name", flat=True))
    terms |= set(DepartmentAlias.objects.values_list("name", flat=True))
    terms |= set(Unit.objects.values_list("name", flat=True))
    terms |= {m for m in BoundaryMatter.objects.values_list("matter", flat=True) if len(m) <= 12}
    return terms
