"""Naming rules: names in one cell, jurisdictions from department names, departments from headings."""

import pytest

from qingdan.catalog.citations import parse_citations
from qingdan.ingest.units import department_in, jurisdiction_of, split_names, unit_kind


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("运行一科\n运行二科", ["运行一科", "运行二科"]),
        ("县科技局、工商局、文广新局", ["县科技局", "工商局", "文广新局"]),
        ("区发改局（区商务局）", ["区发改局（区商务局）"]),
        ("发改、科工、文化等区直专项资金业务主管部门", ["发改、科工、文化等区直专项资金业务主管部门"]),
        (" 发展科\u3000", ["发展科"]),
        ("办公室、办公室", ["办公室"]),
        ("\u3000", []),
    ],
)
def test_it_splits_a_cell_into_names(cell, names):
    assert split_names(cell) == names


@pytest.mark.parametrize(
    ("department", "jurisdiction"),
    [
        ("湘阴县科技局", "湘阴县"),
        ("石家庄市鹿泉区科学技术和工业信息化局", "石家庄市鹿泉区"),
        ("本溪市科学技术局", "本溪市"),
        ("石家庄高新区科学技术局", "石家庄高新区"),
        ("青山县市场监督管理局", "青山县"),
        ("长沙市城市管理和综合执法局", "长沙市"),
        ("科技局", ""),
    ],
)
def test_it_reads_the_jurisdiction_from_the_department_name(department, jurisdiction):
    assert jurisdiction_of(department) == jurisdiction


@pytest.mark.parametrize(
    ("line", "department"),
    [
        ("部门名称（盖章）石家庄市鹿泉区工业和信息化局", "石家庄市鹿泉区工业和信息化局"),
        ("部门名称：石家庄市鹿泉区工业和信息化局", "石家庄市鹿泉区工业和信息化局"),
        ("湘阴县科技局责任清单", "湘阴县科技局"),
        ("单位：石家庄市鹿泉区工业和信息化局（公章）", "石家庄市鹿泉区工业和信息化局"),
        ("部门职责登记表", ""),
        ("一、对行政许可和非行政许可审批的监督管理", ""),
    ],
)
def test_it_reads_a_department_stated_in_a_heading(line, department):
    assert department_in(line) == department


def test_it_marks_public_institutions():
    assert unit_kind("散装水泥办公室（事业单位）") == ("散装水泥办公室", "事业单位")
    assert unit_kind("办公室") == ("办公室", "内设机构")


def test_it_parses_titles_and_articles():
    assert parse_citations("1.《民用爆炸物品安全管理条例》；2.《生产安全事故报告和调查处理条例》") == [
        ("民用爆炸物品安全管理条例", ""),
        ("生产安全事故报告和调查处理条例", ""),
    ]
    assert parse_citations("《中华人民共和国出境入境管理法》（2012年6月30日主席令第57号）第四十一条") == [
        ("中华人民共和国出境入境管理法", "第四十一条")
    ]
    assert parse_citations("根据有关规定") == []
