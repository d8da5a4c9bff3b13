"""Service functions for the lists: every write to the catalog goes through here.

The CLI, importers, and (later) the web UI and API call these, so atomicity, versioning and
history cannot be skipped. Each write happens in one transaction: it is complete or absent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qingdan.catalog.citations import parse_citations
from qingdan.catalog.models import (
    BoundaryMatter,
    BoundaryShare,
    Duty,
    LegalCitation,
    ListVersion,
    PowerItem,
    PublicService,
    ServiceUnit,
    SupervisionRegime,
    Task,
    TaskUnit,
    Unit,
)
from qingdan.core import departments, outbox
from qingdan.core.audit import log
from qingdan.core.models import Department, Jurisdiction, PendingWork
from qingdan.core.permissions import COMMAND_LINE, Actor, can_edit, can_see_drafts, require
from qingdan.core.queries import grouped
from qingdan.errors import NotFound, QingdanError
from qingdan.ingest import Loaded
from qingdan.ingest.problems import IngestError
from qingdan.ingest.records import (
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    PowerRecord,
    RegimeRecord,
    ServiceRecord,
    ShareRecord,
    TaskRecord,
    UnitRecord,
)
from qingdan.ingest.subjects import Breakdown, qualify, split_by_department
from qingdan.ingest.validate import validate
from qingdan.laws.names import article_number
from qingdan.laws.services import resolve_titles


@dataclass
class ImportResult:
    version: ListVersion
    created: bool  # False when the same list was already the newest version
    counts: dict[str, int] = field(default_factory=dict)


def content_hash(record: ListRecord) -> str:
    text = json.dumps(record.content_key(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def count_items(record: ListRecord) -> dict[str, int]:
    return {
        "units": len(record.units),
        "duties": len(record.duties),
        "tasks": sum(len(d.tasks) for d in record.duties),
        "boundaries": len(record.boundaries),
        "services": len(record.services),
        "supervision": len(record.supervision),
        "powers": len(record.powers),
    }


def _check_list_size(record: ListRecord, source_name: str) -> None:
    """Refuse, before writing, a list larger than one department's list can be."""
    total = sum(count_items(record).values())
    limit = settings.QINGDAN_MAX_LIST_ITEMS
    if total > limit:
        raise QingdanError(
            f"「{source_name or record.department}」{record.department}的清单共 {total:,} 项，"
            f"超过一份清单的上限 {limit:,} 项，未导入。请确认文件是否只含本部门的清单，"
            "或调整设置 QINGDAN_MAX_LIST_ITEMS"
        )


def import_list(
    record: ListRecord,
    source_name: str = "",
    source_sha256: str = "",
    actor: Actor = COMMAND_LINE,
    draft: bool | None = None,
    rename_from: str = "",
) -> ImportResult:
    """Store ``record`` as the department's next ListVersion, or do nothing when it equals the
    newest version. An administrator's import is published at once unless ``draft``; anyone
    else's becomes (or replaces the content of) the department's draft. Creates the
    jurisdiction and department on first sight — only an administrator may.

    A list the document states to be another department's is refused, unless an administrator
    declares the department renamed: ``rename_from`` names the stated (old) name."""
    if not record.department:
        raise QingdanError(
            "这份权力清单含多个实施主体，要按部门分别导入：请用 qingdan import（命令行）、"
            "工作台的「导入多部门权力清单」或 API 的 /imports；导入一个部门的草稿时只取该部门的事项"
        )
    _check_list_size(record, source_name)
    as_draft = not actor.is_admin if draft is None else draft
    digest = content_hash(record)
    with transaction.atomic():
        department = _department_for(record, actor)
        require(can_edit(actor, department), actor, f"修改{department.name}的清单")
        require(as_draft or actor.is_admin, actor, "直接发布清单（请导入为草稿后提交审核）")
        _check_stated_department(record, department, source_name, actor, rename_from)
        latest = department.versions.select_for_update().order_by("-number").first()
        if latest is not None and latest.content_sha256 == digest:
            return ImportResult(latest, False, count_items(record))
        if latest is not None and latest.status != ListVersion.PUBLISHED:
            version = _reimport_draft(latest, record, digest, source_name, source_sha256, actor, as_draft)
        else:
            version = ListVersion.objects.create(
                department=department,
                number=latest.number + 1 if latest else 1,
                status=ListVersion.DRAFT if as_draft else ListVersion.PUBLISHED,
                published_at=None if as_draft else timezone.now(),
                source_name=source_name[:255],
                source_sha256=source_sha256,
                stated_department=record.stated_department[:200],
                content_sha256=digest,
                created_by=actor.user,
                created_by_name=str(actor)[:150],
            )
            _write_items(version, record)
        log(actor, "import", version, after={"source": source_name, **count_items(record)})
        if version.status == ListVersion.PUBLISHED:
            owe_publication(version)
    return ImportResult(version, True, count_items(record))


def _department_for(record: ListRecord, actor: Actor) -> Department:
    department = departments.named(record.jurisdiction, record.department)
    if department is not None:
        return department
    require(actor.is_admin, actor, f"新建部门「{record.department}」")
    jurisdiction, _ = Jurisdiction.objects.get_or_create(name=record.jurisdiction)
    return Department.objects.create(jurisdiction=jurisdiction, name=record.department)


def _check_stated_department(
    record: ListRecord, department: Department, source: str, actor: Actor, rename_from: str
) -> None:
    """Refuse a document that says it is another department's list, unless renamed on purpose."""
    stated, rename_from = record.stated_department, rename_from.strip()
    own = departments.names_of(department)
    if not stated or qualify(stated, department.jurisdiction.name) in own or stated in own:
        if rename_from:
            raise QingdanError(
                f"「{source}」写明的部门是「{stated or department.name}」，不需要声明更名（--rename-from）。"
            )
        return
    if rename_from != stated:
        raise QingdanError(
            f"「{source}」写明是「{stated}」的清单，不能导入为「{department.name}」的清单。"
            f"如果{department.name}就是{stated}更名后的部门，请由系统管理员确认更名后导入"
            f"（命令行加 --rename-from {stated}；网页勾选「这是本部门更名前的清单」）。"
        )
    require(actor.is_admin, actor, f"把写明为「{stated}」的清单作为更名导入{department.name}")
    jurisdiction = department.jurisdiction
    if departments.named(jurisdiction.name, stated) is None:
        departments.remember_aliases(actor, jurisdiction, [(stated, department.name)])
    log(actor, "import_renamed", department, after={"source": source, "stated_department": stated})


def import_export(
    breakdown: Breakdown,
    source_name: str = "",
    source_sha256: str = "",
    actor: Actor = COMMAND_LINE,
    draft: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, ImportResult]:
    """Store a multi-department export (see ``plan_export``) as one list per department, all or
    nothing; remembers the aliases it applied. Refused while any row is undecided."""
    if breakdown.undecided:
        raise IngestError(breakdown.undecided)
    results: dict[str, ImportResult] = {}
    with transaction.atomic():
        for name, record in breakdown.records.items():
            existing = departments.named(record.jurisdiction, name)
            if existing is not None:
                record = powers_replaced(existing, record)
            results[name] = import_list(record, source_name, source_sha256, actor, draft)
            if progress:
                progress(name)
        place = Jurisdiction.objects.filter(name=breakdown.jurisdiction).first()
        if place is not None:
            departments.remember_aliases(actor, place, sorted(breakdown.aliases.items()))
    return results


def record_for(loaded: Loaded, department: Department) -> ListRecord:
    """What a file gives one department: its list, or — from a multi-department export — the rows
    whose 实施主体 is this department (the others are left to their own departments)."""
    if not loaded.is_multi:
        return loaded.record
    record = loaded.record
    names = departments.directory(department.jurisdiction.name)
    part = split_by_department(record, names).records.get(department.name)
    if part is None:
        raise QingdanError(f"这份多部门权力清单中没有实施主体为「{department.name}」（或其别名）的事项。")
    validate(part, department.name)
    return powers_replaced(department, part)


def powers_replaced(department: Department, powers: ListRecord) -> ListRecord:
    """The department's newest list (its draft included) with its powers replaced by those of a
    power-list export: an export carries the 权力清单 only, so duties, boundaries, services and
    regimes already kept stay as they are."""
    latest = department.versions.order_by("-number").first()
    if latest is None:
        return powers
    record = record_of(latest)
    record.powers, record.stated_department = powers.powers, powers.stated_department
    return record


def plan_export(loaded: Loaded, mapping: dict[str, str] | None = None) -> Breakdown:
    """How a multi-department export splits by 实施主体 against the registry's names and aliases.
    Reads only; every split list is validated like a single one."""
    record = loaded.record
    breakdown = split_by_department(
        record, departments.directory(record.jurisdiction), loaded.department, mapping
    )
    for name, part in breakdown.records.items():
        validate(part, name)
    return breakdown


def _reimport_draft(
    version: ListVersion,
    record: ListRecord,
    digest: str,
    source_name: str,
    source_sha256: str,
    actor: Actor,
    as_draft: bool,
) -> ListVersion:
    """A file imported while the department has an unpublished version replaces the draft's
    content; a version under review, or a publishing import, is refused."""
    if not as_draft:
        raise QingdanError(
            f"{version.department.name}有未发布的第 {version.number} 版（{version.get_status_display()}），"
            "不能直接发布新版本。请先处理该版本，或导入为草稿（--draft）。"
        )
    if version.status != ListVersion.DRAFT:
        raise QingdanError(
            f"{version.department.name}第 {version.number} 版正在{version.get_status_display()[1:]}，"
            "审核结束（通过或退回）前不能导入。"
        )
    replace_items(version, record, digest, actor)
    version.source_name, version.source_sha256 = source_name[:255], source_sha256
    version.stated_department = record.stated_department[:200]
    version.save(update_fields=["source_name", "source_sha256", "stated_department"])
    return version


# The parts of a version that are written together: tasks and services point at unit rows, so
# units, duties and services go as one; the others stand alone (citations follow their shares
# and powers, which delete theirs by cascade).
PARTS = {
    "units": "units",
    "duties": "units",
    "services": "units",
    "boundaries": "boundaries",
    "supervision": "supervision",
    "powers": "powers",
}
ALL_PARTS = frozenset(PARTS.values())


def replace_items(
    version: ListVersion,
    record: ListRecord,
    digest: str,
    actor: Actor,
    parts: frozenset[str] = ALL_PARTS,
    power: int | None = None,
) -> None:
    """Write ``record`` over a draft's items — only the ``parts`` that changed, or only the power
    at position ``power`` (a city list has thousands) — as one more revision."""
    for section, part in PARTS.items():
        if part in parts:
            getattr(version, section).all().delete()
    _write_items(version, record, parts)
    if power is not None:
        version.powers.filter(position=power).delete()  # its citations go with it
        row = _power_row(version, power, record.powers[power])
        row.save()
        _write_citations(version, [], [row])
    version.content_sha256 = digest
    version.revision += 1
    version.updated_by_name = str(actor)[:150]
    version.save(update_fields=["content_sha256", "revision", "updated_by_name", "updated_at"])


def owe_publication(version: ListVersion) -> None:
    """Inside the transaction that publishes ``version``: its department's search documents and
    its 清单体检 and its jurisdiction's cross-department check are owed, done after commit
    (qingdan.core.outbox); the report pages only read what they store."""
    outbox.owe(PendingWork.INDEX, [version.department_id])
    outbox.owe(PendingWork.CHECKS, [version.pk])
    outbox.owe(PendingWork.CROSSING, [version.department.jurisdiction_id])


def _write_items(version: ListVersion, record: ListRecord, parts: frozenset[str] = ALL_PARTS) -> None:
    shares: list[BoundaryShare] = []
    powers: list[PowerItem] = []
    if "units" in parts:
        units = {
            u.name: u
            for u in Unit.objects.bulk_create(
                Unit(version=version, position=i, name=u.name, kind=u.kind, phones=u.phones)
                for i, u in enumerate(record.units)
            )
        }
        _write_duties(version, record.duties, units)
        _write_services(version, record.services, units)
    if "boundaries" in parts:
        shares = _write_boundaries(version, record.boundaries)
    if "supervision" in parts:
        SupervisionRegime.objects.bulk_create(
            SupervisionRegime(
                version=version,
                position=i,
                matter=r.matter,
                targets=r.objects,
                content=r.content,
                methods=r.methods,
                measures=r.measures,
                procedure=r.procedure,
                handling=r.handling,
            )
            for i, r in enumerate(record.supervision)
        )
    if "powers" in parts:
        powers = PowerItem.objects.bulk_create(_power_row(version, i, p) for i, p in enumerate(record.powers))
    _write_citations(version, shares, powers)


def _write_duties(version: ListVersion, duties: list[DutyRecord], units: dict[str, Unit]) -> None:
    rows = Duty.objects.bulk_create(
        Duty(version=version, position=i, no=d.no, text=d.text) for i, d in enumerate(duties)
    )
    tasks = Task.objects.bulk_create(
        Task(duty=row, position=j, text=t.text, note=t.note)
        for row, d in zip(rows, duties, strict=True)
        for j, t in enumerate(d.tasks)
    )
    records = [t for d in duties for t in d.tasks]
    TaskUnit.objects.bulk_create(
        TaskUnit(task=task, unit=units[name], position=k)
        for task, rec in zip(tasks, records, strict=True)
        for k, name in enumerate(rec.units)
    )


def _write_boundaries(version: ListVersion, boundaries: list[BoundaryRecord]) -> list[BoundaryShare]:
    matters = BoundaryMatter.objects.bulk_create(
        BoundaryMatter(version=version, position=i, matter=b.matter) for i, b in enumerate(boundaries)
    )
    return BoundaryShare.objects.bulk_create(
        BoundaryShare(
            matter=m, position=j, department=s.department, division=s.division, basis=s.basis, case=s.case
        )
        for m, b in zip(matters, boundaries, strict=True)
        for j, s in enumerate(b.shares)
    )


def _write_services(version: ListVersion, services: list[ServiceRecord], units: dict[str, Unit]) -> None:
    rows = PublicService.objects.bulk_create(
        PublicService(version=version, position=i, name=s.name, content=s.content, phones=s.phones)
        for i, s in enumerate(services)
    )
    ServiceUnit.objects.bulk_create(
        ServiceUnit(service=row, unit=units[name], position=k)
        for row, s in zip(rows, services, strict=True)
        for k, name in enumerate(s.units)
    )


def _power_row(version: ListVersion, position: int, p: PowerRecord) -> PowerItem:
    return PowerItem(
        version=version,
        position=position,
        code=p.code,
        name=p.name,
        type=p.type,
        subitems=p.subitems,
        basis=p.basis,
        subject=p.subject,
        units=p.units,
        duties=p.duties,
        accountability=p.accountability,
        phones=p.phones,
        entrusted_to=p.entrusted_to,
        source_id=p.source_id,
        extra=p.extra,
    )


def _write_citations(version: ListVersion, shares: list[BoundaryShare], powers: list[PowerItem]) -> None:
    found: list[tuple[BoundaryShare | None, PowerItem | None, str, str]]
    found = [(s, None, t, a) for s in shares for t, a in parse_citations(s.basis)]
    found += [(None, p, t, a) for p in powers for t, a in parse_citations(p.basis)]
    laws = resolve_titles({t for _, _, t, _ in found})
    LegalCitation.objects.bulk_create(
        LegalCitation(
            version=version,
            title=t[:300],
            law=laws.get(t),
            article=a[:100],
            article_number=article_number(a),
            share=s,
            power=p,
        )
        for s, p, t, a in found
    )


# --- reading -------------------------------------------------------------------------------


def find_department(query: str) -> Department:
    """The department with this exact name, or the only one whose name contains ``query``."""
    query = query.strip()
    exact = list(
        Department.objects.filter(Q(name=query) | Q(aliases__name=query))
        .distinct()
        .select_related("jurisdiction")
    )
    if len(exact) == 1:
        return exact[0]
    matches = exact or list(
        Department.objects.filter(Q(name__contains=query) | Q(jurisdiction__name=query)).select_related(
            "jurisdiction"
        )[:20]
    )
    if not matches:
        raise NotFound(f"没有找到部门「{query}」。用 qingdan list 查看已有部门。")
    if len(matches) > 1:
        names = "、".join(f"{d.name}（{d.jurisdiction.name}）" for d in matches)
        raise QingdanError(f"「{query}」对应多个部门：{names}。请写出完整名称。")
    return matches[0]


def get_version(
    department: Department, number: int | None = None, actor: Actor = COMMAND_LINE
) -> ListVersion:
    """Version ``number``, or the newest: drafts only for those who may see them."""
    versions = department.versions.order_by("-number")
    if not can_see_drafts(actor, department):
        versions = versions.published()
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise NotFound(
            f"{department.name} 没有第 {number} 版清单" if number else f"{department.name} 还没有清单"
        )
    return version


def record_of(version: ListVersion) -> ListRecord:
    """The stored version as a ListRecord: what every export writes."""
    v = ListVersion.objects.select_related("department__jurisdiction").get(pk=version.pk)
    record = ListRecord(
        department=v.department.name, jurisdiction=v.department.jurisdiction.name, version=v.number
    )
    record.stated_department = v.stated_department
    record.units = [UnitRecord(u.name, u.kind, list(u.phones)) for u in v.units.all()]
    tasks = grouped(Task.objects.filter(duty__version=v), "duty_id")
    task_units = grouped(TaskUnit.objects.filter(task__duty__version=v).select_related("unit"), "task_id")
    for duty in v.duties.all():
        items = [
            TaskRecord(t.text, [tu.unit.name for tu in task_units.get(t.pk, [])], t.note)
            for t in tasks.get(duty.pk, [])
        ]
        record.duties.append(DutyRecord(duty.no, duty.text, items))
    shares = grouped(BoundaryShare.objects.filter(matter__version=v), "matter_id")
    for matter in v.boundaries.all():
        found = [ShareRecord(s.department, s.division, s.basis, s.case) for s in shares.get(matter.pk, [])]
        record.boundaries.append(BoundaryRecord(matter.matter, found))
    service_units = grouped(
        ServiceUnit.objects.filter(service__version=v).select_related("unit"), "service_id"
    )
    for s in v.services.all():
        units = [su.unit.name for su in service_units.get(s.pk, [])]
        record.services.append(ServiceRecord(s.name, s.content, units, list(s.phones)))
    record.supervision = [
        RegimeRecord(r.matter, r.targets, r.content, r.methods, r.measures, r.procedure, r.handling)
        for r in v.supervision.all()
    ]
    record.powers = [
        PowerRecord(
            p.name,
            p.code,
            p.type,
            p.subitems,
            p.basis,
            p.subject,
            list(p.units),
            p.duties,
            p.accountability,
            list(p.phones),
            p.entrusted_to,
            p.source_id,
            dict(p.extra),
        )
        for p in v.powers.all()
    ]
    return record
