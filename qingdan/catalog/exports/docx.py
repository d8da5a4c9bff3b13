"""The official 登记表 as a Word document: A4 landscape in 宋体, a title, and per section a heading
and a bordered table whose header row repeats on every page; 序号 and 主要职责 (or 管理事项) are
merged vertically over their rows.

Rows are built as XML: python-docx's cell access is quadratic in the number of rows.
"""

from __future__ import annotations

import datetime
import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml.etree import _Element

from qingdan.catalog.exports import Section, merge_runs, sections, title_of
from qingdan.ingest.records import ListRecord

FONT = "宋体"
MARGIN = Cm(1.8)
PAGE_WIDTH, PAGE_HEIGHT = Cm(29.7), Cm(21.0)
TWIPS_PER_CM = 567

# Relative column widths; a column not named here gets 3.
_WEIGHTS = {"序号": 1.2, "机构类别": 2.0, "联系电话": 2.4, "联系方式": 2.4, "监督电话": 2.4, "备注": 2.4}
_WEIGHTS |= dict.fromkeys(("主要职责", "具体工作事项", "职责分工", "相关依据", "案例", "主要内容"), 6.0)
_WEIGHTS |= dict.fromkeys(("设定依据", "责任事项", "追责情形", "监督检查内容", "监督检查程序"), 5.0)

# Characters XML 1.0 cannot hold; a vertical tab is Word's line break pasted as text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_docx(record: ListRecord) -> bytes:
    """The list as the official 登记表 in a .docx file."""
    doc = Document()
    _set_up(doc, record)
    _heading(doc, title_of(record), size=18, level=0)
    for section in sections(record):
        _heading(doc, section.layout.title, size=14, level=1)
        doc.element.body.insert_element_before(_table(section), "w:sectPr")
    # Word always ends a document with a paragraph; without one LibreOffice's .doc export drops
    # the last table
    doc.add_paragraph()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_up(doc: DocxDocument, record: ListRecord) -> None:
    """A4 landscape, 宋体 everywhere, no spacing between paragraphs."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    _set_fonts(doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    _set_fonts(normal.element.get_or_add_rPr())
    _describe(doc, record)


def _describe(doc: DocxDocument, record: ListRecord) -> None:
    """File properties: the list's title and department, not python-docx's template defaults."""
    props = doc.core_properties
    props.title, props.author = title_of(record), record.department
    props.last_modified_by = props.comments = ""
    props.created = props.modified = datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _set_fonts(rpr: _Element | None) -> None:
    """宋体 for every script, Chinese line breaking; a theme font would win over 宋体, so drop it."""
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.lower().endswith("theme"):
            del fonts.attrib[key]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    language = rpr.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:eastAsia"), "zh-CN")


def _heading(doc: DocxDocument, text: str, size: int, level: int) -> None:
    """A bold heading with an outline level, so Word's navigation pane lists the sections."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 0 else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_before = Pt(12 if level else 0)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(size)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    paragraph._p.get_or_add_pPr().append(outline)


def _table(section: Section) -> _Element:
    """A w:tbl: grid, header row, then the rows with their vertical merges."""
    labels, rows = section.layout.labels(), section.rows
    widths = column_widths(labels)
    tbl = OxmlElement("w:tbl")
    tbl.append(_table_properties(sum(widths)))
    grid = OxmlElement("w:tblGrid")
    for width in widths:
        grid.append(_element("w:gridCol", w=str(width)))
    tbl.append(grid)
    tbl.append(_row(labels, widths, {}, header=True))
    merges = vertical_merges(section)
    for r, values in enumerate(rows):
        tbl.append(_row(values, widths, merges.get(r, {})))
    return tbl


def column_widths(labels: list[str]) -> list[int]:
    """Widths in twips that share the page width by each column's weight."""
    usable = (PAGE_WIDTH - 2 * MARGIN) / Cm(1) * TWIPS_PER_CM
    weights = [_WEIGHTS.get(label, 3.0) for label in labels]
    return [int(usable * w / sum(weights)) for w in weights]


def vertical_merges(section: Section) -> dict[int, dict[int, str]]:
    """row → column → "restart" or "continue", for the cells merged over a duty's or matter's rows."""
    marks: dict[int, dict[int, str]] = {}
    for (first, last), col in merge_runs(section):
        marks.setdefault(first, {})[col] = "restart"
        for r in range(first + 1, last + 1):
            marks.setdefault(r, {})[col] = "continue"
    return marks


def _table_properties(width: int) -> _Element:
    props = OxmlElement("w:tblPr")
    props.append(_element("w:tblStyle", val="TableGrid"))
    props.append(_element("w:tblW", w=str(width), type="dxa"))
    props.append(_element("w:jc", val="center"))
    props.append(_element("w:tblLayout", type="fixed"))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", w="85", type="dxa"))
    props.append(margins)
    return props


def _row(values: list[str], widths: list[int], merges: dict[int, str], header: bool = False) -> _Element:
    tr = OxmlElement("w:tr")
    if header:
        props = OxmlElement("w:trPr")
        props.append(_element("w:cantSplit"))
        props.append(_element("w:tblHeader"))  # repeat on every page
        tr.append(props)
    for c, (value, width) in enumerate(zip(values, widths, strict=True)):
        merge = merges.get(c)
        tr.append(
            _cell("" if merge == "continue" else value, width, merge, bold=header, center=header or c == 0)
        )
    return tr


def _cell(text: str, width: int, merge: str | None, bold: bool, center: bool) -> _Element:
    tc = OxmlElement("w:tc")
    props = OxmlElement("w:tcPr")
    props.append(_element("w:tcW", w=str(width), type="dxa"))
    if merge:
        props.append(_element("w:vMerge", val=merge))
    props.append(_element("w:vAlign", val="center"))
    tc.append(props)
    for line in _NOT_XML.sub(_replace_control, text).split("\n"):
        tc.append(_paragraph(line, bold, center))
    return tc


def _paragraph(text: str, bold: bool, center: bool) -> _Element:
    p = OxmlElement("w:p")
    if center:
        props = OxmlElement("w:pPr")
        props.append(_element("w:jc", val="center"))
        p.append(props)
    if text:
        run = OxmlElement("w:r")
        if bold:
            run_props = OxmlElement("w:rPr")
            run_props.append(_element("w:b"))
            run.append(run_props)
        t = _element("w:t", **{"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        t.text = text
        run.append(t)
        p.append(run)
    return p


def _replace_control(match: re.Match[str]) -> str:
    return "\n" if match.group() in "\x0b\x0c" else ""


def _element(tag: str, **attributes: str) -> _Element:
    """A w: element with w: attributes (a key already in {namespace} form is kept)."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(key if key.startswith("{") else qn(f"w:{key}"), value)
    return element
