"""The shipped default Word templates of the 执法文书, built in code with python-docx.

Each form is laid out like the printed ones offices use: the department on top, the title, the
案号 line, the body (tables for the 审批表 and the 送达回证, one row per approval), the seal and
date, the signatures. The placeholders are docxtpl (Jinja) syntax over the names ``context``
in ``qingdan.cases.documents`` provides, so an administrator can export a default, edit it in Word
and upload it again. Nothing binary is committed: the bytes are built on first use and cached.

Each placeholder sits inside one run, because Word splits a run wherever the formatting changes
and docxtpl only sees a tag that is whole.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def signed(slot: str) -> str:
    """An approval cell: the opinion, then who and when (one row of a 审批表)."""
    return "{{ " + slot + ".opinion }}\n签名：{{ " + slot + ".name }}　　　　日期：{{ " + slot + ".date }}"


class Form:
    """One A4 form being written: paragraphs and tables in the office's fonts."""

    def __init__(
        self, title: str, number_line: str = "案号：{{ case.number }}", number_align: str = "right"
    ) -> None:
        self.doc: DocxDocument = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        style = self.doc.styles["Normal"]
        style.font.name = BODY_FONT
        style.font.size = Pt(14)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
        self.text("{{ department.name }}", align="center", size=16, bold=True, indent=False)
        self.text(title, align="center", size=22, bold=True, indent=False, font=TITLE_FONT)
        if number_line:
            self.text(number_line, align=number_align, indent=False)

    def text(
        self,
        text: str,
        *,
        align: str = "",
        size: float = 0,
        bold: bool = False,
        indent: bool = True,
        font: str = "",
    ) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(4)
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(28)
        if align:
            paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[
                align
            ]
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if font:
            run.font.name = font
            run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    def tag(self, tag: str) -> None:
        """A docxtpl paragraph tag ({%p … %}): the paragraph holding it disappears when rendered."""
        self.doc.add_paragraph("{%p " + tag + " %}")

    def table(self, rows: list[list[str]], widths: tuple[float, ...] = (4.6, 11.0)) -> Table:
        """A bordered table; a row given as one cell spans the whole width."""
        columns = len(widths)
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cells in rows:
            row = table.add_row().cells
            if len(cells) == 1 and columns > 1:
                row[0].merge(row[-1])
            for cell, value in zip(row, cells, strict=False):
                cell.text = value
        _widths(table, widths)
        return table

    def approval_rows(self, rows: list[tuple[str, str]]) -> list[list[str]]:
        """One row per approval: the label, then the opinion and the signature line."""
        return [[label, signed(slot)] for label, slot in rows]

    def seal(self, date: str) -> None:
        self.text("{{ department.name }}（印章）", align="right", indent=False)
        self.text(date, align="right", indent=False)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return _stable_zip(out.getvalue())


def _widths(table: Table, widths: tuple[float, ...]) -> None:
    """Column widths Word and LibreOffice both keep: the grid's and every cell's."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _stable_zip(data: bytes) -> bytes:
    """The same bytes on every run (python-docx stamps each zip entry with the current time), so
    the default's SHA-256 recorded with a document names one template."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


PARTY_ROWS = [
    ["当事人", "{{ party.name }}（{{ party.kind_label }}）"],
    ["法定代表人（负责人）", "{{ party.representative }}"],
    ["证件号码", "{{ party.id_number }}"],
    ["地址", "{{ party.address }}"],
    ["联系电话", "{{ party.phone }}"],
]

ADDRESS = "{{ party.name }}："
FACTS = "经查，{{ case.facts }}"
BASIS = (
    "你（单位）的上述行为{% if case.violated_basis %}违反了{{ case.violated_basis }}的规定。{% endif %}"
    "依据{{ case.basis }}的规定，"
)


def inspection_record() -> Form:
    form = Form("现场检查笔录")
    form.table(
        [
            ["检查时间", "{{ inspection.date }}"],
            ["检查地点", "{{ inspection.place }}"],
            ["被检查人", "{{ party.name }}"],
            *PARTY_ROWS[1:],
            ["检查人员及执法证号", "{{ officers.inspectors_text }}"],
            ["记录人", "{{ inspection.recorder }}"],
        ]
    )
    form.text(
        "我们是{{ department.name }}的执法人员，已向你出示执法证件。依法对你（单位）进行检查，"
        "请予配合。你有权申请执法人员回避。"
    )
    form.text("检查情况：", indent=False, bold=True)
    form.text("{{ inspection.content }}")
    form.text("被检查人签名：　　　　　　　　日期：", indent=False)
    form.text("检查人员签名：　　　　　　　　日期：", indent=False)
    return form


def correction_order() -> Form:
    form = Form("责令改正违法行为通知书")
    form.text(ADDRESS, indent=False)
    form.text(FACTS)
    form.text(BASIS + "现责令你（单位）于{{ correction.due }}前改正上述违法行为。")
    form.text("改正要求：{{ correction.content }}")
    form.text("逾期不改正的，本机关将依法处理。")
    form.text("执法人员：{{ officers.inspectors_text }}", indent=False)
    form.seal("{{ correction.date }}")
    form.text("当事人签收：　　　　　　　　日期：", indent=False)
    return form


def filing_form() -> Form:
    form = Form("立案审批表")
    form.table(
        [
            ["案件来源", "{{ case.source }}　{{ case.source_detail }}"],
            ["案由", "{{ case.title }}"],
            *PARTY_ROWS,
            ["案发日期", "{{ case.occurred_on }}"],
            ["案件基本情况", "{{ case.facts }}"],
            ["检查人员", "{{ officers.inspectors_text }}"],
            ["承办人员", "{{ officers.handlers_text }}"],
            *form.approval_rows(
                [
                    ("承办人员意见", "filing.submitted"),
                    ("执法科室负责人意见", "filing.unit_head"),
                    ("主管局长意见", "filing.deputy"),
                    ("主要负责人意见", "filing.head"),
                ]
            ),
            ["备注", "{{ filing.note }}"],
        ]
    )
    return form


def _notice_rights(form: Form) -> None:
    form.text(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩，"
        "可自收到本告知书之日起{{ rights.statement_period }}内向本机关提出陈述、申辩意见；"
        "逾期未提出的，视为放弃此权利。"
    )
    form.tag("if case.hearing_available")
    form.text(
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证，"
        "可自收到本告知书之日起{{ rights.hearing_request_period }}内向本机关提出；逾期未提出的，视为放弃此权利。"
    )
    form.tag("endif")


def penalty_notice() -> Form:
    form = Form("行政处罚事先告知书")
    form.text(ADDRESS, indent=False)
    form.text(FACTS)
    form.text(BASIS + "本机关拟对你（单位）作出如下行政处罚：{{ case.proposed_penalty }}。")
    _notice_rights(form)
    form.text("联系人：{{ officers.handlers_text }}", indent=False)
    form.seal("{{ notice.date }}")
    form.text("当事人签收：　　　　　　　　日期：", indent=False)
    return form


def hearing_notice() -> Form:
    form = Form("听证告知书")
    form.text(ADDRESS, indent=False)
    form.text(
        "本机关拟对你（单位）{{ case.title }}一案作出如下行政处罚：{{ case.proposed_penalty }}。"
        "本案属于{{ case.hearing_triggers }}的情形。"
    )
    form.text(
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
        "要求听证的，应当自收到本告知书之日起{{ rights.hearing_request_period }}内向本机关提出；"
        "逾期未提出的，视为放弃听证权利。本机关将在举行听证的七日前通知你（单位）听证的时间、地点。"
    )
    form.text("联系人：{{ officers.handlers_text }}", indent=False)
    form.seal("{{ notice.date }}")
    form.text("当事人签收：　　　　　　　　日期：", indent=False)
    return form


def hearing_record() -> Form:
    form = Form("听证笔录")
    form.table(
        [
            ["案由", "{{ case.title }}"],
            ["听证时间", "{{ hearing.held_on }}"],
            ["听证地点", "{{ hearing.place }}"],
            ["听证方式", "{{ hearing.public_label }}"],
            ["主持人", "{{ hearing.presider }}"],
            ["当事人", "{{ party.name }}"],
            ["参加人", "{{ hearing.attendees_text }}"],
            ["案件承办人员", "{{ officers.handlers_text }}"],
            ["申请日期", "{{ hearing.requested_on }}"],
            ["通知日期", "{{ hearing.notified_on }}"],
        ]
    )
    form.text("听证记录：", indent=False, bold=True)
    form.text("{{ hearing.record }}")
    form.text("当事人（代理人）签名：　　　　　　日期：", indent=False)
    form.text("主持人签名：　　　　　　记录人签名：　　　　　　日期：{{ hearing.recorded_on }}", indent=False)
    return form


EVIDENCE_WIDTHS = (1.4, 2.6, 4.6, 4.6, 2.4)
REPORT_WIDTHS = (1.0, 3.0, 2.4, 2.6, 3.0, 2.2, 1.4)


def investigation_report() -> Form:
    form = Form("案件调查终结报告")
    form.text("一、当事人基本情况", indent=False, bold=True)
    form.text(
        "{{ party.name }}，{{ party.kind_label }}，证件号码{{ party.id_number }}，"
        "法定代表人（负责人）{{ party.representative }}，地址{{ party.address }}。"
    )
    form.text("二、案件来源及调查经过", indent=False, bold=True)
    form.text(
        "本案来源：{{ case.source }}。本机关于{{ filing.date }}立案，承办人员{{ officers.handlers_text }}依法进行了调查。"
    )
    form.text("三、违法事实及证据", indent=False, bold=True)
    form.text("{{ case.facts }}")
    form.text("以上事实有下列证据证明：", indent=False)
    table = form.table([["序号", "证据种类", "名称", "证明对象", "取证日期"]], widths=EVIDENCE_WIDTHS)
    _evidence_rows(table)
    form.text("四、处罚依据及裁量", indent=False, bold=True)
    form.text(
        "当事人的行为{% if case.violated_basis %}违反了{{ case.violated_basis }}的规定，{% endif %}"
        "依据{{ case.basis }}的规定应予处罚。"
    )
    form.text(
        "适用裁量基准{{ case.standard }}，裁量情节：{{ case.circumstance }}，"
        "建议罚款幅度{{ case.proposed_range }}。{{ case.outside_range_reason }}"
    )
    form.text("五、处理意见", indent=False, bold=True)
    form.text("建议给予当事人如下行政处罚：{{ case.proposed_penalty }}。")
    form.text("承办人员：{{ officers.handlers_text }}", align="right", indent=False)
    form.text("{{ decision_approvals.submitted.date }}", align="right", indent=False)
    return form


def _evidence_rows(table: Table) -> None:
    """The evidence list: one table row per piece, repeated by a docxtpl row loop."""
    for cells in (
        ["{%tr for e in evidence %}"],
        ["{{ e.position }}", "{{ e.kind }}", "{{ e.title }}", "{{ e.description }}", "{{ e.collected_on }}"],
        ["{%tr endfor %}"],
    ):
        row = table.add_row().cells
        for cell, value in zip(row, cells, strict=False):
            cell.text = value
    _widths(table, EVIDENCE_WIDTHS)


def decision_form() -> Form:
    form = Form("行政处罚决定审批表")
    form.table(
        [
            ["案由", "{{ case.title }}"],
            *PARTY_ROWS,
            ["违法事实及证据", "{{ case.facts }}\n证据：{{ evidence_text }}"],
            ["违法依据", "{{ case.violated_basis }}"],
            ["处罚依据", "{{ case.basis }}"],
            [
                "裁量基准及情节",
                "{{ case.standard }}　{{ case.circumstance }}　建议幅度：{{ case.proposed_range }}",
            ],
            ["超出裁量幅度的理由", "{{ case.outside_range_reason }}"],
            ["陈述申辩及听证情况", "{{ statements_text }}"],
            ["拟处罚意见", "{{ case.proposed_penalty }}"],
            *form.approval_rows(
                [
                    ("承办人员意见", "decision_approvals.submitted"),
                    ("执法科室负责人意见", "decision_approvals.unit_head"),
                    ("主管局长意见", "decision_approvals.deputy"),
                    ("法制审核意见", "decision_approvals.legal"),
                    ("集体讨论意见", "decision_approvals.discussion"),
                    ("主要负责人意见", "decision_approvals.head"),
                ]
            ),
        ]
    )
    return form


def discussion_record() -> Form:
    form = Form("案件集体讨论笔录")
    form.table(
        [
            ["案由", "{{ case.title }}"],
            ["讨论时间", "{{ discussion.held_on }}"],
            ["主持人", "{{ discussion.presider }}"],
            ["记录人", "{{ discussion.recorded_by }}"],
            ["参加人员", "{{ discussion.attendees_text }}"],
        ]
    )
    form.text("违法事实：{{ case.facts }}")
    form.text(
        "处罚理由和依据：{% if case.violated_basis %}违反{{ case.violated_basis }}，{% endif %}依据{{ case.basis }}。"
    )
    form.text("法制审核意见：{{ decision_approvals.legal.opinion }}")
    form.text("拟处罚意见：{{ case.proposed_penalty }}")
    form.text("参加讨论人员的主要观点和意见：", indent=False, bold=True)
    form.tag("for a in discussion.attendees")
    form.text("{{ a.label }}：{{ a.view }}")
    form.tag("endfor")
    form.text("结论意见：{{ discussion.conclusion }}", bold=True)
    form.text("参加人员签名：", indent=False)
    return form


def decision() -> Form:
    form = Form("{{ decision_title }}", number_line="{{ case.number }}", number_align="center")
    form.text(
        "当事人：{{ party.name }}　证件号码：{{ party.id_number }}\n法定代表人（负责人）：{{ party.representative }}"
        "　地址：{{ party.address }}",
        indent=False,
    )
    form.text("本机关于{{ filing.date }}对你（单位）{{ case.title }}一案立案调查，现已调查终结。")
    form.text(FACTS)
    form.text("以上事实有下列证据证明：{{ evidence_text }}")
    form.text(
        "本机关于{{ notice.date }}向你（单位）送达了《行政处罚事先告知书》，告知了拟作出行政处罚的事实、理由、"
        "依据及你（单位）依法享有的权利。{{ statements_text }}"
    )
    form.text(BASIS + "本机关决定：{{ case.decision_text }}。")
    form.tag("if case.fine_amount")
    form.text(
        "罚款{{ case.fine_amount }}（{{ case.fine_amount_upper }}），自收到本决定书之日起十五日内缴至指定银行"
        "或者通过电子支付系统缴纳。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，"
        "加处罚款的数额不超出罚款的数额。"
    )
    form.tag("endif")
    form.text(
        "如不服本处罚决定，可以在收到本决定书之日起{{ rights.review_period }}内依法向{{ rights.review_body }}"
        "申请行政复议，也可以在{{ rights.lawsuit_period }}内依法向{{ rights.court }}提起行政诉讼。"
        "行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
        "逾期不申请行政复议、不提起行政诉讼又不履行本决定的，本机关将依法申请人民法院强制执行。"
    )
    form.seal("{{ case.decided_on }}")
    return form


def service_receipt() -> Form:
    form = Form("送达回证")
    form.table(
        [
            ["送达文书名称及文号", "{{ service.document }}　{{ case.number }}"],
            ["受送达人", "{{ party.name }}"],
            ["送达地点", "{{ service.place }}"],
            ["送达方式", "{{ service.method }}"],
            ["送达人", "{{ officers.handlers_text }}"],
            ["受送达人签名或盖章", "\n\n　　　　　　　　　　　　　年　　月　　日"],
            ["送达时间", "{{ service.served_on }}"],
            ["代收人及代收理由", ""],
            ["备注（拒收情况、见证人）", "{{ service.note }}"],
        ],
        widths=(5.0, 10.6),
    )
    form.seal("{{ today }}")
    return form


def closure_report() -> Form:
    form = Form("结案报告")
    form.table(
        [
            ["案由", "{{ case.title }}"],
            ["当事人", "{{ party.name }}"],
            ["立案日期", "{{ filing.date }}"],
            ["处罚决定", "{{ case.number }}　{{ case.decided_on }}\n{{ case.decision_text }}"],
            ["送达情况", "{{ service.method }}　{{ service.served_on }}"],
            ["执行情况", "{{ payments_text }}"],
            ["结案日期", "{{ case.closed_on }}"],
            ["结案报告", "{{ case.closure_report }}"],
            *form.approval_rows(
                [
                    ("承办人员意见", "closure.submitted"),
                    ("执法科室负责人意见", "closure.unit_head"),
                    ("主要负责人意见", "closure.head"),
                ]
            ),
        ]
    )
    return form


def on_the_spot_decision() -> Form:
    form = Form("当场行政处罚决定书", number_line="{{ case.number }}", number_align="center")
    form.table(PARTY_ROWS)
    form.text("违法事实：{{ case.facts }}")
    form.text(BASIS + "当场作出如下行政处罚：{{ case.decision_text }}。")
    form.tag("if case.fine_amount")
    form.text(
        "罚款{{ case.fine_amount }}（{{ case.fine_amount_upper }}）。当场收缴的，执法人员出具专用票据；"
        "未当场收缴的，自收到本决定书之日起十五日内缴至指定银行或者通过电子支付系统缴纳。"
    )
    form.tag("endif")
    form.text(
        "如不服本处罚决定，可以在收到本决定书之日起{{ rights.review_period }}内依法向{{ rights.review_body }}"
        "申请行政复议，也可以在{{ rights.lawsuit_period }}内依法向{{ rights.court }}提起行政诉讼。"
    )
    form.text("执法人员及执法证号：{{ officers.all_text }}", indent=False)
    form.seal("{{ case.decided_on }}")
    form.text("当事人签收：　　　　　　　　日期：", indent=False)
    return form


def major_filing_report() -> Form:
    form = Form("重大行政处罚决定备案报告", number_line="")
    form.text("{{ report.recipient }}：", indent=False)
    form.text(
        "根据重大行政处罚决定备案的规定，现将本机关{{ report.period }}作出的重大行政处罚决定"
        "共{{ report.count }}件报送备案，罚没款合计{{ report.total }}。"
    )
    table = form.table(
        [["序号", "案号", "当事人", "案由", "处罚决定", "决定日期", "集体讨论"]],
        widths=REPORT_WIDTHS,
    )
    for cells in (
        ["{%tr for c in report.cases %}"],
        [
            "{{ c.position }}",
            "{{ c.number }}",
            "{{ c.party }}",
            "{{ c.title }}",
            "{{ c.decision_text }}",
            "{{ c.decided_on }}",
            "{{ c.discussed }}",
        ],
        ["{%tr endfor %}"],
    ):
        row = table.add_row().cells
        for cell, value in zip(row, cells, strict=False):
            cell.text = value
    _widths(table, REPORT_WIDTHS)
    form.seal("{{ today }}")
    return form


BUILDERS: dict[str, Callable[[], Form]] = {
    "inspection_record": inspection_record,
    "correction_order": correction_order,
    "filing_form": filing_form,
    "penalty_notice": penalty_notice,
    "hearing_notice": hearing_notice,
    "hearing_record": hearing_record,
    "investigation_report": investigation_report,
    "decision_form": decision_form,
    "discussion_record": discussion_record,
    "decision": decision,
    "service_receipt": service_receipt,
    "closure_report": closure_report,
    "on_the_spot_decision": on_the_spot_decision,
    "major_filing_report": major_filing_report,
}


@cache
def default_template(kind: str) -> bytes:
    """The shipped template of one kind, as .docx bytes (the same bytes on every run)."""
    return BUILDERS[kind]().bytes()
