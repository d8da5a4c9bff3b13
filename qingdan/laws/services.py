"""The law registry's service functions. Administrators write (every write is one transaction
with one audit entry, through ``registry.merge_records`` where a whole law is written);
reviewers and staff read. An amendment or a repeal owes ``PendingWork.LAW`` in the same
transaction: the 依据变更提醒 it raises are derived work (``qingdan.laws.reminders``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from qingdan.catalog.models import LegalCitation
from qingdan.core import outbox
from qingdan.core.audit import log
from qingdan.core.models import PendingWork
from qingdan.core.permissions import Actor, require
from qingdan.core.queries import in_batches
from qingdan.errors import NotFound, QingdanError
from qingdan.ingest.dates import parse_date
from qingdan.laws.models import Law, LawAmendment, LawArticle, LawName
from qingdan.laws.names import article_number, law_key
from qingdan.laws.registry import AmendmentRecord, LawRecord, merge_records

LEVEL_NAMES = {label: value for value, label in Law.LEVELS}


def resolve_titles(titles: Iterable[str]) -> dict[str, Law]:
    """The registry's law for each cited title that names one (by full title or short name)."""
    keys = {title: law_key(title) for title in titles}
    names = in_batches(
        LawName.objects.select_related("law", "law__successor"), "key", sorted(set(keys.values()))
    )
    by_key = {name.key: name.law for name in names}
    return {title: by_key[key] for title, key in keys.items() if key in by_key}


def find_law(query: str) -> Law:
    """The law by id, full title or any of its names (short names work: 预算法)."""
    query = query.strip()
    if query.isdigit() and (law := Law.objects.filter(pk=int(query)).first()):
        return law
    found = resolve_titles([query]).get(query)
    if found is None:
        raise NotFound(f"法律法规库中没有「{query}」。")
    return found


def search_laws(query: str = "") -> QuerySet[Law]:
    rows = Law.objects.select_related("successor")
    if query.strip():
        q = query.strip()
        rows = rows.filter(
            Q(title__icontains=q) | Q(names__name__icontains=q) | Q(issuer__icontains=q)
        ).distinct()
    return rows.order_by("title")


def unresolved_titles() -> list[tuple[str, int]]:
    """The distinct titles cited but not linked to a registered law, with how often, most first."""
    rows = (
        LegalCitation.objects.filter(law__isnull=True)
        .values("title")
        .annotate(n=Count("pk"))
        .order_by("-n", "title")
    )
    return [(row["title"], row["n"]) for row in rows]


def _require_admin(actor: Actor, what: str) -> None:
    require(actor.is_admin, actor, what)


def _facts(law: Law) -> dict[str, Any]:
    return {
        "title": law.title,
        "level": law.level,
        "issuer": law.issuer,
        "document_number": law.document_number,
        "promulgated_on": str(law.promulgated_on or ""),
        "effective_on": str(law.effective_on or ""),
        "repealed_on": str(law.repealed_on or ""),
        "successor": law.successor.title if law.successor else "",
        "source": law.source,
        "note": law.note,
    }


def _check_record(record: LawRecord) -> None:
    if not record.title.strip():
        raise QingdanError("名称不能为空。")
    if record.level and record.level not in dict(Law.LEVELS):
        raise QingdanError(f"效力级别「{record.level}」不在 {'、'.join(LEVEL_NAMES)} 之中。")
    if record.promulgated and record.effective and record.effective < record.promulgated:
        raise QingdanError("施行日期早于公布日期。")


def create_law(actor: Actor, record: LawRecord) -> Law:
    """Register a law that is not yet in the registry (by title or any of its names)."""
    _require_admin(actor, "登记法律法规")
    _check_record(record)
    with transaction.atomic():
        for name in [record.title, *record.aliases]:
            if other := LawName.objects.filter(key=law_key(name)).select_related("law").first():
                raise QingdanError(f"「{name}」已是{other.law}的名称，不能重复登记。")
        merge_records([record], replace=False, actor_name=str(actor))
        law = Law.objects.get(title=record.title)
        log(actor, "law_create", law, after=_facts(law))
        if law.repealed_on or record.amendments:
            outbox.owe(PendingWork.LAW, [law.pk])
    return law


EDITABLE = ("title", "level", "issuer", "document_number", "promulgated_on", "effective_on", "source", "note")


def edit_law(actor: Actor, law: Law, aliases: list[str] | None = None, **facts: Any) -> Law:
    """Change a law's facts (not its repeal: see ``repeal_law``) and add short names."""
    _require_admin(actor, "修改法律法规")
    unknown = set(facts) - set(EDITABLE)
    if unknown:
        raise QingdanError(f"不能这样修改：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        law = Law.objects.select_for_update().get(pk=law.pk)
        before = _facts(law)
        for name, value in facts.items():
            setattr(law, name, value.strip() if isinstance(value, str) else value)
        _check_record(
            LawRecord(law.title, level=law.level, promulgated=law.promulgated_on, effective=law.effective_on)
        )
        if Law.objects.filter(title=law.title).exclude(pk=law.pk).exists():
            raise QingdanError(f"已有名为《{law.title}》的法律法规。")
        law.updated_by_name = str(actor)[:150]
        law.save()
        for name in [law.title, *(aliases or [])]:
            _add_name(law, name)
        log(actor, "law_edit", law, before=before, after=_facts(law))
    return law


def _add_name(law: Law, name: str) -> None:
    name = name.strip()
    if not name:
        return
    existing = LawName.objects.filter(key=law_key(name)).select_related("law").first()
    if existing is not None and existing.law_id != law.pk:
        raise QingdanError(f"「{name}」已是{existing.law}的名称。")
    if existing is None:
        LawName.objects.create(law=law, name=name, key=law_key(name))
        _link_citations(law, law_key(name))


def _link_citations(law: Law, key: str) -> int:
    """Every unresolved citation whose title has ``key`` now resolves to ``law``."""
    titles = LegalCitation.objects.filter(law__isnull=True).values_list("title", flat=True).distinct()
    matching = [t for t in titles if law_key(t) == key]
    return LegalCitation.objects.filter(law__isnull=True, title__in=matching).update(law=law)


def add_amendment(
    actor: Actor,
    law: Law,
    adopted: dt.date,
    effective: dt.date | None = None,
    name: str = "",
    source: str = "",
) -> LawAmendment:
    """Record that the law was changed on ``adopted``; owes the 依据变更提醒 it raises."""
    _require_admin(actor, "登记法律法规的修改")
    if effective and effective < adopted:
        raise QingdanError("施行日期早于通过日期。")
    with transaction.atomic():
        if LawAmendment.objects.filter(law=law, adopted_on=adopted).exists():
            raise QingdanError(f"{law}在 {adopted} 的修改已经登记。")
        amendment = LawAmendment.objects.create(
            law=law, adopted_on=adopted, effective_on=effective, name=name.strip(), source=source.strip()
        )
        log(
            actor,
            "law_amend",
            law,
            after={"adopted": str(adopted), "effective": str(effective or ""), "name": name},
        )
        outbox.owe(PendingWork.LAW, [law.pk])
    return amendment


def repeal_law(actor: Actor, law: Law, on: dt.date, successor: Law | None = None) -> Law:
    """Record that the law ceased to be in force on ``on`` (and what took its place)."""
    _require_admin(actor, "登记法律法规的废止")
    if successor is not None and successor.pk == law.pk:
        raise QingdanError("一部法律不能由它自己取代。")
    with transaction.atomic():
        law = Law.objects.select_for_update().get(pk=law.pk)
        before = _facts(law)
        law.repealed_on = on
        law.successor = successor
        law.updated_by_name = str(actor)[:150]
        law.save()
        log(actor, "law_repeal", law, before=before, after=_facts(law))
        outbox.owe(PendingWork.LAW, [law.pk])
    return law


def add_article(actor: Actor, law: Law, number: int | str, text: str = "") -> LawArticle:
    """Add (or replace the text of) 第N条; ``number`` is 41 or 第四十一条."""
    _require_admin(actor, "登记法律法规的条文")
    n = (
        number
        if isinstance(number, int)
        else (article_number(str(number)) or article_number(f"第{number}条"))
    )
    if not n or n <= 0:
        raise QingdanError(f"「{number}」不是条的序号（如 41 或 第四十一条）。")
    with transaction.atomic():
        article, created = LawArticle.objects.get_or_create(
            law=law, number=n, defaults={"text": text.strip()}
        )
        before = None if created else {"text": article.text}
        if not created:
            article.text = text.strip()
            article.save()
        log(actor, "law_article", law, before=before, after={"number": n, "text": article.text})
    return article


def link_title(actor: Actor, title: str, law: Law) -> int:
    """The cited ``title`` names ``law``: a new LawName, and every citation with that title (by
    its key) now resolves to it; returns how many citations were linked."""
    _require_admin(actor, "把所引名称关联到法律法规")
    key = law_key(title)
    if not key:
        raise QingdanError("所引名称不能为空。")
    with transaction.atomic():
        existing = LawName.objects.filter(key=key).select_related("law").first()
        if existing is not None and existing.law_id != law.pk:
            raise QingdanError(f"「{title}」已关联到{existing.law}。")
        if existing is None:
            LawName.objects.create(law=law, name=title.strip(), key=key)
        linked = _link_citations(law, key)
        log(actor, "law_link", law, after={"title": title, "citations": linked})
    return linked


# --- import ----------------------------------------------------------------------------------

COLUMNS = {
    "名称": "title",
    "简称": "aliases",
    "效力级别": "level",
    "制定机关": "issuer",
    "文号": "document_number",
    "发布文号": "document_number",
    "公布日期": "promulgated",
    "施行日期": "effective",
    "废止日期": "repealed",
    "取代它的法律": "successor",
    "资料来源": "source",
    "备注": "note",
}
LABELS = {v: k for k, v in reversed(COLUMNS.items())}


@dataclass
class LawImport:
    added: int
    updated: int
    titles: list[str]


class LawImportError(QingdanError):
    """Rows that cannot be imported; ``problems`` names each by file, row and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("未导入任何法律法规：\n" + "\n".join(problems))


def _rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    """(where, {field: text}) per row of a CSV or XLSX file with a header row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise QingdanError(f"{path.name}：无法识别文件的字符编码（请存为 UTF-8）。")
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception:
            raise QingdanError(f"{path.name}：不是可读的 Excel（.xlsx）文件。") from None
        table = [["" if c is None else _cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    if not table:
        raise QingdanError(f"{path.name}：文件是空的。")
    header = table[0]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown or "名称" not in header:
        raise QingdanError(
            f"{path.name} 第 1 行（表头）："
            + (f"不认识的列「{'」「'.join(unknown)}」；" if unknown else "")
            + f"应有「名称」列，可用的列：{'、'.join(COLUMNS)}。"
        )
    rows = []
    for number, row in enumerate(table[1:], start=2):
        if not any(row):
            continue
        values = {COLUMNS[h]: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        rows.append((f"{path.name} 第 {number} 行", values))
    return rows


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _day(where: str, field: str, text: str, problems: list[str]) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if day := parse_date(text):
        return day
    problems.append(f"{where}「{LABELS[field]}」：「{text}」不是日期（应写作 2021-01-01）")
    return None


def _record_of_row(where: str, values: dict[str, str], problems: list[str]) -> LawRecord | None:
    before = len(problems)
    title = values.get("title", "").strip().strip("《》")
    if not title:
        problems.append(f"{where}「名称」：不能为空")
    level_text = values.get("level", "").strip()
    level = LEVEL_NAMES.get(level_text, level_text if level_text in dict(Law.LEVELS) else None)
    if level is None:
        problems.append(f"{where}「效力级别」：「{level_text}」不在 {'、'.join(LEVEL_NAMES)} 之中")
    days = {f: _day(where, f, values.get(f, ""), problems) for f in ("promulgated", "effective", "repealed")}
    if days["promulgated"] and days["effective"] and days["effective"] < days["promulgated"]:
        problems.append(f"{where}「施行日期」：早于公布日期")
    if len(problems) > before:
        return None
    aliases = [
        a.strip().strip("《》")
        for a in values.get("aliases", "").replace("；", ";").replace("、", ";").split(";")
    ]
    return LawRecord(
        title=title,
        aliases=[a for a in aliases if a],
        level=level or "",
        issuer=values.get("issuer", "").strip(),
        document_number=values.get("document_number", "").strip(),
        promulgated=days["promulgated"],
        effective=days["effective"],
        repealed=days["repealed"],
        successor=values.get("successor", "").strip().strip("《》"),
        source=values.get("source", "").strip(),
        note=values.get("note", "").strip(),
    )


def read_law_file(path: Path) -> list[LawRecord]:
    """Every record of a CSV, XLSX or JSON (the shipped format) file, or every problem."""
    if not path.is_file():
        raise QingdanError(f"找不到文件 {path}。")
    problems: list[str] = []
    records: list[tuple[str, LawRecord]] = []
    if path.suffix.lower() == ".json":
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))["laws"]
        except (ValueError, KeyError, TypeError):
            raise QingdanError(f'{path.name}：不是法律法规库的 JSON 文件（应有 "laws" 列表）。') from None
        for number, entry in enumerate(entries, start=1):
            where = f"{path.name} 第 {number} 条记录"
            try:
                record = LawRecord.from_json(entry)
            except (KeyError, ValueError, TypeError) as exc:
                problems.append(f"{where}：{_json_problem(exc)}")
                continue
            if record.level and record.level not in dict(Law.LEVELS):
                problems.append(
                    f"{where}「效力级别」：「{record.level}」不在 {'、'.join(dict(Law.LEVELS))} 之中"
                )
                continue
            records.append((where, record))
    elif path.suffix.lower() in (".csv", ".xlsx"):
        for where, values in _rows(path):
            if (row := _record_of_row(where, values, problems)) is not None:
                records.append((where, row))
    else:
        raise QingdanError(f"{path.name}：只能导入 .csv、.xlsx 或 .json 文件。")
    seen: dict[str, str] = {}
    for where, record in records:
        for name in [record.title, *record.aliases]:
            key = law_key(name)
            if key in seen and seen[key] != record.title:
                problems.append(f"{where}「名称」：「{name}」与前面的《{seen[key]}》重复")
            elif key in seen and name == record.title:
                problems.append(f"{where}「名称」：《{record.title}》在文件中出现了两次")
            seen[key] = record.title
    titles = {r.title for _, r in records}
    for where, record in records:
        if record.successor and record.successor not in titles and not resolve_titles([record.successor]):
            problems.append(
                f"{where}「取代它的法律」：《{record.successor}》不在法律法规库中，也不在本文件中"
            )
    if problems:
        raise LawImportError(problems)
    return [r for _, r in records]


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"缺少「{LABELS.get(str(exc.args[0]).strip(), exc.args[0])}」"
    return f"日期或数值有误（{exc}）"


def import_laws(actor: Actor, path: Path) -> LawImport:
    """Add or update the laws of a file (an administrator's import replaces the facts of a law
    already registered); all or nothing. Laws whose repeal or amendments the file records owe
    their 依据变更提醒."""
    _require_admin(actor, "导入法律法规")
    records = read_law_file(Path(path))
    with transaction.atomic():
        existing = set(
            Law.objects.filter(title__in=[r.title for r in records]).values_list("title", flat=True)
        )
        for record in records:
            for name in [record.title, *record.aliases]:
                other = LawName.objects.filter(key=law_key(name)).exclude(law__title=record.title).first()
                if other is not None:
                    raise LawImportError([f"{path.name}「名称」：「{name}」已是{other.law}的名称"])
        before = {
            law.title: (law.repealed_on, set(law.amendments.values_list("adopted_on", flat=True)))
            for law in Law.objects.filter(title__in=existing)
        }
        added = merge_records(records, replace=True, actor_name=str(actor))
        changed = []
        for law in Law.objects.filter(title__in=[r.title for r in records]).prefetch_related("amendments"):
            old_repeal, old_amendments = before.get(law.title, (None, set()))
            new_amendments = {a.adopted_on for a in law.amendments.all()}
            if law.repealed_on != old_repeal or new_amendments - old_amendments:
                changed.append(law.pk)
        outbox.owe(PendingWork.LAW, changed)
        from qingdan.core.audit import record as audit_record

        audit_record(
            "law_import",
            object_type="law",
            object_id="import",
            object_repr=Path(path).name,
            after={"file": Path(path).name, "added": added, "laws": len(records), "changed": len(changed)},
            actor=actor.user,
            actor_name=str(actor),
        )
    return LawImport(added, len(records) - added, [r.title for r in records])


__all__ = [
    "AmendmentRecord",
    "LawRecord",
    "add_amendment",
    "add_article",
    "create_law",
    "edit_law",
    "find_law",
    "import_laws",
    "link_title",
    "repeal_law",
    "resolve_titles",
    "search_laws",
    "unresolved_titles",
]


def laws_cited(titles: Iterable[str]) -> dict[str, Law]:
    """``resolve_titles`` with each law's successor and amendments loaded: what the law checks
    read, in a fixed number of queries whatever the number of citations."""
    from django.db.models import prefetch_related_objects

    titles = set(titles)
    if not titles:
        return {}
    found = resolve_titles(titles)
    prefetch_related_objects(list({law.pk: law for law in found.values()}.values()), "amendments")
    return found
