"""The registered checks. A check is registered by decorating its class with ``@register``;
every module in ``qingdan/checks/rules/`` is imported, so adding a check is adding one file."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from qingdan.checks.base import SEVERITY_LABELS, Check

_CHECKS: dict[str, type[Check]] = {}
_ID = re.compile(r"[a-z]+(?:\.[a-z][a-z0-9-]*)+")


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: add a check to the registry (its id must be new and look like area.what)."""
    if not _ID.fullmatch(cls.id):
        raise ValueError(f"check id {cls.id!r} of {cls.__name__} must look like 'area.what'")
    if cls.severity not in SEVERITY_LABELS or not cls.title:
        raise ValueError(f"check {cls.id} needs a severity ({', '.join(SEVERITY_LABELS)}) and a title")
    existing = _CHECKS.get(cls.id)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"check id {cls.id} is used by {existing.__name__} and {cls.__name__}")
    _CHECKS[cls.id] = cls
    return cls


@cache
def _discover() -> None:
    from qingdan.checks import rules

    for module in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"{rules.__name__}.{module.name}")


def all_checks() -> list[Check]:
    """One instance of every registered check, ordered by id."""
    _discover()
    return [_CHECKS[key]() for key in sorted(_CHECKS)]


def get_check(check_id: str) -> Check:
    _discover()
    return _CHECKS[check_id]()
