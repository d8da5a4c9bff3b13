"""One item of a published version, as label → value pairs for its permanent page."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qingdan.catalog.models import ListVersion, Task
from qingdan.search.documents import item_url


@dataclass
class ItemView:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    units: list[tuple[str, list[str]]] = field(default_factory=list)  # (unit, phones)


def load_item(version: ListVersion, kind: str, pk: int) -> ItemView | None:
    loader = _LOADERS.get(kind)
    return loader(version, pk) if loader else None


def _units(units: object) -> list[tuple[str, list[str]]]:
    return [(u.name, list(u.phones)) for u in units]  # type: ignore[attr-defined]


def _task(version: ListVersion, pk: int) -> ItemView | None:
    from qingdan.catalog.models import Task

    task = Task.objects.filter(duty__version=version, pk=pk).select_related("duty").first()
    if task is None:
        return None
    rows = [
        ("主要职责", f"{task.duty.no}. {task.duty.text}"),
        ("具体工作事项", task.text),
        ("备注", task.note),
    ]
    return ItemView(task.text or task.duty.text, rows, _units(task.units.order_by("taskunit__position")))


def _duty(version: ListVersion, pk: int) -> ItemView | None:
    duty = version.duties.filter(pk=pk).first()
    if duty is None:
        return None
    tasks = "\n".join(t.text for t in duty.tasks.all())
    return ItemView(duty.text, [("序号", duty.no), ("具体工作事项", tasks)])


def _boundary(version: ListVersion, pk: int) -> ItemView | None:
    matter = version.boundaries.filter(pk=pk).first()
    if matter is None:
        return None
    rows = []
    for share in matter.shares.all():
        rows += [
            (f"{share.department} · 职责分工", share.division),
            ("相关依据", share.basis),
            ("案例", share.case),
        ]
    return ItemView(matter.matter, rows)


def _service(version: ListVersion, pk: int) -> ItemView | None:
    service = version.services.filter(pk=pk).first()
    if service is None:
        return None
    rows = [("主要内容", service.content), ("联系电话", "、".join(service.phones))]
    return ItemView(service.name, rows, _units(service.units.order_by("serviceunit__position")))


def _regime(version: ListVersion, pk: int) -> ItemView | None:
    r = version.supervision.filter(pk=pk).first()
    if r is None:
        return None
    labels = ("监督检查对象", "监督检查内容", "监督检查方式", "监督检查措施", "监督检查程序", "监督检查处理")
    values = (r.targets, r.content, r.methods, r.measures, r.procedure, r.handling)
    return ItemView(r.matter, list(zip(labels, values, strict=True)))


def _power(version: ListVersion, pk: int) -> ItemView | None:
    p = version.powers.filter(pk=pk).first()
    if p is None:
        return None
    rows = [
        ("事项编码", p.code),
        ("事项类型", p.type),
        ("子项", p.subitems),
        ("设定依据", p.basis),
        ("实施主体", p.subject),
        ("承办机构", "、".join(p.units)),
        ("责任事项", p.duties),
        ("追责情形", p.accountability),
        ("监督电话", "、".join(p.phones)),
        ("受委托单位", p.entrusted_to),
        ("平台事项标识", p.source_id),
    ]
    rows += [(f"其他信息·{header}", str(value)) for header, value in p.extra.items()]
    return ItemView(p.name, rows)


_LOADERS = {
    "task": _task,
    "duty": _duty,
    "boundary": _boundary,
    "service": _service,
    "regime": _regime,
    "power": _power,
}


_PATH = re.compile(r"^(duties|boundaries|services|supervision|powers)\[(\d+)\](?:\.tasks\[(\d+)\])?")
_KINDS = {
    "duties": "duty",
    "boundaries": "boundary",
    "services": "service",
    "supervision": "regime",
    "powers": "power",
}


def urls_for_paths(version: ListVersion, paths: Iterable[str]) -> dict[str, str]:
    """The permanent page of the item each finding's path names (duties[3].tasks[1] → that task),
    a query per section however many paths: a page of a hundred findings stays cheap."""
    wanted: dict[str, set[int]] = defaultdict(set)
    tasks: set[tuple[int, int]] = set()
    parsed = {}
    for path in set(paths):
        if match := _PATH.match(path or ""):
            section, index, task = match.group(1), int(match.group(2)), match.group(3)
            parsed[path] = (section, index, None if task is None else int(task))
            if section == "duties" and task is not None:
                tasks.add((index, int(task)))
            else:
                wanted[section].add(index)
    found: dict[tuple[str, int, int | None], int] = {}
    for section, positions in wanted.items():
        manager: Any = getattr(version, section)  # the related managers are named like the sections
        for position, pk in manager.filter(position__in=positions).values_list("position", "pk"):
            found[(section, position, None)] = pk
    if tasks:
        rows = Task.objects.filter(
            duty__version=version,
            duty__position__in={d for d, _ in tasks},
            position__in={t for _, t in tasks},
        ).values_list("duty__position", "position", "pk")
        found.update((("duties", d, t), pk) for d, t, pk in rows)
    urls = {}
    for path, (section, index, task) in parsed.items():
        pk = found.get((section, index, task))
        kind = "task" if task is not None else _KINDS[section]
        urls[path] = item_url(version, kind, pk) if pk else ""
    return urls
