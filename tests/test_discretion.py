"""行政处罚裁量基准: a 工信 table in the form departments publish it (merged cells left blank in the
CSV export, merged ranges in the XLSX, Chinese amounts), errors by row and column, the atomic
re-import by 编号, the links to the 行政处罚 power and the law, propose/outside_range, CLI and API."""

from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from qingdan.cases.amounts import parse_penalty, range_text
from qingdan.cases.discretion import (
    circumstance_code,
    find_standard,
    import_standards,
    import_standards_bytes,
    outside_range,
    propose,
    remove_standard,
)
from qingdan.cases.models import DiscretionLevel, DiscretionStandard, PenaltyCase
from qingdan.catalog.services import import_list
from qingdan.cli import main
from qingdan.core.accounts import create_token, create_user
from qingdan.core.models import AuditEntry, Department
from qingdan.core.permissions import COMMAND_LINE
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from qingdan.ingest.problems import IngestError
from tests.conftest import actor, password_of

pytestmark = pytest.mark.django_db

GONGXIN = "鹿泉区工业和信息化局"
# Modelled on the 裁量基准 tables 工信 offices publish: a title row, 序号 and 编号, the violation and
# its bases merged down over one row per circumstance (blank in the CSV export), amounts written
# in Arabic and in Chinese numerals, 并处 / 可以并处, and a quoted basis cell with its own punctuation.
GONGXIN_CSV = """石家庄市鹿泉区工业和信息化局行政处罚裁量基准,,,,,,,
序号,编号,违法行为,违法依据,处罚依据,裁量阶次,适用情形,处罚幅度
1,LQGX-JN-01,重点用能单位未按照规定报送能源利用状况报告或者报告内容不实的,《中华人民共和国节约能源法》第五十三条,"《中华人民共和国节约能源法》第八十二条：由管理节能工作的部门责令限期改正；逾期不改正的，处一万元以上五万元以下罚款。",不予处罚,在责令改正期限内报送且内容真实的,不予行政处罚
,,,,,从轻处罚,逾期不改正，但在立案后十日内报送且内容真实的,处1万元以上2万元以下罚款
,,,,,一般处罚,逾期不改正，立案后十日内仍未报送的,处2万元以上4万元以下罚款
,,,,,从重处罚,报告内容不实，或者两年内因同类违法行为受过处罚的,处4万元以上5万元以下罚款
2,LQGX-JN-02,重点用能单位无正当理由拒不落实整改要求或者整改没有达到要求的,《中华人民共和国节约能源法》第五十四条,《中华人民共和国节约能源法》第八十三条,从轻处罚,整改完成率达到百分之八十以上的,处十万元以上十五万元以下罚款
,,,,,一般处罚,整改完成率百分之五十以上不满百分之八十的,处十五万元以上二十五万元以下罚款
,,,,,从重处罚,整改完成率不满百分之五十，或者拒不整改的,处二十五万元以上三十万元以下罚款
3,LQGX-WX-01,擅自设置、使用无线电台（站）的,《中华人民共和国无线电管理条例》第二十七条,《中华人民共和国无线电管理条例》第七十条,从轻处罚,设置、使用时间不满30日并主动停止使用的,"责令改正，没收从事违法活动的设备和违法所得，可以并处1万元以下罚款"
,,,,,一般处罚,设置、使用时间30日以上的,"责令改正，没收从事违法活动的设备和违法所得，可以并处1万元以上5万元以下罚款"
,,,,,从重处罚,拒不改正的,"责令改正，没收从事违法活动的设备和违法所得，并处5万元以上20万元以下罚款"
4,LQGX-MB-01,未经许可生产、销售民用爆炸物品的,《民用爆炸物品安全管理条例》第三条,《民用爆炸物品安全管理条例》第四十四条第三款,一般处罚,首次被查处且数量较少的,"责令停止非法生产、销售活动，处10万元以上30万元以下罚款，并没收非法生产、销售的民用爆炸物品及其违法所得"
,,,,,从重处罚,数量较大或者造成危害后果的,"责令停止非法生产、销售活动，处30万元以上50万元以下罚款，并没收非法生产、销售的民用爆炸物品及其违法所得"
"""
POWERS = [
    {
        "事项编码": "130185-CF-001",
        "职权名称": "对重点用能单位未按照规定报送能源利用状况报告或者报告内容不实的行政处罚",
        "职权类型": "行政处罚",
        "行驶主体": GONGXIN,
    },
    {
        "事项编码": "130185-CF-009",
        "职权名称": "对未经许可生产、销售民用爆炸物品的处罚",
        "职权类型": "行政处罚",
        "行驶主体": GONGXIN,
    },
    {"事项编码": "130185-JC-001", "职权名称": "节能监察", "职权类型": "行政检查", "行驶主体": GONGXIN},
]


@pytest.fixture
def gongxin() -> Department:
    """鹿泉区工业和信息化局 with a published power list, its 填报员 and another department's."""
    data = json.dumps({"code": 200, "data": {"list": POWERS}}, ensure_ascii=False).encode()
    import_list(load_bytes("权力清单.json", data).record)
    other = json.dumps(
        {
            "data": {
                "list": [
                    {
                        "事项编码": "1",
                        "职权名称": "节能审查",
                        "职权类型": "行政许可",
                        "行驶主体": "鹿泉区发展和改革局",
                    }
                ]
            }
        },
        ensure_ascii=False,
    ).encode()
    import_list(load_bytes("权力清单.json", other).record)
    department = Department.objects.get(name=GONGXIN)
    create_user(COMMAND_LINE, "gx_filler", "filler", department, password=password_of("gx_filler"))
    create_user(
        COMMAND_LINE,
        "fg_filler",
        "filler",
        Department.objects.get(name="鹿泉区发展和改革局"),
        password=password_of("fg_filler"),
    )
    return department


def load(department: Department, text: str = GONGXIN_CSV, name: str = "裁量基准.csv", who: str = "gx_filler"):
    return import_standards_bytes(actor(who), department, name, text.encode("utf-8"))


def levels_of(code: str) -> dict[str, DiscretionLevel]:
    return {x.circumstance: x for x in DiscretionLevel.objects.filter(standard__code=code)}


# --- amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "other"),
    [
        ("处1万元以上3万元以下罚款", "10000", "30000", ""),
        ("处一万元以上三万元以下的罚款", "10000", "30000", ""),
        ("处二十五万元以上三十万元以下罚款", "250000", "300000", ""),
        ("处5000元罚款", "5000", "5000", ""),
        ("处五千元罚款", "5000", "5000", ""),
        ("处10,000元罚款", "10000", "10000", ""),
        ("处３万元至５万元罚款", "30000", "50000", ""),
        ("处不满1万元罚款", "0", "9999.99", ""),
        ("处1万元以上不满3万元罚款", "10000", "29999.99", ""),
        ("处1万元（含）以上3万元（不含）以下罚款", "10000", "29999.99", ""),
        ("处2千元以下罚款", "0", "2000", ""),
        ("警告，并处2000元以上1万元以下罚款", "2000", "10000", "警告；并处罚款"),
        (
            "责令改正，没收违法所得，可以并处5万元以下罚款",
            "0",
            "50000",
            "责令改正；没收违法所得；可以并处罚款",
        ),
        ("警告", None, None, "警告"),
        ("处违法所得1倍以上3倍以下罚款", None, None, "处违法所得1倍以上3倍以下罚款"),
    ],
)
def test_fine_ranges_are_read_from_chinese_text(text, low, high, other):
    penalty = parse_penalty(text)
    assert penalty.min_amount == (Decimal(low) if low else None)
    assert penalty.max_amount == (Decimal(high) if high else None)
    assert penalty.other == other


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("处罚款", "写了罚款，但没有写明数额"),
        ("处3万元以上1万元以下罚款", "下限大于上限"),
    ],
)
def test_unreadable_fines_are_refused_in_chinese(text, message):
    with pytest.raises(QingdanError, match=message):
        parse_penalty(text)


def test_ranges_are_written_back_as_tables_write_them():
    assert range_text(Decimal(10000), Decimal(30000)) == "1万元以上3万元以下"
    assert range_text(Decimal(0), Decimal(50000)) == "5万元以下"
    assert range_text(Decimal(5000), Decimal(5000)) == "5000元"
    assert range_text(Decimal(15000), None) == "1.5万元以上"
    assert range_text(None, None) == "未规定罚款"


def test_circumstances_in_the_words_tables_use():
    assert circumstance_code("从轻处罚") == circumstance_code("情节轻微") == "lighter"
    assert circumstance_code(" 一般 ") == circumstance_code("ordinary") == "ordinary"
    assert circumstance_code("情节严重") == "heavier" and circumstance_code("免予处罚") == "none"
    with pytest.raises(QingdanError, match="「特别严重」不是裁量阶次"):
        circumstance_code("特别严重")


# --- the import --------------------------------------------------------------------------------


def test_a_gongxin_csv_with_merged_cells_is_read_one_violation_over_several_rows(gongxin):
    result = load(gongxin)
    assert result.summary().startswith("已导入裁量基准.csv：裁量基准 4 项（12 个裁量阶次），新增 4 项")
    assert list(DiscretionStandard.objects.filter(department=gongxin).values_list("code", flat=True)) == [
        "LQGX-JN-01",
        "LQGX-JN-02",
        "LQGX-MB-01",
        "LQGX-WX-01",
    ]
    jn = levels_of("LQGX-JN-01")
    assert list(jn) == ["none", "lighter", "ordinary", "heavier"]
    assert (jn["lighter"].min_amount, jn["lighter"].max_amount) == (Decimal(10000), Decimal(20000))
    assert jn["none"].min_amount is None and jn["none"].other == "不予行政处罚"
    assert jn["ordinary"].condition == "逾期不改正，立案后十日内仍未报送的"
    assert levels_of("LQGX-JN-02")["ordinary"].max_amount == Decimal(250000)  # 二十五万元
    wx = levels_of("LQGX-WX-01")
    assert (wx["lighter"].min_amount, wx["lighter"].max_amount) == (Decimal(0), Decimal(10000))
    assert wx["lighter"].other == "责令改正；没收从事违法活动的设备和违法所得；可以并处罚款"
    assert wx["heavier"].other.endswith("并处罚款")
    standard = DiscretionStandard.objects.get(code="LQGX-JN-01")
    assert standard.violated_basis == "《中华人民共和国节约能源法》第五十三条"
    assert DiscretionStandard.objects.get(code="LQGX-JN-02").violated_basis.endswith("第五十四条")
    assert standard.penalty_basis.startswith("《中华人民共和国节约能源法》第八十二条：")
    assert standard.source_name == "裁量基准.csv" and standard.updated_by_name == "gx_filler"
    entry = AuditEntry.objects.filter(action="discretion_import").get()
    assert entry.after["standards"] == 4 and entry.after["levels"] == 12


def test_the_violation_links_to_the_departments_penalty_power_and_the_law(gongxin):
    result = load(gongxin)
    jn = DiscretionStandard.objects.get(code="LQGX-JN-01")
    assert (jn.power_code, jn.article) == ("130185-CF-001", "第八十二条")  # matched by name
    assert jn.law is None  # 节约能源法 is not in the shipped registry: kept as written
    mb = DiscretionStandard.objects.get(code="LQGX-MB-01")
    assert mb.power_code == "130185-CF-009"
    assert mb.law is not None and mb.law.title == "民用爆炸物品安全管理条例"
    assert mb.article == "第四十四条第三款"
    wx = DiscretionStandard.objects.get(code="LQGX-WX-01")
    assert wx.power_code == "" and wx.power_name == ""  # no such power in the list; no warning
    assert result.file.warnings == []


def xlsx_bytes(rows: list[list[object]], merges: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "裁量基准"
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_with_merged_ranges_and_a_power_code(gongxin):
    rows = [
        ["鹿泉区工业和信息化局行政处罚裁量基准表"],
        ["编号", "事项编码", "违法行为", "处罚依据", "违法情节", "具体标准", "裁量基准"],
        [
            "A1",
            "130185-CF-009",
            "未经许可销售民用爆炸物品的",
            "《民用爆炸物品安全管理条例》第四十四条",
            "情节较轻",
            "销售数量较少",
            "处10万元以上20万元以下罚款",
        ],
        [None, None, None, None, "情节一般", "", "处20万元以上40万元以下罚款"],
        [None, None, None, None, "情节严重", "多次销售", "处40万元以上50万元以下罚款"],
        [
            "A2",
            "130185-CF-404",
            "未按规定建立民用爆炸物品登记制度的",
            "《民用爆炸物品安全管理条例》第四十六条",
            "一般",
            "",
            "警告，并处5万元以上20万元以下罚款",
        ],
    ]
    data = xlsx_bytes(rows, ["A1:G1", "A3:A5", "B3:B5", "C3:C5", "D3:D5"])
    result = import_standards_bytes(actor("gx_filler"), gongxin, "基准.xlsx", data)
    assert result.created == 2 and result.levels == 4
    a1 = find_standard(gongxin, "A1")
    assert a1.power_code == "130185-CF-009" and a1.power_name == "对未经许可生产、销售民用爆炸物品的处罚"
    assert [x.circumstance for x in a1.levels.all()] == ["lighter", "ordinary", "heavier"]
    assert a1.law is not None and a1.article == "第四十四条"
    warning = str(result.file.warnings[0])
    assert "「基准.xlsx」, 第 6 行" in warning and "没有行政处罚事项「130185-CF-404」" in warning
    assert find_standard(gongxin, "A2").power_code == "130185-CF-404"  # kept as written


def test_a_basis_written_again_below_is_kept_once_and_a_different_one_is_named(gongxin):
    text = (
        "编号,违法行为,处罚依据,裁量阶次,处罚幅度\n"
        "一、节能监察,,,,\n"
        "X-1,擅自设置无线电台的,,从轻,处1万元以下罚款\n"
        ",,《无线电管理条例》第七十条,一般,处1万元以上5万元以下罚款\n"
        ",,《无线电管理条例》第七十一条,从重,处5万元以上20万元以下罚款\n"
    )
    result = load(gongxin, text, "基准.csv")
    assert find_standard(gongxin, "X-1").penalty_basis == "《无线电管理条例》第七十条"
    assert [str(w) for w in result.file.warnings] == [
        "「基准.csv」, 第 5 行, 第 3 列「处罚依据」: 与本违法行为第 3 行所写不同，只保存第 3 行的内容"
    ]


def test_a_two_row_header_and_a_header_repeated_after_a_page_break(gongxin):
    top = ["序号", "违法行为", "法律依据", None, "裁量阶次", "适用情形", "处罚标准"]
    sub = [None, None, "违法依据", "处罚依据", None, None, None]
    rows = [
        ["青山县工业和信息化局行政处罚裁量基准"],
        top,
        sub,
        [
            "1",
            "使用国家明令淘汰的用能设备的",
            "《节约能源法》第十七条",
            "《节约能源法》第七十一条",
            "一般",
            "首次",
            "警告",
        ],
        [None, None, None, None, "从重", "拒不停止使用", "警告"],
        top,
        sub,
        [
            "2",
            "未按规定报送能源利用状况报告的",
            "《节约能源法》第五十三条",
            "《节约能源法》第八十二条",
            "一般",
            "逾期",
            "处1万元以上5万元以下罚款",
        ],
    ]
    data = xlsx_bytes(rows, ["C2:D2", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "C7:D7"])
    result = import_standards_bytes(actor("gx_filler"), gongxin, "两行表头.xlsx", data)
    assert result.created == 2 and result.levels == 3
    first = find_standard(gongxin, "1")  # 序号 is the key when there is no 编号
    assert (first.violated_basis, first.penalty_basis) == (
        "《节约能源法》第十七条",
        "《节约能源法》第七十一条",
    )
    assert first.article == "第七十一条"
    assert [x.circumstance for x in first.levels.all()] == ["ordinary", "heavier"]


def test_every_bad_row_is_named_by_file_row_and_column_and_nothing_is_stored(gongxin):
    bad = (
        "编号,违法行为,裁量阶次,处罚幅度\n"
        "X-1,擅自设置无线电台的,从轻处罚,处1万元以下罚款\n"
        ",,特别严重,处5万元罚款\n"
        ",,从轻,处2万元罚款\n"
        "X-2,,一般处罚,处罚款\n"
        "X-1,另一违法行为,一般处罚,处3万元以上1万元以下罚款\n"
        "X-3,未按规定备案的,不予处罚,处1000元罚款\n"
        "X-4,未按规定报告的,,警告\n"
        ",漏写阶次的违法行为,,\n"
    )
    with pytest.raises(IngestError) as exc:
        load(gongxin, bad, "坏.csv")
    message = exc.value.message
    assert "「坏.csv」, 第 3 行, 第 3 列「裁量阶次」: 「特别严重」不是裁量阶次" in message
    assert (
        "「坏.csv」, 第 4 行, 第 3 列「裁量阶次」: 违法行为「擅自设置无线电台的」的「从轻处罚」已在第 2 行"
        in message
    )
    assert "第 5 行, 第 2 列「违法行为」: 「违法行为」为空" in message
    assert "第 5 行, 第 4 列「处罚幅度」: 「处罚款」写了罚款，但没有写明数额" in message
    assert "第 6 行, 第 1 列「编号」: 编号「X-1」与第 2 行重复" in message
    assert "第 6 行, 第 4 列「处罚幅度」: 「处3万元以上1万元以下罚款」的下限大于上限" in message
    assert "第 7 行, 第 4 列「处罚幅度」: 「不予处罚」阶次不能规定罚款" in message
    assert "第 8 行, 第 3 列「裁量阶次」: 「裁量阶次」为空" in message
    assert "第 9 行, 第 3 列「裁量阶次」: 「裁量阶次」为空" in message  # not taken for a title
    assert (
        not DiscretionStandard.objects.exists()
        and not AuditEntry.objects.filter(action="discretion_import").exists()
    )


def test_a_table_without_the_columns_is_refused_in_chinese(gongxin):
    with pytest.raises(IngestError, match="表头缺少列：编号（或序号）、处罚幅度"):
        load(gongxin, "违法行为,裁量阶次\n甲,一般\n")
    with pytest.raises(IngestError, match="找不到裁量基准表的表头"):
        load(gongxin, "姓名,科室\n张三,办公室\n")


def test_a_reimport_replaces_the_standards_by_code_atomically(gongxin):
    load(gongxin)
    kept = DiscretionStandard.objects.get(code="LQGX-JN-01")
    changed = GONGXIN_CSV.replace("处1万元以上2万元以下罚款", "处1万元以上1.5万元以下罚款")
    changed = "\n".join(
        line for line in changed.splitlines() if "LQGX-JN-02" not in line and "整改完成率" not in line
    )
    result = load(gongxin, changed + "\n")
    assert (result.created, result.updated, result.removed) == (0, 3, 1)
    assert DiscretionStandard.objects.get(code="LQGX-JN-01").pk == kept.pk  # cases keep their link
    assert levels_of("LQGX-JN-01")["lighter"].max_amount == Decimal(15000)
    assert not DiscretionStandard.objects.filter(code="LQGX-JN-02").exists()
    # a bad file leaves everything as it was
    with pytest.raises(IngestError):
        load(gongxin, changed.replace("处2万元以上4万元以下罚款", "处罚款") + "\n")
    assert levels_of("LQGX-JN-01")["lighter"].max_amount == Decimal(15000)
    assert DiscretionStandard.objects.filter(department=gongxin).count() == 3


def test_a_standard_an_open_case_applies_cannot_be_dropped(gongxin):
    load(gongxin)
    standard = DiscretionStandard.objects.get(code="LQGX-JN-02")
    case = PenaltyCase.objects.create(
        department=gongxin,
        title="拒不落实节能整改要求案",
        source="inspection",
        occurred_on="2026-11-02",
        party_kind="organisation",
        party_name="某某钢铁有限公司",
        stage="investigating",
        standard=standard,
    )
    without = "\n".join(
        line for line in GONGXIN_CSV.splitlines() if "LQGX-JN-02" not in line and "整改完成率" not in line
    )
    with pytest.raises(
        IngestError, match=r"办理中的案件「.*拒不落实节能整改要求案」适用该裁量基准，不能删除"
    ):
        load(gongxin, without)
    case.stage = "closed"
    case.save()
    assert load(gongxin, without).removed == 1
    case.refresh_from_db()
    assert case.standard is None


def test_removing_one_standard_is_audited_and_refused_while_a_case_applies_it(gongxin, tmp_path):
    load(gongxin)
    standard = find_standard(gongxin, "LQGX-WX-01")
    PenaltyCase.objects.create(
        department=gongxin,
        title="擅自设置无线电台案",
        source="inspection",
        occurred_on="2026-11-02",
        party_kind="person",
        party_name="张某",
        stage="deciding",
        standard=standard,
    )
    with pytest.raises(QingdanError, match=r"办理中的案件「.*」适用裁量基准「LQGX-WX-01」，不能删除"):
        remove_standard(actor("gx_filler"), standard)
    with pytest.raises(QingdanError, match="无权修改"):
        remove_standard(actor("fg_filler"), find_standard(gongxin, "LQGX-JN-02"))
    remove_standard(actor("gx_filler"), find_standard(gongxin, "LQGX-JN-02"))
    entry = AuditEntry.objects.filter(action="discretion_remove").get()
    assert entry.before["code"] == "LQGX-JN-02" and entry.before["levels"][0]["min_amount"] == "100000.00"
    result = CliRunner().invoke(main, ["discretion", "remove", GONGXIN, "LQGX-JN-01"])
    assert result.exit_code == 0 and "已删除裁量基准「LQGX-JN-01」" in result.output
    assert set(DiscretionStandard.objects.values_list("code", flat=True)) == {"LQGX-WX-01", "LQGX-MB-01"}


def test_dry_run_checks_everything_and_writes_nothing(gongxin, tmp_path):
    path = tmp_path / "裁量基准.csv"
    path.write_text(GONGXIN_CSV, encoding="utf-8")
    result = import_standards(actor("gx_filler"), gongxin, path, dry_run=True)
    assert result.created == 4 and result.summary().startswith("（试运行，未写入）")
    assert not DiscretionStandard.objects.exists()


def test_another_departments_filler_may_not_import_and_an_administrator_may(gongxin):
    with pytest.raises(QingdanError, match="无权修改鹿泉区工业和信息化局的行政处罚裁量基准"):
        load(gongxin, who="fg_filler")
    assert not DiscretionStandard.objects.exists()
    result = import_standards_bytes(COMMAND_LINE, gongxin, "裁量基准.csv", GONGXIN_CSV.encode())
    assert result.created == 4  # the full who-may matrix is in tests/test_personas.py


# --- propose / outside_range ---------------------------------------------------------------------


def test_the_proposal_follows_the_documented_rule(gongxin, settings):
    load(gongxin)
    standard = find_standard(gongxin, "LQGX-JN-01")
    lighter = propose(standard, "从轻处罚")
    assert (lighter.min_amount, lighter.max_amount, lighter.amount) == (
        Decimal(10000),
        Decimal(20000),
        Decimal(10000),
    )
    ordinary = propose(standard, "一般")
    assert ordinary.amount == Decimal(30000) and ordinary.rule == "一般处罚取中间值（按 100 元取整）"
    assert propose(standard, "从重").amount == Decimal(50000)
    assert (
        "裁量基准 LQGX-JN-01「重点用能单位未按照规定报送能源利用状况报告或者报告内容不实的」一般处罚"
        in ordinary.text
    )
    assert (
        "：处2万元以上4万元以下罚款。" in ordinary.text
        and "处罚依据：《中华人民共和国节约能源法》第八十二条" in ordinary.text
    )
    none = propose(standard, "不予处罚")
    assert none.amount is None and none.other == "不予行政处罚"
    with pytest.raises(
        QingdanError, match="没有「减轻处罚」阶次（有：不予处罚、从轻处罚、一般处罚、从重处罚）"
    ):
        propose(standard, "减轻")
    settings.QINGDAN_DISCRETION_POINTS = "一般=0.3,从重=0.5"
    settings.QINGDAN_DISCRETION_STEP = "1000"
    assert propose(standard, "一般").amount == Decimal(26000)
    assert propose(standard, "从重").amount == Decimal(45000)
    wx = propose(find_standard(gongxin, "LQGX-WX-01"), "一般处罚")
    assert wx.amount == Decimal(22000)  # 1万 + 0.3 × 4万
    light = propose(find_standard(gongxin, "LQGX-WX-01"), "从轻")  # 可以并处1万元以下罚款
    assert light.amount == Decimal(1000) and "幅度未写下限，从 1000 元起算" in light.rule
    assert light.text.endswith("可以并处1万元以下罚款。处罚依据：《中华人民共和国无线电管理条例》第七十条")
    settings.QINGDAN_DISCRETION_POINTS = "一般=2"
    with pytest.raises(QingdanError, match="应在 0 到 1 之间"):
        propose(standard, "一般")


def test_outside_range_says_why_in_chinese(gongxin):
    load(gongxin)
    standard = find_standard(gongxin, "LQGX-JN-01")
    assert outside_range(standard, "一般处罚", Decimal(20000)) is None
    assert outside_range(standard, "一般处罚", 40000) is None
    message = outside_range(standard, "一般处罚", "45000")
    assert (
        message
        == "拟罚款 45000.00 元超出裁量基准 LQGX-JN-01「一般处罚」的幅度（2万元以上4万元以下），须写明理由并经法制审核"
    )
    assert "超出" in (outside_range(standard, "从轻", 9999) or "")
    assert "不予处罚" in (outside_range(standard, "不予处罚", 100) or "")
    assert outside_range(standard, "不予处罚", None) is None


# --- CLI and API ---------------------------------------------------------------------------------


def test_the_cli_imports_lists_and_proposes(gongxin, tmp_path):
    path = tmp_path / "裁量基准.csv"
    path.write_text(GONGXIN_CSV, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["discretion", "import", str(path), "--department", GONGXIN, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "（试运行，未写入）" in result.output and "从轻处罚：罚款 1万元以上2万元以下" in result.output
    assert not DiscretionStandard.objects.exists()
    result = runner.invoke(main, ["discretion", "import", str(path), "--department", GONGXIN])
    assert result.exit_code == 0 and "新增 4 项" in result.output
    result = runner.invoke(main, ["discretion", "list", GONGXIN, "--json"])
    data = json.loads(result.output)
    assert data["standards"][2]["law"] == "民用爆炸物品安全管理条例"
    assert data["standards"][0]["levels"][1]["text"] == "处1万元以上2万元以下罚款"
    result = runner.invoke(main, ["discretion", "propose", GONGXIN, "LQGX-JN-01", "一般处罚"])
    assert result.exit_code == 0 and "建议罚款：3万元（一般处罚取中间值" in result.output
    result = runner.invoke(main, ["discretion", "propose", GONGXIN, "LQGX-JN-01", "从重", "--json"])
    assert json.loads(result.output)["amount"] == "50000.00"
    bad = tmp_path / "坏.csv"
    bad.write_text("编号,违法行为,裁量阶次,处罚幅度\nX,甲,从轻,处罚款\n", encoding="utf-8")
    result = runner.invoke(main, ["discretion", "import", str(bad), "--department", GONGXIN])
    assert result.exit_code == 1 and "「坏.csv」, 第 2 行, 第 4 列「处罚幅度」" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        main, ["--user", "fg_filler", "discretion", "import", str(path), "--department", GONGXIN]
    )
    assert result.exit_code == 1 and "无权修改" in result.output


def test_the_api_lists_proposes_and_imports_by_token(gongxin, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/departments/{gongxin.pk}/discretion"
    upload = SimpleUploadedFile("裁量基准.csv", GONGXIN_CSV.encode())
    refused = client.post(
        url + "/import",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {create_token(COMMAND_LINE, 'fg_filler')}",
    )
    assert refused.status_code == 403 and "无权修改" in refused.json()["error"]["message"]
    token = create_token(COMMAND_LINE, "gx_filler")
    upload = SimpleUploadedFile("裁量基准.csv", GONGXIN_CSV.encode())
    response = client.post(
        url + "/import", {"file": upload, "dry_run": "true"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200 and response.json()["created"] == 4
    assert not DiscretionStandard.objects.exists()
    upload = SimpleUploadedFile("裁量基准.csv", GONGXIN_CSV.encode())
    response = client.post(url + "/import", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["levels"] == 12
    assert client.post(url + "/import", {}).status_code == 401
    listed = client.get(url).json()  # public: a published document
    assert [s["code"] for s in listed["standards"]][:2] == ["LQGX-JN-01", "LQGX-JN-02"]
    paged = client.get(url, {"offset": 1, "limit": 2}).json()
    assert paged["count"] == 4 and [s["code"] for s in paged["standards"]] == ["LQGX-JN-02", "LQGX-MB-01"]
    assert client.get(url, {"limit": 501}).status_code == 422
    proposal = client.get(url + "/LQGX-JN-02/propose", {"circumstance": "一般处罚"}).json()
    assert (proposal["min_amount"], proposal["max_amount"], proposal["amount"]) == (
        "150000.00",
        "250000.00",
        "200000.00",
    )
    missing = client.get(url + "/NO-SUCH/propose", {"circumstance": "一般处罚"})
    assert (
        missing.status_code == 404 and "没有编号为「NO-SUCH」的裁量基准" in missing.json()["error"]["message"]
    )
    wrong = client.get(url + "/LQGX-JN-02/propose", {"circumstance": "不予"})
    assert wrong.status_code == 400 and "没有「不予处罚」阶次" in wrong.json()["error"]["message"]
    assert client.get(f"/api/v1/departments/{2**63}/discretion").status_code in (404, 422)


def test_bad_rows_come_back_through_the_api_with_their_positions(gongxin, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = create_token(COMMAND_LINE, "gx_filler")
    upload = SimpleUploadedFile("坏.csv", "编号,违法行为,裁量阶次,处罚幅度\nX,甲,从轻,处罚款\n".encode())
    response = client.post(
        f"/api/v1/departments/{gongxin.pk}/discretion/import",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "「坏.csv」, 第 2 行, 第 4 列「处罚幅度」" in response.json()["error"]["message"]


# --- web -----------------------------------------------------------------------------------------


def test_upload_preview_confirm_and_the_public_page(gongxin, client):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    base = f"/work/discretion/{gongxin.pk}/"
    client.force_login(get_user_model().objects.get(username="gx_filler"))
    bad = SimpleUploadedFile(
        "坏.csv", "编号,违法行为,裁量阶次,处罚幅度\nX,甲,从轻,处罚款\n,,特别,警告\n".encode()
    )
    html = client.post(base, {"action": "preview", "file": bad}).content.decode()
    assert "「坏.csv」有 2 处问题，未导入" in html and "第 3 行, 第 3 列「裁量阶次」" in html
    upload = SimpleUploadedFile("裁量基准.csv", GONGXIN_CSV.encode())
    html = client.post(base, {"action": "preview", "file": upload}).content.decode()
    assert "（试运行，未写入）" in html and "确认导入" in html and "民用爆炸物品安全管理条例" in html
    assert not DiscretionStandard.objects.exists()
    digest = hashlib.sha256(GONGXIN_CSV.encode()).hexdigest()
    assert f'name="sha256" value="{digest}"' in html  # the file waits in the session, not the form
    stale = client.post(base, {"action": "confirm", "sha256": "0" * 64}, follow=True).content.decode()
    assert "没有找到刚才检查的文件" in stale and not DiscretionStandard.objects.exists()
    response = client.post(base, {"action": "confirm", "sha256": digest}, follow=True)
    assert "已导入裁量基准.csv" in response.content.decode()
    assert DiscretionStandard.objects.filter(department=gongxin).count() == 4
    client.logout()
    page = client.get(f"/d/{gongxin.pk}/discretion/").content.decode()
    assert "LQGX-JN-01" in page and "处2万元以上4万元以下罚款" in page and ">3万元<" in page
    assert "导入或更新裁量基准" not in page  # the public does not import
    assert f'href="/d/{gongxin.pk}/discretion/"' in client.get(f"/d/{gongxin.pk}/").content.decode()
    assert client.get(base).status_code == 302  # to the login page
    client.force_login(get_user_model().objects.get(username="fg_filler"))
    assert client.post(base, {"action": "confirm", "sha256": digest}).status_code == 403


# --- with the case services (qingdan/cases/services.py, the lead's) ------------------------------


def test_an_imported_standard_drives_the_decision_and_its_legal_review():
    """The 承办人员 propose through the standard the table imported; the range the services check
    is the one ``outside_range`` names, and going past it needs the written reason."""
    import datetime as dt

    from django.utils import timezone

    from qingdan.cases import services as s
    from tests.case_team import make_team

    team = make_team()
    import_standards_bytes(COMMAND_LINE, team.department, "裁量基准.csv", GONGXIN_CSV.encode())
    standard = find_standard(team.department, "LQGX-JN-01")
    base = timezone.localdate() - dt.timedelta(days=60)
    case = s.open_case(
        team.actor("zhang"),
        team.department,
        title="未按规定报送能源利用状况报告",
        source="inspection",
        occurred_on=base,
        party_kind=PenaltyCase.ORGANISATION,
        party_name="鹿泉区某某钢铁有限公司",
        inspectors=[team.officers["zhang"], team.officers["li"]],
    )
    handlers = [team.officers["zhang"], team.officers["li"]]
    s.submit_filing(team.actor("zhang"), case, facts="逾期未报送", handlers=handlers, on=base)
    s.review_filing(team.actor("unithead"), case, opinion="同意", on=base)
    s.review_filing(team.actor("deputy"), case, opinion="同意", on=base)
    s.approve_filing(team.actor("head"), case, opinion="批准", on=base)
    s.add_evidence(team.actor("zhang"), case, kind="party", title="询问笔录", collected_on=base)
    proposal = propose(standard, "一般处罚")
    s.notify(
        team.actor("zhang"),
        case,
        facts="逾期未报送",
        basis=proposal.basis,
        kinds=["fine"],
        amount=proposal.amount,
        on=base,
    )
    s.record_statement(
        team.actor("zhang"), case, statement="书面放弃陈述申辩", review="无", waived=True, on=base
    )
    assert outside_range(standard, "ordinary", Decimal(45000)) is not None
    with pytest.raises(QingdanError, match="超出裁量幅度的书面理由"):
        s.submit_decision(
            team.actor("zhang"), case, report="r", kinds=["fine"], amount="45000", standard=standard,
            circumstance="ordinary", on=base,
        )  # fmt: skip
    s.submit_decision(
        team.actor("zhang"), case, report="r", kinds=["fine"], amount=proposal.amount, standard=standard,
        circumstance="ordinary", on=base,
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.proposed_min, case.proposed_max) == (Decimal(20000), Decimal(40000))
    assert case.proposed_amount == Decimal(30000) and "outside_range" not in case.legal_review_reasons
