"""CSV/TSV, JSON and JSONL exports of 权力清单 from provincial platforms, and qingdan's own CSV.

JSON becomes one table whose first row is the union of the records' keys. A CSV keeps its rows as
they are (qingdan's CSV holds several sections, each under its own header row); single-cell
title lines above the first header become paragraphs. Cell text is cleaned the way platform
exports need: HTML entities (even double-escaped) and tags such as <br> removed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from qingdan.cells import csv_unescape
from qingdan.ingest.problems import IngestError, fail
from qingdan.ingest.raw import Block, Cell, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.readers import jsondoc
from qingdan.ingest.readers.encoding import decode

Record = tuple[int, dict[str, Any]]  # (record number or line, the object)

# Every pattern here starts at a "<" and is bounded, so cleaning stays linear in the cell's length
# (a pattern that starts with \s* rescans a long run of spaces from each of its positions).
_BREAK = re.compile(r"<\s{0,20}/?\s{0,20}(?:br|p|div|li|tr)\b[^<>]{0,200}>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,40}(?:\s[^<>]{0,200})?/?>")
_WRAPPERS = ("data", "rows", "items", "list", "records", "result", "results", "datas", "content")
_DELIMITERS = (",", "\t", ";")  # the full-width comma is text, never a delimiter
_JSON_HINT = "请用文本编辑器检查这一处附近的引号、逗号和括号"


def read(name: str, data: bytes) -> RawDocument:
    """The file as paragraphs and one table; raises IngestError naming the file and line."""
    text = decode(name, data)
    kind = _kind(name, text)
    if kind == "csv":
        return _read_csv(name, text)
    records = _jsonl(name, text) if kind == "jsonl" else _json(name, text)
    return RawDocument(name, [_records_table(name, records)], merges_marked=True)


def _kind(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    if suffix == ".json":
        return "json"
    return "json" if text.lstrip("\ufeff \t\r\n").startswith(("[", "{")) else "csv"


def clean_cell(text: str) -> str:
    """「&amp;ldquo;专利&amp;rdquo;<br/>权&nbsp;」 → 「“专利”\\n权」."""
    if "&" in text:
        text = html.unescape(html.unescape(text))
    if "<" in text:
        text = _TAG.sub("", _line_breaks(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return "\n".join(line.rstrip(" \t\u3000") for line in text.split("\n")).strip()


def _line_breaks(text: str) -> str:
    """A run of line-breaking tags (「</p><p>」, 「<br/>」) and the space around it → one line break."""
    pieces = _BREAK.split(text)
    if len(pieces) == 1:
        return text
    middle = [p.strip() for p in pieces[1:-1] if p.strip()]
    return "\n".join([pieces[0].rstrip(), *middle, pieces[-1].lstrip()])


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(name: str, text: str) -> RawDocument:
    delimiter = sniff_delimiter(text, prefer_tab=name.lower().endswith(".tsv"))
    rows = [row for row in _csv_rows(name, text, delimiter) if _filled(row)]
    if not rows:
        raise fail(SourcePos(name), "CSV 文件中没有任何内容", hint="请确认导出或下载是否完整")
    titles: list[Block] = []
    while rows and _filled(rows[0]) == 1:
        title = rows.pop(0)
        titles.append(Paragraph(next(c.text for c in title.cells if not c.blank), title.pos))
    if not rows:
        raise fail(
            SourcePos(name),
            "CSV 文件中没有表头行（每一行都只有一个单元格）",
            hint="请确认各列之间用英文逗号、制表符或分号分隔（中文逗号「，」不是分隔符），且表头行写明列名",
        )
    return RawDocument(name, [*titles, Table(rows, rows[0].pos)], merges_marked=True)


def _filled(row: Row) -> int:
    return sum(1 for c in row.cells if not c.blank)


def sniff_delimiter(text: str, prefer_tab: bool = False) -> str:
    """The delimiter that splits the first records into the most rows of one width (>1)."""
    sample = text[:16384]
    truncated = len(text) > len(sample)
    scores = {d: _consistency(sample, d, truncated) for d in _DELIMITERS}
    if prefer_tab and scores["\t"][0]:
        return "\t"
    return max(_DELIMITERS, key=lambda d: scores[d])  # max keeps the first of equals


def _consistency(sample: str, delimiter: str, truncated: bool) -> tuple[int, int]:
    """(rows having the commonest width, that width) when ``sample`` is split by ``delimiter``."""
    try:
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    except csv.Error:
        return (0, 0)
    if truncated:
        records = records[:-1]  # the sample may end inside a record
    widths = Counter(len(r) for r in records if len(r) > 1)
    if not widths:
        return (0, 0)
    width, count = widths.most_common(1)[0]
    return (count, width)


def _csv_rows(name: str, text: str, delimiter: str) -> Iterator[Row]:
    for line, values in _records(name, text, delimiter):
        # csv_unescape: the quote qingdan's CSV export puts before =, +, -, @ (qingdan.cells)
        cells = [
            Cell(clean_cell(csv_unescape(v)), SourcePos(name, row=line, col=c))
            for c, v in enumerate(values, 1)
        ]
        yield Row(cells, SourcePos(name, row=line))


def _records(name: str, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each record with the physical line it starts on; refuses a quote that never closes."""
    # the csv module refuses a field over 131,072 characters by default; the file size limit
    # already bounds a field, and a long cell is a real cell, not an unclosed quote
    csv.field_size_limit(max(csv.field_size_limit(), settings.QINGDAN_MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for values in reader:
            records.append((line, values))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_error(name, line, str(exc)) from exc
    # only the last record can have swallowed the rest of the file into an open quote
    if records and reader.line_num > records[-1][0] and _quote_left_open(text, records[-1][0], delimiter):
        raise _csv_error(name, records[-1][0], "unexpected end of data")
    return records


def _quote_left_open(text: str, line: int, delimiter: str) -> bool:
    """True when the record starting at ``line`` runs to the end of the file inside quotes."""
    lines = io.StringIO(text, newline="").readlines()
    rest = io.StringIO("".join(lines[line - 1 :]), newline="")
    try:
        next(csv.reader(rest, delimiter=delimiter, strict=True), None)
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _csv_error(name: str, line: int, reason: str) -> IngestError:
    if "unexpected end of data" in reason:
        return fail(
            SourcePos(name, row=line),
            "从这一行开始的英文双引号没有闭合，之后的内容都落进了同一个单元格",
            hint='请检查这一行单元格两端的双引号是否成对；单元格内的双引号应写成两个（""）',
        )
    return fail(SourcePos(name, row=line), f"CSV 格式错误：{reason}")


# --- JSON and JSONL --------------------------------------------------------------------------


def _json(name: str, text: str) -> list[Record]:
    try:
        doc = jsondoc.loads(name, text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _looks_like_jsonl(text):
            return _jsonl(name, text)  # JSON Lines saved under .json
        raise _json_error(name, exc) from exc
    if isinstance(doc, dict) and str(doc.get("format", "")).startswith("qingdan/"):
        raise fail(
            SourcePos(name),
            f"这是 qingdan 交换格式（{doc['format']}）的文件，不是平台导出的事项表",
            hint="请用 qingdan import 直接导入它（交换格式由导入命令本身识别）",
        )
    items = records_in(doc)
    if items is None:
        raise fail(
            SourcePos(name),
            "JSON 中没有找到事项记录（应为对象数组）",
            hint="支持 [{…}, …]，或以 data/rows/items/list/records/result 包装的对象数组",
        )
    return _objects(name, list(enumerate(items, start=1)), "第 {n} 条记录")


def _looks_like_jsonl(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines)


def records_in(doc: Any, depth: int = 0) -> list[Any] | None:
    """The record array in a platform's JSON: the document itself or under a wrapper key."""
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict) or depth > 2:
        return None
    keys = {str(k).lower(): k for k in doc}
    for wrapper in _WRAPPERS:
        if wrapper in keys:
            found = records_in(doc[keys[wrapper]], depth + 1)
            if found is not None:
                return found
    arrays = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    return arrays[0] if len(arrays) == 1 else None  # a single array under an unusual key


def _jsonl(name: str, text: str) -> list[Record]:
    items: list[tuple[int, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, jsondoc.loads(name, line, number)))
        except json.JSONDecodeError as exc:
            raise _json_error(name, exc, line=number) from exc
    return _objects(name, items, "这一行")


def _objects(name: str, items: list[tuple[int, Any]], what: str) -> list[Record]:
    """The items when every one is an object; refuses an empty list or any other value."""
    if not items:
        raise fail(SourcePos(name), "文件中没有任何事项记录", hint="请确认导出或下载是否完整")
    for number, item in items:
        if not isinstance(item, dict):
            raise fail(
                SourcePos(name, row=number),
                f"{what.format(n=number)}应为 JSON 对象（{{…}}），实际是{_json_type(item)}",
                hint="每条事项应写成一个以列名为键的对象",
            )
    return items


def _json_type(value: Any) -> str:
    names = {str: "字符串", bool: "布尔值", int: "数字", float: "数字", list: "数组", type(None): "null"}
    return names.get(type(value), type(value).__name__)


_JSON_MESSAGES = {
    "Expecting value": "缺少值，或有多余的逗号",
    "Expecting property name enclosed in double quotes": "键名必须用英文双引号括起，或有多余的逗号",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string starting at": "字符串缺少结尾的双引号",
    "Invalid control character at": "字符串中有未转义的换行或控制字符",
    "Invalid \\escape": "无效的反斜杠转义",
    "Extra data": "数据结束后还有多余的内容",
}


def _json_error(name: str, exc: json.JSONDecodeError, line: int = 0) -> IngestError:
    reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
    pos = SourcePos(name, row=line or exc.lineno, col=exc.colno)
    return fail(pos, f"JSON 格式错误：{reason}", hint=_JSON_HINT)


def _records_table(name: str, records: list[Record]) -> Table:
    keys: dict[str, None] = {}  # an ordered set: the union of keys in first-seen order
    for _, item in records:
        keys.update(dict.fromkeys(item))
    header = Row(
        [Cell(clean_cell(str(k)), SourcePos(name, col=c)) for c, k in enumerate(keys, start=1)],
        SourcePos(name),
    )
    rows = [header]
    for number, item in records:
        cells = [
            Cell(cell_text(item.get(k)), SourcePos(name, row=number, col=c)) for c, k in enumerate(keys, 1)
        ]
        rows.append(Row(cells, SourcePos(name, row=number)))
    return Table(rows, SourcePos(name))


def cell_text(value: Any) -> str:
    """A JSON value as cell text: null → "", 3.0 → "3", [a, b] → "a\\nb", objects as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
        return "\n".join(filter(None, (cell_text(v) for v in value)))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return clean_cell(str(value))
