"""权力清单 exports from provincial platforms: varying field names, HTML entities, wrappers."""

from __future__ import annotations

import json

from qingdan.ingest import load_bytes

ITEMS = [
    {
        "事项编码": "330110001000",
        "职权名称": "技术合同认定登记",
        "职权类型": "行政确认",
        "设定依据": "《技术合同认定登记管理办法》第三条&nbsp;",
        "行驶主体": "青山县科学技术局",
        "承办机构": "成果转化股",
        "责任事项": "1.受理责任&lt;br&gt;2.审查责任",
        "追责情形": "&ldquo;不予受理&rdquo;未说明理由的",
        "监督电话": "0731-5201234、0731-5201235",
    },
    {
        "事项编码": "330110002000",
        "职权名称": "科技计划项目检查",
        "职权类型": "行政检查",
        "行驶主体": "青山县科学技术局",
    },
]


def test_it_reads_a_wrapped_platform_json_with_misspelled_fields():
    data = json.dumps({"code": 200, "data": {"total": 2, "list": ITEMS}}, ensure_ascii=False).encode()
    record = load_bytes("权力清单.json", data).record
    assert (record.department, record.jurisdiction) == ("青山县科学技术局", "青山县")
    first = record.powers[0]
    assert (first.code, first.name, first.type, first.subject) == (
        "330110001000",
        "技术合同认定登记",
        "行政确认",
        "青山县科学技术局",
    )
    assert first.phones == ["0731-5201234", "0731-5201235"]
    assert first.duties == "1.受理责任\n2.审查责任"
    assert first.accountability == "“不予受理”未说明理由的"
    assert first.basis == "《技术合同认定登记管理办法》第三条"


def test_it_reads_jsonl_and_csv_the_same_way():
    jsonl = "\n".join(json.dumps(i, ensure_ascii=False) for i in ITEMS).encode()
    from_jsonl = load_bytes("权力清单.jsonl", jsonl).record
    header = list(ITEMS[0])
    rows = [",".join(header)] + [",".join(f'"{i.get(k, "")}"' for k in header) for i in ITEMS]
    from_csv = load_bytes("权力清单.csv", "\n".join(rows).encode("gb18030")).record
    assert from_jsonl.to_json() == from_csv.to_json()
    assert [p.name for p in from_csv.powers] == ["技术合同认定登记", "科技计划项目检查"]
