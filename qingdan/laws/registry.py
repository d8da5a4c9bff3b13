"""Law records (from the shipped file, an import or the browser) merged into the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qingdan.catalog.models import LegalCitation
from qingdan.laws.models import Law, LawAmendment, LawArticle, LawName
from qingdan.laws.names import law_key


@dataclass
class AmendmentRecord:
    adopted: dt.date
    effective: dt.date | None = None
    name: str = ""
    source: str = ""


@dataclass
class ArticleRecord:
    number: int
    text: str = ""


@dataclass
class LawRecord:
    title: str
    aliases: list[str] = field(default_factory=list)
    level: str = ""
    issuer: str = ""
    document_number: str = ""
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    repealed: dt.date | None = None
    successor: str = ""
    source: str = ""
    note: str = ""
    amendments: list[AmendmentRecord] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> LawRecord:
        def day(key: str, within: dict[str, Any] = entry) -> dt.date | None:
            return dt.date.fromisoformat(within[key]) if within.get(key) else None

        return cls(
            title=entry["title"],
            aliases=list(entry.get("aliases", [])),
            level=entry.get("level", ""),
            issuer=entry.get("issuer", ""),
            document_number=entry.get("document_number", ""),
            promulgated=day("promulgated"),
            effective=day("effective"),
            repealed=day("repealed"),
            successor=entry.get("successor", ""),
            source=entry.get("source", ""),
            note=entry.get("note", ""),
            amendments=[
                AmendmentRecord(
                    dt.date.fromisoformat(a["adopted"]),
                    day("effective", a),
                    a.get("name", ""),
                    a.get("source", ""),
                )
                for a in entry.get("amendments", [])
            ],
            articles=[ArticleRecord(int(a["number"]), a.get("text", "")) for a in entry.get("articles", [])],
        )


def merge_records(
    records: list[LawRecord], *, replace: bool, shipped: bool = False, actor_name: str = ""
) -> int:
    """Write the records into the registry inside the caller's transaction; returns how many
    laws were added. ``replace`` overwrites the facts of a law already registered (an import by
    an administrator); without it only what is missing is added (the shipped file)."""
    added = 0
    by_title = {law.title: law for law in Law.objects.filter(title__in=[r.title for r in records])}
    for record in records:
        law = by_title.get(record.title)
        facts = {
            "level": record.level,
            "issuer": record.issuer,
            "document_number": record.document_number,
            "promulgated_on": record.promulgated,
            "effective_on": record.effective,
            "repealed_on": record.repealed,
            "source": record.source,
            "note": record.note,
        }
        if law is None:
            law = Law.objects.create(title=record.title, shipped=shipped, updated_by_name=actor_name, **facts)
            by_title[law.title] = law
            added += 1
        elif replace:
            for name, value in facts.items():
                setattr(law, name, value)
            law.updated_by_name = actor_name
            law.save()
        for name in [record.title, *record.aliases]:
            LawName.objects.get_or_create(key=law_key(name), defaults={"law": law, "name": name})
        for a in record.amendments:
            LawAmendment.objects.get_or_create(
                law=law,
                adopted_on=a.adopted,
                defaults={"effective_on": a.effective, "name": a.name, "source": a.source},
            )
        for article in record.articles:
            LawArticle.objects.get_or_create(law=law, number=article.number, defaults={"text": article.text})
    for record in records:
        if record.successor:
            law = by_title[record.title]
            successor = Law.objects.filter(names__key=law_key(record.successor)).first()
            if successor is not None and (law.successor_id is None or replace):
                Law.objects.filter(pk=law.pk).update(successor=successor)
    resolve_unlinked()
    return added


def resolve_unlinked() -> int:
    """Link the citations whose title now names a registered law; returns how many."""
    from qingdan.laws.services import resolve_titles

    titles = set(LegalCitation.objects.filter(law__isnull=True).values_list("title", flat=True).distinct())
    linked = 0
    for title, law in resolve_titles(titles).items():
        linked += LegalCitation.objects.filter(law__isnull=True, title=title).update(law=law)
    return linked
