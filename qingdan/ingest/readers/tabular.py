"""CSV/TSV, JSON and JSONL exports of 权力清单 from provincial platforms, and qingdan's own CSV.

JSON becomes one table whose first row is the union of the records' keys; CSV rows stay as they
are (qingdan's CSV holds several sections, each under its own header row). Cell text is cleaned
the way platform exports need: HTML entities (even double-escaped) and tags such as <br> removed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import Cell, RawDocument, Row, SourcePos, Table
from qingdan.ingest.readers.encoding import decode

_BREAK = re.compile(r"<\s*br\s*/?\s*>|</\s*p\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,200})?/?>")
_WRAPPERS = ("data", "rows", "items", "list", "records", "result", "results", "datas")


def clean_cell(text: str) -> str:
    """「&amp;ldquo;专利&amp;rdquo;<br/>权」 → 「“专利”\\n权」."""
    for _ in range(2):
        text = html.unescape(text)
    text = _TAG.sub("", _BREAK.sub("\n", text))
    return text.replace("\r\n", "\n").replace("\xa0", " ").strip()


def read(name: str, data: bytes) -> RawDocument:
    text = decode(name, data)
    stripped = text.lstrip()
    if name.lower().endswith((".jsonl", ".ndjson")):
        records = _jsonl(name, text)
    elif stripped.startswith(("[", "{")) and not name.lower().endswith((".csv", ".tsv")):
        records = _json(name, text)
    else:
        return RawDocument(name, [_csv(name, text)])
    return RawDocument(name, [_records_table(name, records)])


def _csv(name: str, text: str) -> Table:
    sample = text[:8192]
    try:
        # only the delimiter is guessed: the sniffer's quoting guesses break on "专精特新"-style text
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    for values in reader:
        cells = [Cell(clean_cell(v), SourcePos(name, row=line, col=c)) for c, v in enumerate(values, start=1)]
        if any(not c.blank for c in cells):
            rows.append(Row(cells, SourcePos(name, row=line)))
        line = reader.line_num + 1
    if not rows:
        raise fail(SourcePos(name), "CSV 文件中没有数据行")
    return Table(rows, SourcePos(name))


def _json(name: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(SourcePos(name, row=exc.lineno, col=exc.colno), f"JSON 格式错误：{exc.msg}") from exc
    if isinstance(doc, dict) and doc.get("format"):
        raise fail(
            SourcePos(name), f"不支持的格式「{doc['format']}」", hint="qingdan 导出的 JSON 应为 qingdan/1"
        )
    items = _unwrap(doc)
    if items is None or not all(isinstance(i, dict) for i in items):
        raise fail(SourcePos(name), "JSON 应为对象数组（或以 data/list/rows 包装的对象数组）")
    return list(enumerate(items, start=1))


def _unwrap(doc: Any, depth: int = 0) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and depth < 3:
        for key in _WRAPPERS:
            found = _unwrap(doc.get(key), depth + 1) if key in doc else None
            if found is not None:
                return found
    return None


def _jsonl(name: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise fail(SourcePos(name, row=number, col=exc.colno), f"JSON 格式错误：{exc.msg}") from exc
        if not isinstance(item, dict):
            raise fail(SourcePos(name, row=number), "这一行应为 JSON 对象")
        records.append((number, item))
    return records


def _records_table(name: str, records: list[tuple[int, dict[str, Any]]]) -> Table:
    keys: list[str] = []
    for _, item in records:
        keys.extend(k for k in item if k not in keys)
    header = Row([Cell(k, SourcePos(name, col=c)) for c, k in enumerate(keys, start=1)], SourcePos(name))
    rows = [header]
    for number, item in records:
        cells = [
            Cell(clean_cell(_value(item.get(k))), SourcePos(name, row=number, col=c))
            for c, k in enumerate(keys, start=1)
        ]
        rows.append(Row(cells, SourcePos(name, row=number)))
    return Table(rows, SourcePos(name))


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "\n".join(_value(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
