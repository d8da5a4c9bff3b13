"""The 执法责任制 service functions: read a 实施办法 file, import it as the department's
ResponsibilitySystem (one atomic replacement, audited), and describe a stored one."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from qingdan.core import departments
from qingdan.core.audit import log
from qingdan.core.models import Department, Jurisdiction
from qingdan.core.permissions import Actor, can_edit, require
from qingdan.enforcement.models import (
    AssessmentScheme,
    LiabilityClause,
    ResponsibilityBasis,
    ResponsibilityDuty,
    ResponsibilitySystem,
)
from qingdan.errors import NotFound
from qingdan.ingest.problems import fail
from qingdan.ingest.raw import RawDocument, SourcePos
from qingdan.ingest.readers.responsibility import (
    ResponsibilityRecord,
    is_responsibility_document,
    read_responsibility,
)
from qingdan.ingest.units import jurisdiction_of
from qingdan.laws.models import LawArticle
from qingdan.laws.names import article_label
from qingdan.laws.services import resolve_titles

# 执法责任制 in every encoding the text reader accepts
_MARKS = tuple("执法责任制".encode(codec) for codec in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"))


def looks_like_responsibility(name: str, data: bytes) -> RawDocument | None:
    """The file read, when it is a 执法责任制 document (by its headings); None for anything else
    (a list, or a file no reader can read — the list import then says why)."""
    from qingdan.ingest.problems import IngestError
    from qingdan.ingest.readers import read_bytes, sniff

    kind = sniff(name, data)
    if kind not in ("text", "docx"):  # spreadsheets and exports are lists
        return None
    if kind == "text" and not any(word in data for word in _MARKS):
        return None  # most lists: no need to read them twice
    try:
        doc = read_bytes(name, data)
    except IngestError:
        return None
    return doc if is_responsibility_document(doc) else None


def read_file(name: str, data: bytes) -> ResponsibilityRecord:
    """A file as a 执法责任制 record; IngestError naming the file (and where) when it is not one."""
    from qingdan.ingest.readers import read_bytes

    doc = read_bytes(name, data)
    if not is_responsibility_document(doc):
        raise fail(
            SourcePos(name),
            "不是行政执法责任制文件：前部没有「执法责任制」字样，或没有「职责」「执法依据」部分的标题",
            hint="请导入行政执法责任制实施办法（方案）原文",
        )
    return read_responsibility(doc)


def department_name(record: ResponsibilityRecord, name: str = "", jurisdiction: str = "") -> tuple[str, str]:
    """(department, jurisdiction) a document goes to: ``name`` (--department) or its 发文机关, in
    ``jurisdiction`` or the place its name starts with (本溪市科学技术局 → 本溪市)."""
    name = name.strip() or record.issuer
    if not name:
        raise fail(
            SourcePos(record.source_name),
            "文件中没有写明发文机关",
            hint="请用 --department 指定部门全称，例如 --department 本溪市科学技术局",
        )
    place = jurisdiction.strip() or jurisdiction_of(name)
    if not place:
        raise fail(
            SourcePos(record.source_name),
            f"无法从部门名称「{name}」判断所属地区",
            hint="请用 --jurisdiction 指定地区，例如 --jurisdiction 本溪市",
        )
    return name, place


def department_for(
    actor: Actor, record: ResponsibilityRecord, name: str = "", jurisdiction: str = ""
) -> Department:
    """The registered department (see ``department_name``); only an administrator may create one
    on first sight. Call it inside the import's transaction, so a failed import creates nothing."""
    name, place = department_name(record, name, jurisdiction)
    department = departments.named(place, name)
    if department is not None:
        return department
    require(actor.is_admin, actor, f"新建部门「{name}」")
    place_row, _ = Jurisdiction.objects.get_or_create(name=place)
    return Department.objects.create(jurisdiction=place_row, name=name)


def import_responsibility(
    actor: Actor, department: Department, record: ResponsibilityRecord, source_name: str, digest: str = ""
) -> ResponsibilitySystem:
    """Replace the department's 执法责任制 with ``record``: all of it or nothing, audited."""
    require(can_edit(actor, department), actor, f"导入{department.name}的行政执法责任制")
    laws = resolve_titles(b.title for b in record.bases)
    with transaction.atomic():
        old = ResponsibilitySystem.objects.select_for_update().filter(department=department).first()
        before = summary(old) if old else None
        if old:
            old.delete()
        system = ResponsibilitySystem.objects.create(
            department=department,
            title=record.title[:300],
            document_number=record.document_number[:100],
            issuer=record.issuer[:200],
            purpose=record.purpose,
            supervision=record.supervision,
            source_name=source_name[:255],
            content_sha256=digest,
            imported_by_name=actor.name[:150],
        )
        _write_parts(system, record, laws)
        log(actor, "import_responsibility", system, before=before, after=summary(system))
    return system


def _write_parts(system: ResponsibilitySystem, record: ResponsibilityRecord, laws: dict[str, Any]) -> None:
    ResponsibilityBasis.objects.bulk_create(
        ResponsibilityBasis(
            system=system,
            position=i,
            level=b.level or (laws[b.title].level if b.title in laws else ""),
            heading=b.heading[:200],
            text=b.text,
            title=b.title[:300],
            law=laws.get(b.title),
            article=b.article[:100],
            article_number=b.article_number,
            article_text=b.article_text,
        )
        for i, b in enumerate(record.bases)
    )
    ResponsibilityDuty.objects.bulk_create(
        ResponsibilityDuty(
            system=system,
            position=i,
            number=d.number[:10],
            text=d.text,
            lead_units=d.lead_units,
            key_assessments=d.key_assessments,
        )
        for i, d in enumerate(record.duties)
    )
    LiabilityClause.objects.bulk_create(
        LiabilityClause(system=system, position=i, number=c.number[:10], text=c.text)
        for i, c in enumerate(record.liabilities)
    )
    a = record.assessment
    AssessmentScheme.objects.create(
        system=system, aspects=a.aspects, method=a.method, body=a.body[:200], grades=a.grades, use=a.use
    )


def summary(system: ResponsibilitySystem) -> dict[str, Any]:
    """What the audit log keeps of a system: where it came from and how much it holds."""
    return {
        "title": system.title,
        "document_number": system.document_number,
        "source": system.source_name,
        "bases": system.bases.count(),
        "responsibility_duties": system.duties.count(),
        "liabilities": system.liabilities.count(),
    }


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def system_of(department: Department) -> ResponsibilitySystem:
    """The department's 执法责任制 (public: the document is published by the office)."""
    system = ResponsibilitySystem.objects.filter(department=department).first()
    if system is None:
        raise NotFound(f"{department.name}还没有导入行政执法责任制。")
    return system


def as_json(system: ResponsibilitySystem) -> dict[str, Any]:
    """Everything about a stored system, for `responsibility show --json`, the API and the page."""
    from qingdan.enforcement.responsibility_checks import responsibility_findings
    from qingdan.enforcement.responsibility_matching import match_duties

    assessment = AssessmentScheme.objects.filter(system=system).first()
    return {
        "department": system.department.name,
        "jurisdiction": system.department.jurisdiction.name,
        "title": system.title,
        "document_number": system.document_number,
        "issuer": system.issuer,
        "source": system.source_name,
        "purpose": system.purpose,
        "supervision": system.supervision,
        "bases": bases_of(system),
        "duties": [
            {
                "number": d.number,
                "text": d.text,
                "lead_units": d.lead_units,
                "key_assessments": d.key_assessments,
            }
            for d in system.duties.all()
        ],
        "liabilities": [{"number": c.number, "text": c.text} for c in system.liabilities.all()],
        "assessment": {
            "aspects": assessment.aspects if assessment else [],
            "method": assessment.method if assessment else "",
            "body": assessment.body if assessment else "",
            "grades": assessment.grades if assessment else [],
            "use": assessment.use if assessment else "",
        },
        "findings": [f.as_json() for f in responsibility_findings(system)],
        "matching": match_duties(system).as_json(),
    }


def bases_of(system: ResponsibilitySystem) -> list[dict[str, Any]]:
    """The 执法依据 in document order, each with the registry's law and article it resolves to."""
    return [_basis_json(b) for b in system.bases.select_related("law")]


def _basis_json(basis: ResponsibilityBasis) -> dict[str, Any]:
    law = basis.law
    return {
        "level": basis.level,
        "level_label": basis.get_level_display() if basis.level else "",
        "heading": basis.heading,
        "title": basis.title,
        "article": basis.article,
        "article_number": basis.article_number,
        "article_text": basis.article_text,
        "law": {"id": law.pk, "title": law.title, "in_force": law.in_force} if law else None,
        "registry_article": _registry_article(basis),
    }


def _registry_article(basis: ResponsibilityBasis) -> dict[str, Any] | None:
    """The registry's article the basis cites (出境入境管理法 41 → 第四十一条 with its text)."""
    if basis.law is None or basis.article_number is None:
        return None
    article = LawArticle.objects.filter(law=basis.law, number=basis.article_number).first()
    if article is None:
        return None
    return {"number": article.number, "label": article_label(article.number), "text": article.text}
