"""The text export of Word tables, read into rows without interpretation."""

from qingdan.ingest.raw import Paragraph, Table
from qingdan.ingest.readers.text import parse


def rows(text: str) -> list[list[str]]:
    doc = parse("t.txt", text)
    return [r.texts() for t in doc.tables() for r in t.rows]


def test_it_ends_a_row_at_a_blank_line_only_when_it_is_complete():
    text = "\t序号\n\t内容\n\n\t1\n\t第一段\n\n第二段\n\n\t2\n\t乙\n"
    # the row "1" is complete (2 cells) at the blank line; "第二段" continues its last cell
    assert rows(text) == [["序号", "内容"], ["1", "第一段\n第二段"], ["2", "乙"]]


def test_it_keeps_a_paragraph_break_inside_an_incomplete_row():
    text = "\ta\n\tb\n\tc\n\n\t1\n\t上半\n\n下半\n\t丙\n\n"
    assert rows(text) == [["a", "b", "c"], ["1", "上半\n下半", "丙"]]


def test_it_ends_a_table_at_a_section_title():
    doc = parse("t.txt", "\ta\n\tb\n\n\t1\n\t2\n\n二、与相关部门的职责边界\n\n\tx\n\ty\n\n")
    kinds = [type(b) for b in doc.blocks]
    assert kinds == [Table, Paragraph, Table]
    assert doc.paragraphs()[0].text == "二、与相关部门的职责边界"


def test_it_starts_a_row_when_word_dropped_the_first_tab():
    text = "\ta\n\tb\n\tc\n\n\t1\n\t甲\n \t乙\n\t丙\n\n"
    assert rows(text) == [["a", "b", "c"], ["1", "甲"], ["", "乙", "丙"]]


def test_it_positions_cells_by_line():
    doc = parse("t.txt", "\ta\n\tb\n\n\t1\n\t2\n")
    cell = doc.tables()[0].rows[1].cells[1]
    assert (cell.pos.row, cell.pos.col) == (5, 2)
