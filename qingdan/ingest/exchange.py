"""Reading the qingdan/1 exchange format (docs/exchange-format.md), with every shape error
named by its JSON path."""

from __future__ import annotations

import json
from typing import Any

from qingdan.ingest.problems import IngestError, Problem, fail
from qingdan.ingest.raw import SourcePos
from qingdan.ingest.readers import jsondoc
from qingdan.ingest.readers.encoding import decode
from qingdan.ingest.records import FORMAT, ListRecord, list_record_from_json

STR, STRS, INT, STRMAP = "string", "string list", "integer", "string map"

# field → type, per object kind; lists of objects are described by the nested dicts
SCHEMA: dict[str, Any] = {
    "jurisdiction": STR,
    "department": STR,
    "version": INT,
    "units": [{"name": STR, "kind": STR, "phones": STRS}],
    "duties": [{"no": STR, "text": STR, "tasks": [{"text": STR, "units": STRS, "note": STR}]}],
    "boundaries": [
        {"matter": STR, "shares": [{"department": STR, "division": STR, "basis": STR, "case": STR}]}
    ],
    "services": [{"name": STR, "content": STR, "units": STRS, "phones": STRS}],
    "supervision": [
        {
            "matter": STR,
            "objects": STR,
            "content": STR,
            "methods": STR,
            "measures": STR,
            "procedure": STR,
            "handling": STR,
        }
    ],
    "powers": [
        {
            "code": STR,
            "name": STR,
            "type": STR,
            "subitems": STR,
            "basis": STR,
            "subject": STR,
            "units": STRS,
            "duties": STR,
            "accountability": STR,
            "phones": STRS,
            "entrusted_to": STR,
            "source_id": STR,
            "extra": STRMAP,
        }
    ],
}
# a task may have no text of its own (seed 000, duty 28: 具体工作事项 left blank)
REQUIRED = {"": ("department",), "duties": ("text",), "units": ("name",)}


def is_exchange_document(name: str, data: bytes) -> bool:
    head = data[:300].lstrip(b"\xef\xbb\xbf \r\n\t")
    return head.startswith(b"{") and b'"format"' in head and FORMAT.encode() in data[:2000]


def record_from_exchange(name: str, data: bytes) -> ListRecord:
    """The ListRecord in a qingdan/1 document; raises IngestError for every shape error."""
    try:
        doc = jsondoc.loads(name, decode(name, data))
    except json.JSONDecodeError as exc:
        raise fail(SourcePos(name, row=exc.lineno, col=exc.colno), f"JSON 格式错误：{exc.msg}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise fail(SourcePos(name), f'不是 {FORMAT} 文件（format 字段应为 "{FORMAT}"）')
    problems: list[Problem] = []
    _check(doc, SCHEMA, "", name, problems)
    if problems:
        raise IngestError(problems[:50])
    return list_record_from_json(doc, name)


def _check(obj: Any, schema: dict[str, Any], path: str, name: str, problems: list[Problem]) -> None:
    if not isinstance(obj, dict):
        problems.append(Problem(SourcePos(name, path=path or "(根)"), "应为 JSON 对象"))
        return
    leaf = path.rsplit(".", 1)[-1].split("[")[0]
    for key in REQUIRED.get(leaf, ()):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            problems.append(Problem(SourcePos(name, path=_join(path, key)), "缺少或为空", key))
    for key, kind in schema.items():
        if key not in obj or obj[key] is None:
            continue
        _check_value(obj[key], kind, _join(path, key), name, problems)


def _check_value(value: Any, kind: Any, path: str, name: str, problems: list[Problem]) -> None:
    if isinstance(kind, list):
        if not isinstance(value, list):
            problems.append(Problem(SourcePos(name, path=path), "应为列表"))
            return
        for i, item in enumerate(value):
            _check(item, kind[0], f"{path}[{i}]", name, problems)
        return
    ok = {
        STR: isinstance(value, str) or (path.endswith(".no") and isinstance(value, int)),
        STRS: isinstance(value, list) and all(isinstance(v, str) for v in value),
        INT: isinstance(value, int) and not isinstance(value, bool),
        STRMAP: isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
    }[kind]
    if not ok:
        problems.append(
            Problem(
                SourcePos(name, path=path),
                f"应为{ {STR: '字符串', STRS: '字符串列表', INT: '整数', STRMAP: '以字符串为值的对象'}[kind] }",
            )
        )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
