"""The PostgreSQL search backend: the index is a table in the registry's own database, so several
web servers over one database share it and it commits (or rolls back) with the data.

The same tokens as the tantivy backend go into a weighted tsvector ('simple' configuration: the
text is already segmented by jieba), ranked with ts_rank_cd. The table and its GIN index are
created by migration catalog 0002 on PostgreSQL only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from qingdan.search.backends import WEIGHTS, Hit, fields_of, search_with_fallback
from qingdan.search.documents import SearchDoc
from qingdan.search.text import Query, chars, tokens

TABLE = "qingdan_search"
_UNSAFE = re.compile(r"[&|!():*'\\<>\s]")
# ts_rank_cd weights for D, C, B, A: chars, context, body, head
_RATIOS = ",".join(str(WEIGHTS[k] / WEIGHTS["head"]) for k in ("chars", "context", "body", "head"))
RANK_WEIGHTS = "{" + _RATIOS + "}"


def _vector_sql() -> str:
    letters = {"head": "A", "body": "B", "context": "C", "chars": "D"}
    return " || ".join(f"setweight(to_tsvector('simple', %s), '{letters[k]}')" for k in letters)


class PostgresBackend:
    name = "postgres"

    def replace_departments(
        self, docs_by_department: Iterable[tuple[int, list[SearchDoc]]], clear: bool = False
    ) -> int:
        added = 0
        with transaction.atomic():
            if clear:
                self.clear()
            for department_id, docs in docs_by_department:
                self.replace_department(department_id, docs)
                added += len(docs)
        return added

    def replace_department(self, department_id: int, docs: list[SearchDoc]) -> None:
        rows = []
        for doc in docs:
            f = fields_of(doc)
            payload = json.dumps(doc.payload(), ensure_ascii=False)
            rows.append(
                (
                    doc.id,
                    department_id,
                    doc.jurisdiction,
                    payload,
                    f["head"],
                    f["body"],
                    f["context"],
                    f["chars"],
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE department_id = %s", [department_id])
            cursor.executemany(
                f"INSERT INTO {TABLE} (id, department_id, jurisdiction, payload, vec) "
                f"VALUES (%s, %s, %s, %s, {_vector_sql()})",
                rows,
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def search(self, query: Query, limit: int) -> list[Hit]:
        return search_with_fallback(self._run, query, limit)

    def _run(self, query: Query, limit: int, with_characters: bool) -> list[Hit]:
        terms = [t for w in query.all_words for t in tokens(w)]
        if with_characters:
            terms += chars(" ".join(query.words))
        terms = list(dict.fromkeys(_UNSAFE.sub("", t) for t in terms if _UNSAFE.sub("", t)))
        if not terms:
            return []
        tsquery = " | ".join(f"'{t}'" for t in terms)
        where = "vec @@ q"
        params: list[Any] = [RANK_WEIGHTS, tsquery]
        if query.jurisdiction:
            where += " AND jurisdiction = %s"
            params.append(query.jurisdiction)
        if query.excluded_departments:
            where += " AND NOT (department_id = ANY(%s))"
            params.append(sorted(query.excluded_departments))
        sql = (
            f"SELECT payload, ts_rank_cd(%s::float4[], vec, q) AS rank FROM {TABLE}, "
            f"to_tsquery('simple', %s) q WHERE {where} ORDER BY rank DESC LIMIT {int(limit)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Hit.from_payload(p if isinstance(p, dict) else json.loads(p), float(r)) for p, r in rows]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def ids(self) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {TABLE}")
            return {row[0] for row in cursor.fetchall()}
