"""随机抽查事项清单: derived from the department's current published list (one item per 事中事后
监管制度, one per 行政检查 power, with the ratio, frequency and inspectors its text states), edited
as a draft, published by a lead, superseded by the next publication — versioned like the lists.

One service function per step: lock the department, check the state, who acts, the step's own
condition; write atomically and record it in the audit log. A published or superseded catalogue
never changes: plans point to its items (``models.PROTECT``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from qingdan.catalog.currency import current_version
from qingdan.catalog.models import PowerItem, SupervisionRegime
from qingdan.core.audit import log
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.errors import NotFound, QingdanError
from qingdan.inspection import reading, roles
from qingdan.inspection.models import InspectionItem, ItemCatalog

INSPECTION_POWER = "行政检查"
STATE_LABELS = dict(ItemCatalog.STATES)
SOURCE_LABELS = dict(InspectionItem.SOURCES)
# the fields an editor may set, with their names as people read them
FIELDS = {
    "name": "抽查事项",
    "code": "事项编码",
    "basis": "抽查依据",
    "subject": "抽查主体",
    "targets": "抽查对象",
    "content": "抽查内容",
    "methods": "抽查方式",
    "ratio": "抽查比例",
    "frequency": "抽查频次",
    "per_year": "每年次数",
    "min_inspectors": "每组检查人员",
}
MAX_INSPECTORS = 20
MAX_PER_YEAR = 366


# --- finding ---------------------------------------------------------------------------------


def _lock(department: Department) -> Department:
    """Serialise the catalogue steps of one department (two drafts at once, publish vs edit)."""
    return Department.objects.select_for_update().get(pk=department.pk)


def published_catalog(department: Department) -> ItemCatalog | None:
    return department.inspection_catalogs.filter(state=ItemCatalog.PUBLISHED).first()


def draft_catalog(department: Department) -> ItemCatalog | None:
    return department.inspection_catalogs.filter(state=ItemCatalog.DRAFT).first()


def require_draft(department: Department) -> ItemCatalog:
    draft = draft_catalog(department)
    if draft is None:
        raise QingdanError(
            f"{department.name}没有随机抽查事项清单草稿：请先生成草稿（从清单生成）或在现行清单基础上新建草稿。"
        )
    return draft


def find_item(department: Department, position: int, *, draft: bool = True) -> InspectionItem:
    """The item at ``position`` of the department's draft (or of its published catalogue)."""
    catalog = require_draft(department) if draft else published_catalog(department)
    if catalog is None:
        raise NotFound(f"{department.name}还没有发布随机抽查事项清单。")
    item = catalog.items.filter(position=position).first()
    if item is None:
        raise NotFound(f"{catalog}中没有第 {position} 项。")
    return item


def _next_number(department: Department) -> int:
    last = department.inspection_catalogs.aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


# --- derive ----------------------------------------------------------------------------------


def _from_regime(regime: SupervisionRegime, department: Department, position: int) -> InspectionItem:
    texts = [
        regime.targets,
        regime.content,
        regime.methods,
        regime.measures,
        regime.procedure,
        regime.handling,
    ]
    read = reading.read(*texts)
    return InspectionItem(
        position=position,
        name=(" ".join(regime.matter.split()) or f"事中事后监管制度 第{regime.position + 1}项")[:300],
        basis=reading.laws_named(regime.matter, *texts),
        subject=department.name,
        targets=regime.targets.strip(),
        content=regime.content.strip(),
        methods=regime.methods.strip(),
        source=InspectionItem.REGIME,
        source_ref=f"事中事后监管制度 第{regime.position + 1}项",
        regime=regime,
        **_values(read),
    )


def _from_power(power: PowerItem, department: Department, position: int) -> InspectionItem:
    extra = [str(v) for v in (power.extra or {}).values()]
    read = reading.read(power.name, power.subitems, power.duties, *extra)
    where = f"事项编码 {power.code}" if power.code.strip() else f"第{power.position + 1}项"
    return InspectionItem(
        position=position,
        code=power.code.strip()[:100],
        name=" ".join(power.name.split())[:300],
        basis=power.basis.strip(),
        subject=power.subject.strip() or department.name,
        content=power.subitems.strip(),
        source=InspectionItem.POWER,
        source_ref=f"行政检查事项 {where}",
        power=power,
        **_values(read),
    )


def _values(read: reading.Reading) -> dict[str, Any]:
    return {
        "ratio": read.ratio,
        "frequency": read.frequency,
        "per_year": read.per_year,
        "min_inspectors": max(read.min_inspectors or 2, 2),
        "source_text": read.source_text,
    }


@transaction.atomic
def derive_catalog(actor: Actor, department: Department) -> ItemCatalog:
    """生成草稿: a draft catalogue from the department's current published list."""
    department = _lock(department)
    roles.require_editor(actor, department, "生成随机抽查事项清单")
    if draft_catalog(department) is not None:
        raise QingdanError(f"{department.name}已有随机抽查事项清单草稿：请修改或发布它，不能再生成一份。")
    version = current_version(department)
    if version is None:
        raise QingdanError(f"{department.name}还没有已发布的责任清单，无法生成随机抽查事项清单。")
    catalog = ItemCatalog.objects.create(
        department=department,
        number=_next_number(department),
        derived_from=version,
        note=f"由{version}的事中事后监管制度和行政检查事项生成",
        created_by_name=str(actor),
    )
    items = [_from_regime(r, department, 0) for r in version.supervision.order_by("position")]
    items += [_from_power(p, department, 0) for p in version.powers.filter(type=INSPECTION_POWER)]
    for position, item in enumerate(items, 1):
        item.catalog, item.position = catalog, position
    InspectionItem.objects.bulk_create(items)
    log(
        actor,
        "inspection_catalog_derive",
        catalog,
        after={"来源清单版本": version.number, "事项数": len(items)},
    )
    return catalog


# --- a new draft from the published one ------------------------------------------------------

COPIED = [*FIELDS, "source", "source_ref", "source_text", "regime_id", "power_id"]


@transaction.atomic
def new_draft(actor: Actor, department: Department) -> ItemCatalog:
    """新建草稿: a copy of the published catalogue to edit (number + 1)."""
    department = _lock(department)
    roles.require_editor(actor, department, "新建随机抽查事项清单草稿")
    if draft_catalog(department) is not None:
        raise QingdanError(f"{department.name}已有随机抽查事项清单草稿：请修改或发布它。")
    published = published_catalog(department)
    if published is None:
        raise QingdanError(f"{department.name}还没有发布随机抽查事项清单：请先从清单生成草稿。")
    catalog = ItemCatalog.objects.create(
        department=department,
        number=_next_number(department),
        derived_from=published.derived_from,
        note=f"在第{published.number}版基础上修订",
        created_by_name=str(actor),
    )
    InspectionItem.objects.bulk_create(
        InspectionItem(catalog=catalog, position=item.position, **{f: getattr(item, f) for f in COPIED})
        for item in published.items.all()
    )
    log(actor, "inspection_catalog_new_draft", catalog, after={"基于版本": published.number})
    return catalog


# --- editing a draft -------------------------------------------------------------------------


def _ratio(value: Any) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace("％", "%")
    if not text:
        return None
    try:
        ratio = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        ratio = Decimal("NaN")
    if not ratio.is_finite():
        raise QingdanError(f"「抽查比例」：「{value}」不是数，请写成 0.2 或 20%。")
    if not 0 < ratio <= 1:
        raise QingdanError(f"「抽查比例」：{value} 不在 0 到 1 之间（大于 0，至多 1，即 100%）。")
    if ratio != ratio.quantize(Decimal("0.0001")):
        raise QingdanError(f"「抽查比例」：{value} 的精度超过万分之一。")
    return ratio.normalize()


def _whole(value: Any, field: str, low: int, high: int, *, empty: bool) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text and empty:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise QingdanError(f"「{FIELDS[field]}」：「{value}」应为 {low} 到 {high} 之间的整数。")
    return int(text)


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """The fields as they will be stored, or a refusal naming the first bad one."""
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        raise QingdanError(f"没有字段「{'、'.join(unknown)}」（可改：{'、'.join(FIELDS.values())}）。")
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "ratio":
            cleaned[name] = _ratio(value)
        elif name == "per_year":
            cleaned[name] = _whole(value, name, 1, MAX_PER_YEAR, empty=True)
        elif name == "min_inspectors":
            cleaned[name] = _whole(value, name, 2, MAX_INSPECTORS, empty=False)
        else:
            cleaned[name] = (
                " ".join(str(value or "").split()) if name in ("name", "code") else str(value or "").strip()
            )
            limit = getattr(InspectionItem._meta.get_field(name), "max_length", None)
            if limit and len(cleaned[name]) > limit:
                raise QingdanError(f"「{FIELDS[name]}」超过 {limit} 个字。")
    if "name" in cleaned and not cleaned["name"]:
        raise QingdanError("「抽查事项」不能为空。")
    return cleaned


def _draft_item(actor: Actor, item: InspectionItem | int, what: str) -> InspectionItem:
    pk = item.pk if isinstance(item, InspectionItem) else item
    found = InspectionItem.objects.select_related("catalog__department").filter(pk=pk).first()
    if found is None:
        raise NotFound(f"没有编号为 {pk} 的随机抽查事项。")
    _lock(found.catalog.department)
    found.refresh_from_db()
    found.catalog.refresh_from_db()
    _require_draft_state(found.catalog)
    roles.require_editor(actor, found.catalog.department, what)
    return found


def _require_draft_state(catalog: ItemCatalog) -> None:
    if catalog.state != ItemCatalog.DRAFT:
        raise QingdanError(f"{catalog}{STATE_LABELS[catalog.state]}，不能修改：请新建草稿，修改后再发布。")


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _snapshot(item: InspectionItem, fields: Any) -> dict[str, Any]:
    return {FIELDS[f]: _shown(getattr(item, f)) for f in fields}


@transaction.atomic
def edit_item(actor: Actor, item: InspectionItem | int, **values: Any) -> InspectionItem:
    """修改事项: the named fields of a draft's item, validated."""
    item = _draft_item(actor, item, "修改随机抽查事项")
    cleaned = clean(values)
    changed = [f for f, v in cleaned.items() if getattr(item, f) != v]
    if not changed:
        return item
    before = _snapshot(item, changed)
    for name in changed:
        setattr(item, name, cleaned[name])
    item.save(update_fields=changed)
    log(
        actor,
        "inspection_catalog_edit",
        item.catalog,
        before={"序号": item.position, **before},
        after={"序号": item.position, **_snapshot(item, changed)},
    )
    return item


@transaction.atomic
def add_item(actor: Actor, department: Department, **values: Any) -> InspectionItem:
    """添加事项: a hand-written item at the end of the draft."""
    department = _lock(department)
    roles.require_editor(actor, department, "添加随机抽查事项")
    catalog = require_draft(department)
    cleaned = clean(values)
    if not cleaned.get("name"):
        raise QingdanError("「抽查事项」不能为空。")
    cleaned.setdefault("subject", department.name)
    position = (catalog.items.aggregate(n=Max("position"))["n"] or 0) + 1
    item = InspectionItem.objects.create(
        catalog=catalog, position=position, source=InspectionItem.MANUAL, **cleaned
    )
    log(actor, "inspection_catalog_add", catalog, after={"序号": position, **_snapshot(item, cleaned)})
    return item


@transaction.atomic
def remove_item(actor: Actor, item: InspectionItem | int) -> None:
    """删除事项: out of the draft; the items after it move up."""
    item = _draft_item(actor, item, "删除随机抽查事项")
    catalog, position = item.catalog, item.position
    log(actor, "inspection_catalog_remove", catalog, before={"序号": position, "抽查事项": item.name})
    item.delete()
    catalog.items.filter(position__gt=position).update(position=F("position") - 1)


# --- publish ---------------------------------------------------------------------------------


@transaction.atomic
def publish_catalog(actor: Actor, department: Department) -> ItemCatalog:
    """发布: the draft becomes the published catalogue; the one published before is superseded
    (its items stay, for the plans that use them)."""
    department = _lock(department)
    roles.require_lead(actor, department, "发布随机抽查事项清单")
    draft = require_draft(department)
    if not draft.items.exists():
        raise QingdanError(f"{draft}没有事项，不能发布。")
    previous = published_catalog(department)
    if previous is not None:
        previous.state = ItemCatalog.SUPERSEDED
        previous.save(update_fields=["state"])
    draft.state = ItemCatalog.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by_name = str(actor)
    draft.save(update_fields=["state", "published_at", "published_by_name"])
    log(
        actor,
        "inspection_catalog_publish",
        draft,
        before={"现行版本": previous.number if previous else None},
        after={"现行版本": draft.number, "事项数": draft.items.count()},
    )
    return draft


# --- reading out -----------------------------------------------------------------------------


def percent(ratio: Decimal | None) -> str:
    """0.2 → 20%, 0.035 → 3.5%, None → ''."""
    if ratio is None:
        return ""
    return f"{(Decimal(ratio) * 100).normalize():f}%"


def changed_from_text(item: InspectionItem) -> list[str]:
    """What the department set differently from what the item's source sentence states, in words
    («抽查比例：原文为 20%»): an edit stays visible beside the sentence it departs from."""
    if not item.source_text:
        return []
    stated = reading.read(item.source_text)
    notes = []
    if stated.ratio is not None and (item.ratio is None or Decimal(item.ratio) != stated.ratio):
        notes.append(f"抽查比例：原文为 {percent(stated.ratio)}")
    if stated.per_year is not None and item.per_year != stated.per_year:
        notes.append(f"每年次数：原文为 {stated.per_year} 次")
    if stated.min_inspectors is not None and item.min_inspectors != max(stated.min_inspectors, 2):
        notes.append(f"每组检查人员：原文为 {stated.min_inspectors} 名以上")
    return notes


def item_json(item: InspectionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "position": item.position,
        "code": item.code,
        "name": item.name,
        "basis": item.basis,
        "subject": item.subject,
        "targets": item.targets,
        "content": item.content,
        "methods": item.methods,
        "ratio": None if item.ratio is None else f"{Decimal(item.ratio).normalize():f}",
        "ratio_percent": percent(item.ratio),
        "frequency": item.frequency,
        "per_year": item.per_year,
        "min_inspectors": item.min_inspectors,
        "source": item.source,
        "source_label": SOURCE_LABELS[item.source],
        "source_ref": item.source_ref,
        "source_text": item.source_text,
        "changed_from_text": changed_from_text(item),
    }


def catalog_json(catalog: ItemCatalog) -> dict[str, Any]:
    """The catalogue as the CLI's --json, the API and the portal give it."""
    return {
        "department": catalog.department.name,
        "department_id": catalog.department_id,
        "number": catalog.number,
        "state": catalog.state,
        "state_label": STATE_LABELS[catalog.state],
        "derived_from": catalog.derived_from.number if catalog.derived_from else None,
        "note": catalog.note,
        "created_at": catalog.created_at.isoformat() if catalog.created_at else None,
        "created_by": catalog.created_by_name,
        "published_at": catalog.published_at.isoformat() if catalog.published_at else None,
        "published_by": catalog.published_by_name,
        "items": [item_json(item) for item in catalog.items.all()],
    }


def published_versions(department: Department) -> list[dict[str, Any]]:
    """Every catalogue ever published (the current one and those it superseded), newest first."""
    rows = department.inspection_catalogs.exclude(state=ItemCatalog.DRAFT).order_by("-number")
    return [
        {
            "number": c.number,
            "state": c.state,
            "state_label": STATE_LABELS[c.state],
            "published_at": c.published_at.isoformat() if c.published_at else None,
            "items": c.item_count,
        }
        for c in rows.annotate(item_count=Count("items"))
    ]


def public_catalog(department: Department, number: int | None = None) -> ItemCatalog:
    """The published catalogue, or the published-then-superseded version ``number`` (drafts are
    not public)."""
    rows = department.inspection_catalogs.exclude(state=ItemCatalog.DRAFT)
    found = rows.filter(number=number).first() if number else rows.filter(state=ItemCatalog.PUBLISHED).first()
    if found is None:
        if number:
            raise NotFound(f"{department.name}没有已发布的第 {number} 版随机抽查事项清单。")
        raise NotFound(f"{department.name}还没有发布随机抽查事项清单。")
    return found
