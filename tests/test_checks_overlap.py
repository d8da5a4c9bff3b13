"""Overlaps and gaps across departments (overlap.*) and the comparison of two lists, on the real
seeds: 000 and 001 are the same district's 科工局 and 工信局 before and after the reorganisation,
so they claim many of the same duties; 002 is another county's 科技局."""

from __future__ import annotations

import pytest

from qingdan.checks.compare import compare
from qingdan.checks.overlap import (
    Row,
    TfIdf,
    brute_force_pairs,
    find_overlaps,
    overlap_findings,
    resolve,
    similar_pairs,
)
from qingdan.ingest import load_bytes
from qingdan.ingest.records import BoundaryRecord, ListRecord, ShareRecord
from tests.conftest import LUQUAN_KEGONG

LUQUAN_GONGXIN = "石家庄市鹿泉区工业和信息化局"
LUQUAN = "石家庄市鹿泉区"


@pytest.fixture
def seed_record(seed_bytes):
    def load(prefix: str) -> ListRecord:
        name, data = seed_bytes(prefix)
        return load_bytes(name, data, department=LUQUAN_KEGONG if prefix == "000" else "").record

    return load


def unbounded(records: list[ListRecord]) -> list[str]:
    return [f.evidence for f in overlap_findings(records) if f.check_id == "overlap.unbounded"]


def test_it_finds_the_duties_both_luquan_departments_claim(seed_record):
    kegong, gongxin = seed_record("000"), seed_record("001")
    assert gongxin.department == LUQUAN_GONGXIN and gongxin.jurisdiction == LUQUAN
    found = unbounded([kegong, gongxin])
    assert (
        f"{LUQUAN_GONGXIN}：负责民爆器材行业生产流通的监督管理和安全生产工作\n"
        f"{LUQUAN_KEGONG}：负责民爆行业生产流通的监督管理和安全生产工作。"
    ) in found
    assert f"{LUQUAN_GONGXIN}：负责淘汰落后产能工作。\n{LUQUAN_KEGONG}：承担区淘汰落后产能工作。" in found
    assert any("中小企业和民营经济进行宏观指导" in e and "中小企业的宏观指导" in e for e in found)


def test_it_puts_both_texts_and_places_side_by_side(seed_record):
    findings = overlap_findings([seed_record("000"), seed_record("001")])
    mine = next(
        f
        for f in findings
        if f.evidence.endswith(f"{LUQUAN_KEGONG}：负责民爆行业生产流通的监督管理和安全生产工作。")
    )
    assert [loc.label for loc in mine.locations] == [
        f"{LUQUAN_GONGXIN} 主要职责 19",
        f"{LUQUAN_KEGONG} 主要职责 22 / 具体工作事项 2",
    ]
    assert LUQUAN_GONGXIN in mine.message and LUQUAN_KEGONG in mine.message


def test_a_department_does_not_overlap_itself(seed_record):
    kegong = seed_record("000")
    # 主要职责 24 and its only task are the same sentence: not an overlap.
    assert kegong.duties[23].text == kegong.duties[23].tasks[0].text
    assert unbounded([kegong]) == []


def test_a_boundary_naming_both_departments_covers_the_overlap(seed_record):
    kegong, gongxin = seed_record("000"), seed_record("001")
    gongxin.boundaries.append(
        BoundaryRecord(
            "民爆器材行业生产流通的监督管理",
            [ShareRecord("区科工局", "负责民爆行业安全生产"), ShareRecord("工信局", "负责生产流通监管")],
        )
    )
    found = unbounded([kegong, gongxin])
    assert not any("民爆" in e for e in found)
    assert any("淘汰落后产能" in e for e in found)


def test_a_boundary_naming_both_departments_about_another_matter_covers_nothing(seed_record):
    kegong, gongxin = seed_record("000"), seed_record("001")
    gongxin.boundaries.append(
        BoundaryRecord(
            "高考保障工作", [ShareRecord("区科工局", "保障供电"), ShareRecord("工信局", "保障通信")]
        )
    )
    assert any("民爆器材" in e for e in unbounded([kegong, gongxin]))


def test_departments_of_another_jurisdiction_do_not_overlap():
    rows = [
        Row("湘阴县科技局", "湘阴县", "负责管理技术合同认定登记和统计工作"),
        Row("石家庄市鹿泉区科学技术和工业信息化局", LUQUAN, "负责管理技术合同认定登记和统计工作"),
        Row("湘阴县发展和改革局", "湘阴县", "负责管理技术合同认定登记和统计工作。"),
    ]
    [pair] = find_overlaps(rows)
    assert {pair.a.department, pair.b.department} == {"湘阴县科技局", "湘阴县发展和改革局"}


def test_short_names_resolve_to_registry_departments():
    departments = [LUQUAN_KEGONG, LUQUAN_GONGXIN]
    assert resolve("区科工局", LUQUAN, departments) == [LUQUAN_KEGONG]
    assert resolve("工信局", LUQUAN, departments) == [LUQUAN_GONGXIN]
    assert resolve("区应急管理局", LUQUAN, departments) == []


def test_a_boundary_naming_a_department_whose_list_lacks_the_matter(seed_record):
    kegong, gongxin = seed_record("000"), seed_record("001")
    kegong.boundaries += [
        BoundaryRecord("融资性担保机构监督管理", [ShareRecord("区工信局", "日常监管")]),
        BoundaryRecord("专利侵权纠纷处理", [ShareRecord("区工信局", "配合")]),
    ]
    found = [f for f in overlap_findings([kegong, gongxin]) if f.check_id == "overlap.boundary-unmatched"]
    others = [f.evidence for f in found if f.severity == "warning"]
    assert others == [f"专利侵权纠纷处理\n{LUQUAN_GONGXIN}"]
    own = {f.evidence.split("\n")[0] for f in found if f.department == LUQUAN_KEGONG and f.severity == "info"}
    # 000's boundary table gives 区科工局 技术合同认定登记, which its duties never mention; its
    # 民用爆炸物品 boundary matches its 民爆 duty (a search synonym), so it is not reported.
    assert "技术合同认定登记" in own
    assert "民用爆炸物品安全管理" not in own


def test_blocking_finds_what_comparing_every_pair_finds(seed_record):
    rows = [r for prefix in ("000", "001") for r in _rows(seed_record(prefix))]
    model = TfIdf(r.text for r in rows)
    groups = [r.department for r in rows]
    blocked = {(i, j) for i, j, _ in similar_pairs(model.vectors, model.df, groups, 0.5)}
    everything = {(i, j) for i, j, _ in brute_force_pairs(model.vectors, groups, 0.5)}
    assert blocked == everything and len(everything) > 5


def _rows(record: ListRecord) -> list[Row]:
    from qingdan.checks.overlap import rows_of

    return rows_of(record)


def test_compare_aligns_two_jurisdictions_lists(seed_record):
    xiangyin, kegong = seed_record("002"), seed_record("000")
    result = compare(xiangyin, kegong)
    pairs = {(m.a.text, m.b.text) for m in result.matched}
    assert ("负责管理全县技术合同认定登记和统计工作", "技术合同认定登记") in pairs
    assert ("负责科技计划管理信息系统的建设", "建设管理区科技管理信息系统和科技专家库。") in pairs
    assert all(m.similarity >= 0.3 for m in result.matched)
    only_a = [r.text for r in result.only_in_a]
    assert "依法调处专利纠纷，查处假冒专利行为" in only_a
    assert "负责民爆行业生产流通的监督管理和安全生产工作。" in [r.text for r in result.only_in_b]
    matched_a = [m.a for m in result.matched]
    assert len(matched_a) == len(set(matched_a))
    assert len(result.matched) + len(result.only_in_a) == len(set(result.only_in_a) | set(matched_a))


def test_compare_json_names_both_departments(seed_record):
    data = compare(seed_record("002"), seed_record("000")).as_json()
    assert data["department_a"] == "湘阴县科技局" and data["department_b"] == LUQUAN_KEGONG
    assert {"similarity", "a", "b"} <= set(data["matched"][0])
