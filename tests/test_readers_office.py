"""The Word and Excel readers lay every table onto its grid with merge marks and real positions,
and refuse broken or hostile files with a Chinese message naming the file."""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from copy import deepcopy

import pytest
from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from openpyxl import Workbook
from openpyxl.styles import Font

from qingdan.ingest.problems import IngestError
from qingdan.ingest.raw import Cell, Paragraph, RawDocument, Row, SourcePos, Table
from qingdan.ingest.readers import docx as docx_reader
from qingdan.ingest.readers import read_bytes
from qingdan.ingest.readers import xlsx as xlsx_reader

UP, LEFT = ("", "up"), ("", "left")
HEADER = ("序号", "主要职责", "具体工作事项", "责任科室", "联系方式")
DUTY_1 = "贯彻执行国家、省、市科技、知识产权和防震减灾工作的法律法规、方针、政策"
DUTY_2 = "组织拟订全县科技工作的中长期规划和年度计划"


def cells(pos: SourcePos, specs: tuple[str | tuple[str, str], ...]) -> list[Cell]:
    out = []
    for col, spec in enumerate(specs, start=1):
        text, merge = (spec, "") if isinstance(spec, str) else spec
        out.append(Cell(text, SourcePos(pos.file, pos.row, col, pos.sheet, pos.table), merge))  # type: ignore[arg-type]
    return out


def word_row(name: str, table: int, row: int, *specs: str | tuple[str, str]) -> Row:
    pos = SourcePos(name, table=table, row=row)
    return Row(cells(pos, specs), pos)


def excel_row(name: str, sheet: str, row: int, *specs: str | tuple[str, str]) -> Row:
    pos = SourcePos(name, row=row, sheet=sheet)
    return Row(cells(pos, specs), pos)


def docx_bytes(doc: object) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, member: str, change) -> bytes:
    """The same zip with one member's bytes passed through ``change``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


# --- Word ------------------------------------------------------------------------------------


def duties_docx() -> bytes:
    """A 部门职责 table as Word writes one: merged 序号/主要职责, a repeated header, a wide cell."""
    doc = Document()
    doc.add_paragraph("湘阴县科技局责任清单")
    doc.add_paragraph("")
    doc.add_paragraph("一、部门职责")
    table = doc.add_table(rows=5, cols=5)
    for r, values in enumerate(
        [
            HEADER,
            ("1", DUTY_1, "制定全县科技政策性文件", "办公室", "2115518"),
            ("", "", "组织实施科技法律", "", ""),
        ]
    ):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 1).merge(table.cell(2, 1))
    units = table.cell(2, 3)
    units.text = "运行一科"
    units.add_paragraph("运行二科")
    phones = table.cell(2, 4).paragraphs[0]
    phones.add_run("2115518")
    phones.add_run().add_break()
    phones.add_run("2269700")
    for c, value in enumerate(HEADER):  # the header again, as after a page break
        table.cell(3, c).text = value
    table.cell(4, 0).text = "2"
    table.cell(4, 1).merge(table.cell(4, 2)).text = DUTY_2
    table.cell(4, 3).text, table.cell(4, 4).text = "知识产权办公室", "2269700"
    doc.add_paragraph("二、与相关部门的职责边界")
    return docx_bytes(doc)


def test_it_reads_a_word_table_onto_its_grid_with_merge_marks():
    name = "湘阴县科技局.docx"
    expected = RawDocument(
        name,
        merges_marked=True,
        blocks=[
            Paragraph("湘阴县科技局责任清单", SourcePos(name, row=1)),
            Paragraph("一、部门职责", SourcePos(name, row=3)),
            Table(
                [
                    word_row(name, 1, 1, *HEADER),
                    word_row(name, 1, 2, "1", DUTY_1, "制定全县科技政策性文件", "办公室", "2115518"),
                    word_row(
                        name, 1, 3, UP, UP, "组织实施科技法律", "运行一科\n运行二科", "2115518\n2269700"
                    ),
                    word_row(name, 1, 4, *HEADER),
                    word_row(name, 1, 5, "2", DUTY_2, LEFT, "知识产权办公室", "2269700"),
                ],
                SourcePos(name, table=1),
            ),
            Paragraph("二、与相关部门的职责边界", SourcePos(name, row=4)),
        ],
    )
    assert docx_reader.read(name, duties_docx()) == expected


def test_it_pads_rows_that_start_or_end_off_the_grid():
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    for r, (values, prop) in enumerate([(("a", "b"), "gridBefore"), (("c",), "gridAfter")]):
        tr = table.rows[r]._tr
        for tc in tr.tc_lst[len(values) :]:
            tr.remove(tc)
        for tc, value in zip(tr.tc_lst, values, strict=True):
            tc.append(parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>{value}</w:t></w:r></w:p>"))
        extra = OxmlElement(f"w:{prop}")
        extra.set(qn("w:val"), str(3 - len(values)))
        tr.get_or_add_trPr().append(extra)
    rows = docx_reader.read("a.docx", docx_bytes(doc)).tables()[0].rows
    assert [(c.text, c.pos.col) for c in rows[0].cells] == [("", 1), ("a", 2), ("b", 3)]
    assert [(c.text, c.pos.col) for c in rows[1].cells] == [("c", 1), ("", 2), ("", 3)]


def test_it_flattens_a_nested_table_into_its_cell():
    doc = Document()
    outer = doc.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "承办机构"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r, c, value in [(0, 0, "办公室"), (0, 1, "2115518"), (1, 0, "地震办公室"), (1, 1, "2115558")]:
        inner.cell(r, c).text = value
    (table,) = docx_reader.read("a.docx", docx_bytes(doc)).tables()
    assert table.rows[0].texts() == ["承办机构", "办公室\n2115518\n地震办公室\n2115558"]


def test_it_reads_text_as_word_shows_it():
    """Tab stops and deleted text are not text; content controls and insertions are."""
    doc = Document()
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(914400)
    paragraph.add_run("序号\t名称")
    w = nsdecls("w")
    paragraph._p.append(
        parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>旧</w:delText></w:r></w:del>')
    )
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>新</w:t></w:r></w:ins>'))
    control = parse_xml(f"<w:sdt {w}><w:sdtContent/></w:sdt>")
    control[0].append(deepcopy(doc.add_paragraph("在内容控件中")._p))
    doc.element.body.remove(doc.paragraphs[-1]._p)
    doc.element.body.insert(1, control)
    texts = [p.text for p in docx_reader.read("a.docx", docx_bytes(doc)).paragraphs()]
    assert texts == ["序号\t名称新", "在内容控件中"]


def test_it_keeps_a_hostile_grid_span_within_words_limits():
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "宽"
    data = with_member(
        docx_bytes(doc),
        "word/document.xml",
        lambda xml: xml.replace(b'w:gridSpan w:val="2"', b'w:gridSpan w:val="999999999"'),
    )
    (table,) = docx_reader.read("a.docx", data).tables()
    assert len(table.rows[0].cells) == docx_reader.MAX_COLUMNS
    assert [c.merge for c in table.rows[0].cells[:2]] == ["", "left"]


# --- Excel -----------------------------------------------------------------------------------


def duties_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "职责"
    sheet.append(["湘阴县科技局部门职责登记表"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(list(HEADER))
    sheet.append([1, DUTY_1, "制定全县科技政策性文件", "办公室", 2115518])
    sheet.append([None, None, "组织实施科技法律", "运行一科\n运行二科", 2269700.0])
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:B5")
    sheet.append(list(HEADER))
    sheet.append([2, DUTY_2, "负责科技计划管理信息系统的建设", None, "=E4+1"])
    sheet.append([None, None, None, None, 3.5])
    sheet.merge_cells("C7:D8")
    sheet.append(
        [datetime.date(2021, 1, 1), datetime.datetime(2021, 1, 1, 8, 30), True, "第一行_x000D_\n第二行"]
    )
    sheet["G9"].font = Font(bold=True)  # formatted but empty: not a column of the table
    sheet["A20"] = "   "
    services = book.create_sheet("服务")
    services.append(["序号", "服务事项", "主要内容", "承办机构", "联系电话"])
    services.append(
        [1, "提供科技咨询服务", "提供有关知识产权保护的法律、法规和相关政策的咨询服务。", "办公室", "2115518"]
    )
    book.create_sheet("空白")
    data = xlsx_bytes(book)
    # openpyxl writes a formula without its result; give it one, as Excel does when it saves
    return with_member(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<f>E4+1</f><v></v>", b"<f>E4+1</f><v>2115519</v>"),
    )


def test_it_reads_every_sheet_with_title_rows_merges_and_values_as_shown():
    name = "湘阴县科技局.xlsx"
    duties, services = "职责", "服务"
    expected = RawDocument(
        name,
        merges_marked=True,
        blocks=[
            Table(
                [
                    excel_row(name, duties, 1, "湘阴县科技局部门职责登记表", LEFT, LEFT, LEFT, LEFT),
                    excel_row(name, duties, 3, *HEADER),
                    excel_row(name, duties, 4, "1", DUTY_1, "制定全县科技政策性文件", "办公室", "2115518"),
                    excel_row(name, duties, 5, UP, UP, "组织实施科技法律", "运行一科\n运行二科", "2269700"),
                    excel_row(name, duties, 6, *HEADER),
                    excel_row(
                        name, duties, 7, "2", DUTY_2, "负责科技计划管理信息系统的建设", LEFT, "2115519"
                    ),
                    excel_row(name, duties, 8, "", "", UP, LEFT, "3.5"),
                    excel_row(
                        name, duties, 9, "2021-01-01", "2021-01-01T08:30:00", "TRUE", "第一行\n第二行", ""
                    ),
                ],
                SourcePos(name, sheet=duties),
            ),
            Table(
                [
                    excel_row(name, services, 1, "序号", "服务事项", "主要内容", "承办机构", "联系电话"),
                    excel_row(
                        name,
                        services,
                        2,
                        "1",
                        "提供科技咨询服务",
                        "提供有关知识产权保护的法律、法规和相关政策的咨询服务。",
                        "办公室",
                        "2115518",
                    ),
                ],
                SourcePos(name, sheet=services),
            ),
        ],
    )
    assert xlsx_reader.read(name, duties_xlsx()) == expected


def test_it_reads_past_a_stray_cell_far_away_without_laying_out_the_gap():
    book = Workbook()
    book.active["A1"] = "序号"
    book.active["XFD1048576"] = "x"
    (table,) = xlsx_reader.read("a.xlsx", xlsx_bytes(book)).tables()
    assert [row.pos.row for row in table.rows] == [1, 1048576]
    assert table.rows[1].cells[-1].text == "x" and table.rows[1].cells[-1].pos.col == 16384


# --- broken and hostile files ------------------------------------------------------------------


def refuse(name: str, data: bytes) -> str:
    with pytest.raises(IngestError) as caught:
        read_bytes(name, data)
    message = str(caught.value)
    assert f"「{name}」" in message
    return message


def test_it_refuses_a_truncated_word_file():
    data = duties_docx()
    assert "损坏或被截断" in refuse("清单.docx", data[: len(data) // 2])


def test_it_refuses_a_truncated_excel_file():
    data = duties_xlsx()
    assert "损坏或被截断" in refuse("清单.xlsx", data[: len(data) // 2])


def test_it_refuses_random_bytes_named_docx():
    with pytest.raises(IngestError) as caught:
        docx_reader.read("清单.docx", random.Random(7).randbytes(4000))
    assert "「清单.docx」" in str(caught.value) and "不是有效的 Word 文件" in str(caught.value)


def test_it_refuses_a_zip_bomb_disguised_as_docx():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        chunk = bytes(1 << 20)
        for _ in range(300):
            member.write(chunk)
    assert len(buffer.getvalue()) < 1_000_000
    assert "压缩炸弹" in refuse("清单.docx", buffer.getvalue())


def test_it_refuses_a_zip_that_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/readme.txt", "不是 Word")
    assert "无法读取 Word 文件" in refuse("清单.docx", buffer.getvalue())


def test_it_refuses_a_workbook_named_docx():
    with pytest.raises(IngestError) as caught:
        docx_reader.read("清单.docx", duties_xlsx())
    assert "「清单.docx」" in str(caught.value) and "不是 Word 文档" in str(caught.value)


def test_it_refuses_a_word_file_with_broken_xml():
    data = with_member(duties_docx(), "word/document.xml", lambda xml: xml[: len(xml) // 2])
    assert "文件内容已损坏" in refuse("清单.docx", data)


def test_it_refuses_an_excel_file_with_broken_xml():
    data = with_member(duties_xlsx(), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    assert "文件内容已损坏" in refuse("清单.xlsx", data)


def test_it_refuses_a_merged_range_over_a_whole_sheet():
    book = Workbook()
    book.active["A1"] = "序号"
    book.active.merge_cells("A1:B2")
    data = with_member(
        xlsx_bytes(book), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"A1:B2", b"A1:XFD1048576")
    )
    assert "合并单元格" in refuse("清单.xlsx", data)
