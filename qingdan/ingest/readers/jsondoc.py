"""JSON as the importers read it: nesting bounded, lone surrogates refused, NUL characters dropped.

The JSON parser recurses once per level, so a document nested a few thousand levels deep would
raise RecursionError; a ``\\ud800`` escape decodes to a lone surrogate that no database or
terminal can encode; a ``\\u0000`` escape is stored by SQLite but refused by PostgreSQL. Every
JSON a file brings in goes through ``loads`` so that all three are handled once, the same way on
every database.
"""

from __future__ import annotations

import json
from typing import Any

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import SourcePos

# A platform export is a few levels deep (wrapper → array → record → value); qingdan/1 is five.
MAX_DEPTH = 32


def loads(name: str, text: str, line: int = 0) -> Any:
    """``json.loads(text)`` checked as above; JSONDecodeError passes through for the caller's message."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _too_deep(name, line) from None
    return clean_value(name, doc, line)


def clean_value(name: str, doc: Any, line: int = 0) -> Any:
    """``doc`` with NUL removed from every string, refusing lone surrogates and deep nesting.
    Iterative, so that a deep document cannot exhaust the stack here either."""
    root: list[Any] = [doc]
    stack: list[tuple[Any, Any, str, int]] = [(root, 0, "", 0)]  # (container, key, path, depth)
    while stack:
        container, key, path, depth = stack.pop()
        value = container[key]
        if isinstance(value, str):
            container[key] = clean_text(value, SourcePos(name, row=line, path=path))
        elif isinstance(value, list | dict):
            if depth >= MAX_DEPTH:
                raise _too_deep(name, line)
            stack.extend(_children(name, value, path, depth + 1, line))
    return root[0]


def _children(name: str, value: list[Any] | dict[Any, Any], path: str, depth: int, line: int) -> list[Any]:
    if isinstance(value, list):
        return [(value, i, f"{path}[{i}]", depth) for i in range(len(value))]
    cleaned = {clean_text(k, SourcePos(name, row=line, path=path)): v for k, v in value.items()}
    if len(cleaned) != len(value) or any(a is not b for a, b in zip(cleaned, value, strict=True)):
        value.clear()
        value.update(cleaned)
    return [(value, k, f"{path}.{k}" if path else k, depth) for k in value]


def clean_text(text: str, pos: SourcePos) -> str:
    """``text`` without NUL characters; refuses a lone surrogate, naming where it is."""
    if text.isascii():
        return text.replace("\x00", "") if "\x00" in text else text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise fail(
            pos,
            f"含有无效的 Unicode 字符 U+{ord(text[exc.start]):04X}（孤立的代理项，"
            "常见于被截断的 \\uXXXX 转义或编码转换错误）",
            hint="请在原系统中修正这一处文字后重新导出",
        ) from None
    return text.replace("\x00", "") if "\x00" in text else text


def _too_deep(name: str, line: int) -> Exception:
    return fail(
        SourcePos(name, row=line),
        f"JSON 嵌套层数过多（超过 {MAX_DEPTH} 层），不是平台导出的事项表或 qingdan 交换格式",
        hint="事项表应为对象数组 [{…}, …]；请检查文件是否完整、是否为正确的导出文件",
    )
