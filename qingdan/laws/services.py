"""The law registry's service functions: resolving citations to laws (more to come)."""

from __future__ import annotations

from collections.abc import Iterable

from qingdan.core.queries import in_batches
from qingdan.laws.models import Law, LawName
from qingdan.laws.names import law_key


def resolve_titles(titles: Iterable[str]) -> dict[str, Law]:
    """The registry's law for each cited title that names one (by full title or short name)."""
    keys = {title: law_key(title) for title in titles}
    names = in_batches(LawName.objects.select_related("law"), "key", sorted(set(keys.values())))
    by_key = {name.key: name.law for name in names}
    return {title: by_key[key] for title, key in keys.items() if key in by_key}
