"""The 登记表 exports: official layouts with the right headers and merges, read back by our own
readers, and imported again into the same list."""

from __future__ import annotations

import pytest

from qingdan.catalog.exports.docx import write_docx
from qingdan.catalog.exports.xlsx import write_xlsx
from qingdan.ingest import load_bytes
from qingdan.ingest.layouts import (
    BOUNDARIES,
    DUTIES,
    OPTIONAL_POWER_FIELDS,
    POWERS,
    SERVICES,
    SUPERVISION,
    UNITS,
)
from qingdan.ingest.raw import RawDocument, Table
from qingdan.ingest.readers import docx as docx_reader
from qingdan.ingest.readers import xlsx as xlsx_reader
from qingdan.ingest.records import (
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    PowerRecord,
    RegimeRecord,
    ServiceRecord,
    ShareRecord,
    TaskRecord,
    UnitRecord,
)

DEPARTMENT = "湘阴县科技局"
DUTY_1 = (
    "贯彻执行国家、省、市科技、知识产权和防震减灾工作的法律法规、方针、政策；拟订相关政策措施，并监督实施"
)
DUTY_2 = "组织拟订全县科技工作的中长期规划和年度计划；指导和监督重大经济活动的知识产权审议"
DUTY_3 = "负责国家级、省级、市级各类科技计划项目的申报、推荐和管理工作"
SECRECY = "科学技术保密管理工作"
SECTIONS = [UNITS, DUTIES, BOUNDARIES, SERVICES, SUPERVISION, POWERS]


def xiangyin() -> ListRecord:
    """Seed 002 in brief: three duties, a unit with two phones, a matter shared by two departments."""
    return ListRecord(
        department=DEPARTMENT,
        jurisdiction="湘阴县",
        units=[
            UnitRecord("办公室", phones=["2115518"]),
            UnitRecord("知识产权办公室", phones=["2269700"]),
            UnitRecord("高新产业化股", phones=["2269700", "2269701"]),
            UnitRecord("地震办公室", kind="事业单位", phones=["2115558"]),
        ],
        duties=[
            DutyRecord(
                "1",
                DUTY_1,
                [
                    TaskRecord("制定全县科技政策性文件", ["办公室"]),
                    TaskRecord("组织实施科技法律、法规和规章", ["办公室"]),
                    TaskRecord(
                        "贯彻执行国家、省有关防震减灾工作的法律法规、政策",
                        ["地震办公室"],
                        note="事业单位履行",
                    ),
                ],
            ),
            DutyRecord(
                "2",
                DUTY_2,
                [
                    TaskRecord("参与对经济社会发展有重大影响的综合性项目的论证与决策", ["知识产权办公室"]),
                    TaskRecord("指导和监督重大经济活动的知识产权审议", ["知识产权办公室", "办公室"]),
                ],
            ),
            DutyRecord("3", DUTY_3, [TaskRecord("负责科技管理专家库的建设和管理", ["高新产业化股"])]),
        ],
        boundaries=[
            BoundaryRecord(
                SECRECY,
                [
                    ShareRecord(
                        "县科技局",
                        "指导全县国家科学技术秘密事项的报批和监管工作",
                        "《科学技术保密规定》",
                        "某涉密科研项目发生泄密事件时，县保密局负责上报、查处工作，县科技局协助",
                    ),
                    ShareRecord(
                        "县保密局", "对全县科学技术保密工作负有指导、协调、监督和检查的职责", "《保密法》"
                    ),
                ],
            )
        ],
        services=[
            ServiceRecord(
                "接受举报投诉，开展维权援助工作",
                "接受社会公众对知识产权违法行为的举报和投诉，并移交相关行政主管部门查办。",
                ["知识产权办公室", "办公室"],
                ["2269700", "2115518"],
            )
        ],
        supervision=[
            RegimeRecord(
                "对属地管理的行政执法职权的监督检查",
                objects="用财政资金支持的县级科技项目计划的承担单位和项目负责人",
                content="经费管理使用情况\n实施进展情况",
                methods="委派第三方中介评估机构检查",
                measures="构建常态化监督检查机制",
                procedure="抽查检查\n中期检查",
                handling="要求项目承担单位和负责人及时整改",
            )
        ],
        powers=[
            PowerRecord(
                "技术合同认定登记",
                code="0700-B-00100-430624",
                type="行政确认",
                basis="《技术合同认定登记管理办法》第三条",
                subject=DEPARTMENT,
                units=["高新产业化股"],
                duties="受理责任、审查责任、决定责任",
                accountability="不依法履行职责的",
                phones=["2269700"],
            )
        ],
    )


def read_back(fmt: str) -> RawDocument:
    record = xiangyin()
    if fmt == "xlsx":
        return xlsx_reader.read("清单.xlsx", write_xlsx(record))
    return docx_reader.read("清单.docx", write_docx(record))


def header_index(fmt: str) -> int:
    return 1 if fmt == "xlsx" else 0  # a sheet starts with its title row


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_writes_one_table_per_section_under_the_official_header(fmt):
    tables = read_back(fmt).tables()
    # a list whose powers carry no 受委托单位, platform id or extra columns gets no such columns
    plain_powers = [c.label for c in POWERS.columns if c.field not in OPTIONAL_POWER_FIELDS]
    expected = [layout.labels() for layout in SECTIONS[:-1]] + [plain_powers]
    assert [t.rows[header_index(fmt)].texts() for t in tables] == expected


def test_it_names_each_sheet_and_titles_it_across_the_columns():
    tables = read_back("xlsx").tables()
    assert [t.pos.sheet for t in tables] == [layout.title for layout in SECTIONS]
    title = tables[1].rows[0]
    assert title.texts() == [f"{DEPARTMENT}责任清单——部门职责登记表", "", "", "", "", ""]
    assert [c.merge for c in title.cells] == ["", "left", "left", "left", "left", "left"]


def test_it_titles_the_word_document_and_heads_each_section():
    doc = read_back("docx")
    assert [p.text for p in doc.paragraphs()] == [f"{DEPARTMENT}责任清单"] + [
        layout.title for layout in SECTIONS
    ]


def body(table: Table, fmt: str) -> list[list[tuple[str, str]]]:
    return [[(c.text, c.merge) for c in row.cells] for row in table.rows[header_index(fmt) + 1 :]]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_merges_a_duty_over_its_tasks_and_lists_units_with_their_phones(fmt):
    rows = body(read_back(fmt).tables()[1], fmt)
    up = ("", "up")
    assert [r[:2] for r in rows] == [
        [("1", ""), (DUTY_1, "")],
        [up, up],
        [up, up],
        [("2", ""), (DUTY_2, "")],
        [up, up],
        [("3", ""), (DUTY_3, "")],
    ]
    assert [text for text, _ in rows[2][2:]] == [
        "贯彻执行国家、省有关防震减灾工作的法律法规、政策",
        "地震办公室",
        "2115558",
        "事业单位履行",
    ]
    assert [text for text, _ in rows[4][3:5]] == ["知识产权办公室\n办公室", "2269700\n2115518"]
    assert [text for text, _ in rows[5][3:5]] == ["高新产业化股", "2269700\n2269701"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_merges_a_boundary_matter_but_not_its_basis_or_case(fmt):
    rows = body(read_back(fmt).tables()[2], fmt)
    assert rows[0][:3] == [("1", ""), (SECRECY, ""), ("县科技局", "")]
    assert rows[1][:3] == [("", "up"), ("", "up"), ("县保密局", "")]
    assert [text for text, _ in rows[1][3:]] == [
        "对全县科学技术保密工作负有指导、协调、监督和检查的职责",
        "《保密法》",
        "",
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_writes_units_services_regimes_and_powers_row_by_row(fmt):
    units, _, _, services, regimes, powers = (body(t, fmt) for t in read_back(fmt).tables())
    assert [[text for text, _ in row] for row in units][2:] == [
        ["3", "高新产业化股", "内设机构", "2269700\n2269701"],
        ["4", "地震办公室", "事业单位", "2115558"],
    ]
    assert [text for text, _ in services[0][3:]] == ["知识产权办公室\n办公室", "2269700\n2115518"]
    assert [text for text, _ in regimes[0]][6:] == ["抽查检查\n中期检查", "要求项目承担单位和负责人及时整改"]
    assert [text for text, _ in powers[0]][:3] == ["0700-B-00100-430624", "技术合同认定登记", "行政确认"]
    assert [text for text, _ in powers[0]][6:] == [
        "高新产业化股",
        "受理责任、审查责任、决定责任",
        "不依法履行职责的",
        "2269700",
    ]


def test_it_writes_an_empty_row_for_a_duty_without_tasks():
    record = xiangyin()
    record.duties.append(DutyRecord("4", "负责全县防震减灾科研攻关"))
    for name, data in (("a.xlsx", write_xlsx(record)), ("a.docx", write_docx(record))):
        reader = xlsx_reader if name.endswith("xlsx") else docx_reader
        last = reader.read(name, data).tables()[1].rows[-1]
        assert last.texts() == ["4", "负责全县防震减灾科研攻关", "", "", "", ""]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_it_imports_an_export_back_into_the_same_list(fmt):
    record = xiangyin()
    # a blank 案例 under a filled one stays blank: Word and Excel mark their merges, so a blank
    # cell there is not inherited (only the text export's blank cells are)
    assert record.boundaries[0].shares[0].case and not record.boundaries[0].shares[1].case
    data = write_xlsx(record) if fmt == "xlsx" else write_docx(record)
    assert load_bytes(f"{DEPARTMENT}.{fmt}", data).record.to_json() == record.to_json()
