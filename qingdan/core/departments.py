"""Departments by any of their names: the registry's name, and the aliases offices write."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from qingdan.core import outbox
from qingdan.core.audit import log
from qingdan.core.models import Department, DepartmentAlias, Jurisdiction, PendingWork
from qingdan.core.permissions import Actor


def directory(jurisdiction: str) -> dict[str, str]:
    """Every name and alias of the departments of ``jurisdiction`` → the department's name."""
    names = {
        name: name
        for name in Department.objects.filter(jurisdiction__name=jurisdiction).values_list("name", flat=True)
    }
    aliases = DepartmentAlias.objects.filter(jurisdiction__name=jurisdiction).values_list(
        "name", "department__name"
    )
    return {**dict(aliases), **names}


def named(jurisdiction: str, name: str) -> Department | None:
    """The department of ``jurisdiction`` called ``name`` or known under it as an alias."""
    found = Department.objects.filter(jurisdiction__name=jurisdiction).filter(
        Q(name=name) | Q(aliases__name=name)
    )
    return found.select_related("jurisdiction").first()


def names_of(department: Department) -> set[str]:
    """The department's name and its aliases."""
    return {department.name, *department.aliases.values_list("name", flat=True)}


def remember_aliases(
    actor: Actor, jurisdiction: Jurisdiction, aliases: Iterable[tuple[str, str]]
) -> list[str]:
    """Store each (alias, department name) not yet known; an alias that is already another
    department's name or alias is left alone. Returns the aliases stored."""
    taken = directory(jurisdiction.name)
    departments = {d.name: d for d in Department.objects.filter(jurisdiction=jurisdiction)}
    stored = []
    for alias, name in aliases:
        department = departments.get(name)
        if department is None or alias in taken:
            continue
        DepartmentAlias.objects.create(department=department, jurisdiction=jurisdiction, name=alias[:200])
        log(actor, "department_alias", department, after={"alias": alias})
        outbox.owe(PendingWork.INDEX, [department.pk])  # its documents carry its aliases
        taken[alias] = name
        stored.append(alias)
    return stored
