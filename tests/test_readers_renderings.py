"""A PDF or HTML rendering of a list gives the same registry as its .docx.

Seeds 000–002 are imported, exported as the official .docx (with a running header and 「第 N 页
共 M 页」 in the footer, as published lists have), and LibreOffice renders that .docx as PDF and as
HTML. Importing each rendering must give the list the .docx gives.

Where a rendering cannot carry something, the comparison says what and why:
- PDF: LibreOffice draws no glyph for a space, so a space where a line wraps leaves no trace;
  and a line that happens to fill its cell cannot tell a paragraph end from a wrap. Texts are
  compared without whitespace; seed 002, which has neither case, is compared exactly.
- HTML: LibreOffice writes two spaces as two line breaks of the source, which HTML (and any
  browser) shows as one space. Texts are compared with runs of spaces as one; 002 exactly.
"""

from __future__ import annotations

import io
import json
import os
import re
from functools import cache
from typing import Any

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from qingdan.catalog.exports.docx import write_docx
from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from qingdan.ingest.readers import legacy, read_bytes
from tests.conftest import LUQUAN_KEGONG, seed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        legacy.find_soffice() is None and not os.environ.get("QINGDAN_REQUIRE_LIBREOFFICE"),
        reason="LibreOffice is not installed (CI installs it and sets QINGDAN_REQUIRE_LIBREOFFICE)",
    ),
]

HEADER = "内部资料　注意保存"


@cache
def word(prefix: str) -> bytes:
    """The seed's list as the official .docx, with a running header and page numbers."""
    path = seed(prefix)
    department = LUQUAN_KEGONG if prefix == "000" else ""
    record = load_bytes(path.name, path.read_bytes(), department=department).record
    doc = Document(io.BytesIO(write_docx(record)))
    section = doc.sections[0]
    section.header.paragraphs[0].text = HEADER
    footer = section.footer.paragraphs[0]
    footer.add_run("第 ")
    footer._p.append(field("PAGE"))
    footer.add_run(" 页 共 ")
    footer._p.append(field("NUMPAGES"))
    footer.add_run(" 页")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def field(instruction: str) -> Any:
    element = OxmlElement("w:fldSimple")
    element.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    element.append(run)
    return element


@cache
def rendering(prefix: str, target: str) -> bytes:
    soffice = legacy.find_soffice()
    assert soffice is not None, "QINGDAN_REQUIRE_LIBREOFFICE is set but LibreOffice is missing"
    return legacy.convert(soffice, "清单.docx", word(prefix), target)


def imported(name: str, data: bytes) -> dict[str, Any]:
    return load_bytes(name, data).record.to_json()


def without(pattern: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record with ``pattern`` taken out of every text."""
    text = json.dumps(record, ensure_ascii=False)
    return json.loads(re.sub(pattern, "", text))


def spaces_as_one(record: dict[str, Any]) -> dict[str, Any]:
    return json.loads(re.sub(r" {2,}", " ", json.dumps(record, ensure_ascii=False)))


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_a_pdf_rendering_imports_into_the_same_list(prefix):
    expected = imported("清单.docx", word(prefix))
    got = imported("清单.pdf", rendering(prefix, "pdf"))
    assert got["department"] == expected["department"]
    assert without(r"\s|\\n", got) == without(r"\s|\\n", expected)
    if prefix == "002":
        assert got == expected


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_an_html_rendering_imports_into_the_same_list(prefix):
    expected = imported("清单.docx", word(prefix))
    got = imported("清单.html", rendering(prefix, "html"))
    assert spaces_as_one(got) == spaces_as_one(expected)
    if prefix == "002":
        assert got == expected


def test_an_html_rendering_saved_as_xls_is_read_as_html():
    assert imported("清单.xls", rendering("002", "html")) == imported("清单.docx", word("002"))


def test_it_leaves_page_headers_and_numbers_out_of_a_pdf():
    doc = read_bytes("清单.pdf", rendering("002", "pdf"))
    texts = [p.text for p in doc.paragraphs()]
    assert texts[0] == "湘阴县科技局责任清单"
    assert not [t for t in texts if HEADER in t or re.search(r"第 ?\d+ ?页", t)]
    assert doc.paragraphs()[0].pos.page == 1


def test_it_reads_a_table_over_several_pages_as_one_table_with_its_pages():
    doc = read_bytes("清单.pdf", rendering("002", "pdf"))
    duties = doc.tables()[1]
    assert duties.rows[0].texts()[:3] == ["序号", "主要职责", "具体工作事项"]
    assert sum(1 for row in duties.rows if row.texts()[0] == "序号") == 1
    pages = {row.pos.page for row in duties.rows}
    assert len(pages) > 2
    # a duty merged over its tasks is marked as Word marks it
    assert [c.merge for c in duties.rows[2].cells[:2]] == ["up", "up"]


def test_it_refuses_an_encrypted_pdf(tmp_path):
    soffice = legacy.find_soffice()
    assert soffice is not None
    options = {
        "EncryptFile": {"type": "boolean", "value": "true"},
        "DocumentOpenPassword": {"type": "string", "value": "secret"},
    }
    encrypted = legacy.convert(
        soffice, "清单.docx", word("002"), "pdf:writer_pdf_Export:" + json.dumps(options)
    )
    with pytest.raises(IngestError) as exc:
        read_bytes("加密.pdf", encrypted)
    assert "加了密码" in str(exc.value)


def test_it_refuses_a_truncated_pdf():
    data = rendering("002", "pdf")
    with pytest.raises(IngestError) as exc:
        read_bytes("截断.pdf", data[: len(data) // 3])
    assert "损坏或被截断" in str(exc.value)
