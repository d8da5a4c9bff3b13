"""权力清单 exported by provincial platforms as CSV, JSON and JSONL: every encoding a platform
writes, title lines, multi-line cells, HTML left in the text, wrapped JSON, and field names that
differ from platform to platform."""

from __future__ import annotations

import json

import pytest

from qingdan.ingest.layouts import POWERS, match_header
from qingdan.ingest.phones import is_phone, split_phones
from qingdan.ingest.raw import Paragraph, RawDocument, SourcePos, Table
from qingdan.ingest.readers import read_bytes
from qingdan.ingest.readers.tabular import read

PHONES = "0731-2269700、2115518；13907310000 / (0731)2115518"

POWER_CSV = (
    "青山县科学技术局权力清单（2024年版）,,,,\r\n"
    ",,,,\r\n"
    "事项编码,职权名称,职权类型,行驶主体,监督电话\r\n"
    '330110001000,技术合同认定登记,行政确认,青山县科学技术局,"' + PHONES + '"\r\n'
    '330110002000,"科技计划项目\r\n监督检查",行政检查,青山县科学技术局,0731-5201234\r\n'
    "330110003000,&ldquo;专精特新&rdquo;企业认定&amp;nbsp;,其他,青山县科学技术局&#x3001;工信局,\r\n"
)

RECORDS = [
    {
        "事项编码": "330110001000",
        "事项名称": "技术合同认定登记",
        "事项类型": "行政确认",
        "设定依据": "《技术合同认定登记管理办法》第三条&nbsp;",
        "实施主体": "青山县科学技术局",
        "责任事项": "<p>1.受理责任</p><p>2.审查责任</p>",
        "监督电话": ["0731-2269700", "2115518"],
    },
    {
        "事项编码": 330110002000,
        "事项名称": "科技计划项目检查",
        "事项类型": "行政检查",
        "实施主体": "青山县科学技术局",
        "子项": None,
        "办理时限": 20.0,
        "扩展信息": {"来源": "省平台", "版本": 3},
    },
]


def table_of(doc: RawDocument) -> Table:
    tables = doc.tables()
    assert len(tables) == 1
    return tables[0]


def texts(doc: RawDocument) -> list[list[str]]:
    return [row.texts() for row in table_of(doc).rows]


def positions(doc: RawDocument) -> list[tuple[int, int]]:
    return [(c.pos.row, c.pos.col) for row in table_of(doc).rows for c in row.cells]


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_it_reads_a_csv_export_the_same_in_every_encoding(encoding):
    expected = read("权力清单.csv", POWER_CSV.encode("utf-8"))
    doc = read("权力清单.csv", POWER_CSV.encode(encoding))
    assert texts(doc) == texts(expected)
    assert positions(doc) == positions(expected)
    assert texts(doc)[0] == ["事项编码", "职权名称", "职权类型", "行驶主体", "监督电话"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_it_reads_a_json_export_the_same_in_every_encoding(encoding):
    data = json.dumps({"code": 200, "data": {"rows": RECORDS}}, ensure_ascii=False, indent=1)
    expected = read("权力清单.json", data.encode("utf-8"))
    doc = read("权力清单.json", data.encode(encoding))
    assert texts(doc) == texts(expected)
    assert texts(doc)[1][:2] == ["330110001000", "技术合同认定登记"]


# --- CSV -------------------------------------------------------------------------------------


def test_it_keeps_the_title_line_above_the_header_as_a_paragraph():
    doc = read("权力清单.csv", POWER_CSV.encode())
    title = doc.blocks[0]
    assert isinstance(title, Paragraph)
    assert (title.text, title.pos) == (
        "青山县科学技术局权力清单（2024年版）",
        SourcePos("权力清单.csv", row=1),
    )
    assert table_of(doc).rows[0].pos.row == 3  # the header, after the blank line 2


def test_it_keeps_quoted_multi_line_cells_and_numbers_rows_by_their_first_line():
    doc = read("权力清单.csv", POWER_CSV.encode())
    rows = table_of(doc).rows
    assert rows[2].texts()[1] == "科技计划项目\n监督检查"
    assert [row.pos.row for row in rows] == [3, 4, 5, 7]  # the record on lines 5–6 is one row
    assert rows[3].cells[1].pos == SourcePos("权力清单.csv", row=7, col=2)


def test_it_removes_html_entities_even_when_escaped_twice():
    rows = texts(read("权力清单.csv", POWER_CSV.encode()))
    assert rows[3][1:4] == ["“专精特新”企业认定", "其他", "青山县科学技术局、工信局"]


def test_it_turns_html_line_breaks_into_new_lines_and_drops_other_tags():
    csv_text = '事项名称,责任事项\r\n认定,"1.受理&lt;br/&gt;2.审查<br>3.决定<p>4.送达</p>&nbsp;"\r\n'
    assert texts(read("a.csv", csv_text.encode()))[1] == ["认定", "1.受理\n2.审查\n3.决定\n4.送达"]


def test_it_keeps_several_phones_in_one_cell_for_split_phones():
    cell = texts(read("权力清单.csv", POWER_CSV.encode()))[1][4]
    assert cell == PHONES
    assert split_phones(cell) == ["0731-2269700", "2115518", "13907310000", "0731-2115518"]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_it_finds_tab_and_semicolon_delimiters(delimiter):
    lines = [["事项名称", "实施主体", "设定依据"], ["认定", "科技局", "《条例》第三条, 第五条"]]
    data = "\n".join(delimiter.join(line) for line in lines).encode()
    assert texts(read("权力清单.csv", data)) == lines


def test_it_reads_tsv_files_with_commas_in_every_cell():
    data = "事项名称,名称\t实施主体,主体\n认定,登记\t科技局,工信局\n".encode()
    assert texts(read("权力清单.tsv", data)) == [
        ["事项名称,名称", "实施主体,主体"],
        ["认定,登记", "科技局,工信局"],
    ]


def test_it_does_not_split_on_the_full_width_comma():
    data = "事项名称,实施主体\n技术合同认定，登记,科技局\n".encode()
    assert texts(read("权力清单.csv", data))[1] == ["技术合同认定，登记", "科技局"]


# --- JSON and JSONL --------------------------------------------------------------------------


def test_it_reads_json_wrapped_in_a_platform_response():
    data = json.dumps({"code": 200, "msg": "ok", "data": {"total": 2, "rows": RECORDS}}, ensure_ascii=False)
    rows = texts(read("权力清单.json", data.encode()))
    assert rows[0] == [
        "事项编码",
        "事项名称",
        "事项类型",
        "设定依据",
        "实施主体",
        "责任事项",
        "监督电话",
        "子项",
        "办理时限",
        "扩展信息",
    ]
    assert rows[1][3:7] == [
        "《技术合同认定登记管理办法》第三条",
        "青山县科学技术局",
        "1.受理责任\n2.审查责任",
        "0731-2269700\n2115518",
    ]
    assert rows[2][0] == "330110002000"
    assert rows[2][3] == rows[2][5] == rows[2][6] == rows[2][7] == ""
    assert rows[2][8:] == ["20", '{"来源":"省平台","版本":3}']


@pytest.mark.parametrize("wrapper", ["data", "list", "items", "records", "result"])
def test_it_unwraps_the_usual_wrapper_keys(wrapper):
    data = json.dumps({"success": True, wrapper: RECORDS}, ensure_ascii=False).encode()
    assert texts(read("权力清单.json", data))[1][1] == "技术合同认定登记"


def test_it_reads_a_top_level_array_and_numbers_records_and_keys():
    doc = read("权力清单.json", json.dumps(RECORDS, ensure_ascii=False, indent=2).encode())
    second = table_of(doc).rows[2]
    assert second.pos == SourcePos("权力清单.json", row=2)
    assert second.cells[1].pos == SourcePos("权力清单.json", row=2, col=2)


def test_it_reads_jsonl_with_blank_lines_and_numbers_rows_by_line():
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    data = ("\n" + lines[0] + "\n\n" + lines[1] + "\n").encode()
    doc = read("权力清单.jsonl", data)
    assert [row.pos.row for row in table_of(doc).rows[1:]] == [2, 4]
    assert (
        texts(doc)[1:] == texts(read("权力清单.json", json.dumps(RECORDS, ensure_ascii=False).encode()))[1:]
    )


def test_it_reads_json_lines_saved_under_json():
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS).encode()
    assert texts(read("权力清单.json", data))[2][1] == "科技计划项目检查"


# --- platform field names --------------------------------------------------------------------

PLATFORM_HEADERS = [
    # 湖南: the standard names
    (["事项编码", "事项名称", "事项类型", "设定依据", "实施主体", "承办机构", "监督电话"], "实施主体"),
    # a platform that calls every item a service
    (["基本编码", "服务事项", "权力类别", "法律依据", "行使主体", "责任处室", "咨询电话"], "行使主体"),
    # 行使 misspelled 行驶, as in the demo export
    (["职权编码", "职权名称", "职权类型", "实施依据", "行驶主体", "内设机构", "投诉电话"], "行驶主体"),
]


@pytest.mark.parametrize(("header", "subject"), PLATFORM_HEADERS)
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_it_maps_each_platforms_field_names_to_the_power_layout(header, subject, fmt):
    record = dict(
        zip(header, ["1", "认定", "行政确认", "《办法》", "科技局", "成果股", "2269700"], strict=True)
    )
    if fmt == "csv":
        data = (",".join(header) + "\n" + ",".join(record.values()) + "\n").encode("gb18030")
    elif fmt == "json":
        data = json.dumps({"code": 0, "data": {"list": [record]}}, ensure_ascii=False).encode()
    else:
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    doc = read_bytes(f"权力清单.{fmt}", data)
    found = match_header(table_of(doc).rows[0].texts())
    assert found is not None
    layout, columns = found
    assert layout is POWERS
    assert columns == {0: "code", 1: "name", 2: "type", 3: "basis", 4: "subject", 5: "units", 6: "phones"}
    assert table_of(doc).rows[1].texts()[header.index(subject)] == "科技局"


def test_it_cleans_html_out_of_field_names_too():
    data = json.dumps([{"事项<br>名称": "认定", "实施&amp;nbsp;主体": "科技局"}], ensure_ascii=False).encode()
    found = match_header(table_of(read("a.json", data)).rows[0].texts())
    assert found is not None and found[1] == {0: "name", 1: "subject"}


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "phones"),
    [
        (PHONES, ["0731-2269700", "2115518", "13907310000", "0731-2115518"]),
        ("2269700\n2115518", ["2269700", "2115518"]),
        ("2269700,2115518", ["2269700", "2115518"]),
        ("（０７３１）２１１５５１８", ["0731-2115518"]),
        ("０７３１－２２６９７００", ["0731-2269700"]),
        ("0731 2269700", ["0731-2269700"]),
        ("139 0731 0000", ["13907310000"]),
        ("2269700转8001，2269700 转 8001", ["2269700转8001"]),
        ("2269700～2269705", ["2269700~2269705"]),
        ("2269700、、\n\n；2269700", ["2269700"]),
        ("无", []),
        ("", []),
    ],
)
def test_it_splits_and_normalises_the_phones_in_a_cell(cell, phones):
    assert split_phones(cell) == phones


@pytest.mark.parametrize(
    "cell", ["2269700", "0731-2269700、2115518", "2269700转8001", "12345", "400-123-4567"]
)
def test_it_recognises_a_cell_of_phones(cell):
    assert is_phone(cell)


@pytest.mark.parametrize("cell", ["", "散装水泥办公室（事业单位）", "2269700（办公室）", "2019年", "无"])
def test_it_tells_a_remark_from_a_phone(cell):
    assert not is_phone(cell)
