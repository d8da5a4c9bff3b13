"""Decode text files as government offices produce them: UTF-8 (with or without BOM),
GB18030/GBK and UTF-16, refusing binary data instead of guessing."""

from __future__ import annotations

import codecs
import re

from qingdan.ingest.problems import fail
from qingdan.ingest.raw import SourcePos

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as every other byte NUL in CJK/ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    codec = "utf-16-le" if odd_nuls > half * 0.3 else "utf-16-be" if even_nuls > half * 0.3 else None
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(name: str, data: bytes) -> str:
    """The text of ``data``; raises IngestError when it is not text in a known encoding."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _undecodable(name, codec, exc) from exc
    if b"\x00" in data[:4000]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
        raise fail(
            SourcePos(name), "不是文本文件（含有二进制数据）", hint="请导入 .txt/.docx/.xlsx/.csv/.json 文件"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        _refuse_mixed(name, data)
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise _undecodable(name, "UTF-8 或 GB18030", exc) from exc
    if _looks_binary(text):
        raise fail(SourcePos(name), "不是文本文件（含有大量控制字符）", hint="请确认文件类型")
    return text


def _refuse_mixed(name: str, data: bytes) -> None:
    """Refuse a file whose lines mix UTF-8 and GBK/GB18030 (rows pasted from another file): read
    as either encoding, some rows would be stored as mojibake."""
    lines: dict[str, list[int]] = {"UTF-8": [], "GBK/GB18030": []}
    for number, line in enumerate(data.split(b"\n"), start=1):
        kind = "" if line.isascii() else _line_encoding(line)
        if kind:
            lines[kind].append(number)
    if not all(lines.values()):
        return
    (few, numbers), (most, _) = sorted(lines.items(), key=lambda item: len(item[1]))
    shown = "、".join(str(n) for n in numbers[:5]) + (" 行等" if len(numbers) > 5 else " 行")
    raise fail(
        SourcePos(name),
        f"文件混用了两种编码：大部分行是 {most}，第 {shown}（共 {len(numbers)} 行）却是 {few}",
        hint="导入会把这些行变成乱码；请用记事本或 WPS 打开原文件，改正这些行后统一另存为 UTF-8 编码再导入",
    )


def _line_encoding(line: bytes) -> str:
    """UTF-8 for a line that is valid UTF-8 and reads as Chinese (two ideographs or more, and
    nearly all its non-ASCII characters Chinese), GBK/GB18030 for a line that is not UTF-8, ""
    when it cannot tell. GBK bytes are valid UTF-8 only by chance, and then read mostly as Latin,
    Greek or Cyrillic letters, not as ideographs."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return "GBK/GB18030"
    wide = [ch for ch in text if ord(ch) > 0x7F]
    ideographs = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff")
    chinese = sum(1 for ch in wide if _CHINESE.match(ch))
    return "UTF-8" if ideographs >= 2 and chinese >= 0.9 * len(wide) else ""


_CHINESE = re.compile(r"[\u2000-\u206f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls > max(8, len(sample) // 50)


def _undecodable(name: str, codec: str, exc: UnicodeDecodeError) -> Exception:
    return fail(
        SourcePos(name),
        f"无法按 {codec} 解码（第 {exc.start} 字节处）",
        hint="请用记事本或 WPS 另存为 UTF-8 编码后再导入",
    )
