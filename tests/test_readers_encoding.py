"""A text file whose rows mix UTF-8 and GBK is refused with the rows named, not stored as
mojibake; a file in one encoding, whichever, reads as it is."""

from __future__ import annotations

import pytest

from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.readers.encoding import decode
from tests.conftest import LUQUAN_KEGONG, seed

PREFIXES = ["000", "001", "002", "003", "004"]


def refuse(name: str, data: bytes) -> str:
    with pytest.raises(IngestError) as exc:
        decode(name, data)
    return str(exc.value)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_seed_saved_as_gb18030_reads_as_it_is(prefix):
    text = seed(prefix).read_text()
    assert decode("清单.txt", text.encode("gb18030")) == text


def test_a_seed_saved_as_gb18030_imports_into_the_same_list():
    path = seed("000")
    utf8 = load_bytes(path.name, path.read_bytes(), department=LUQUAN_KEGONG).record
    gb18030 = load_bytes(path.name, path.read_text().encode("gb18030"), department=LUQUAN_KEGONG).record
    assert gb18030.to_json() == utf8.to_json()


def mixed(prefix: str, encoding: str, pasted: str, rows: list[int]) -> bytes:
    """The seed in ``encoding`` with the 1-based ``rows`` pasted in as ``pasted``."""
    lines = seed(prefix).read_text().split("\n")
    return b"\n".join(
        line.encode(pasted if number in rows else encoding) for number, line in enumerate(lines, start=1)
    )


def chinese_rows(prefix: str, count: int) -> list[int]:
    """The first ``count`` rows with at least two Chinese characters."""
    lines = seed(prefix).read_text().split("\n")
    found = [
        n for n, line in enumerate(lines, start=1) if sum("\u4e00" <= ch <= "\u9fff" for ch in line) >= 2
    ]
    return found[:count]


def test_it_refuses_a_gbk_file_with_utf8_rows_pasted_in_naming_them():
    rows = chinese_rows("002", 3)
    message = refuse("清单.txt", mixed("002", "gb18030", "utf-8", rows))
    assert "混用了两种编码" in message and "大部分行是 GBK/GB18030" in message
    assert f"第 {'、'.join(map(str, rows))} 行（共 3 行）却是 UTF-8" in message


def test_it_refuses_a_utf8_file_with_gbk_rows_pasted_in_naming_them():
    rows = chinese_rows("001", 8)
    message = refuse("清单.csv", mixed("001", "utf-8", "gb18030", rows))
    shown = "、".join(map(str, rows[:5]))
    assert f"大部分行是 UTF-8，第 {shown} 行等（共 8 行）却是 GBK/GB18030" in message


def test_it_refuses_a_mixed_file_through_the_whole_import():
    rows = chinese_rows("000", 1)
    with pytest.raises(IngestError) as exc:
        load_bytes("清单.txt", mixed("000", "gb18030", "utf-8", rows), department=LUQUAN_KEGONG)
    assert "「清单.txt」" in str(exc.value) and f"第 {rows[0]} 行" in str(exc.value)
