"""What changed between two versions of a list, as a reviewer reads it: the real seeds, edited the
way departments edit them. A diff reads ListRecords only, so no database is needed."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest

from qingdan.catalog.diff import KIND_LABELS, ListDiff, diff_records
from qingdan.ingest import load_path
from qingdan.ingest.records import DutyRecord, ListRecord, PowerRecord, TaskRecord
from tests.conftest import LUQUAN_KEGONG, seed


@pytest.fixture(scope="module")
def xiangyin() -> ListRecord:
    return load_path(seed("002")).record


@pytest.fixture(scope="module")
def luquan_old() -> ListRecord:
    return load_path(seed("001")).record


@pytest.fixture(scope="module")
def luquan() -> ListRecord:
    return load_path(seed("000"), department=LUQUAN_KEGONG).record


def edited(record: ListRecord, edit: Callable[[ListRecord], object]) -> ListRecord:
    new = copy.deepcopy(record)
    edit(new)
    return new


def kinds(diff: ListDiff) -> list[str]:
    assert all(c.kind in KIND_LABELS for c in diff.changes)
    return [c.kind for c in diff.changes]


def duty(record: ListRecord, start: str) -> DutyRecord:
    return next(d for d in record.duties if d.text.startswith(start))


def task(record: ListRecord, start: str) -> TaskRecord:
    return next(t for d in record.duties for t in d.tasks if t.text.startswith(start))


# --- seed 002 against itself and edited copies ----------------------------------------------


def test_it_finds_nothing_between_a_list_and_itself(xiangyin):
    diff = diff_records(xiangyin, copy.deepcopy(xiangyin))
    assert diff.is_empty()
    assert diff.to_json() == {"changes": [], "counts": {}}


def test_it_reports_an_added_duty_once_with_its_tasks(xiangyin):
    tasks = [TaskRecord("组织开展全县科普日活动", ["办公室"]), TaskRecord("管理科普教育基地", ["办公室"])]
    new = edited(xiangyin, lambda r: r.duties.append(DutyRecord("17", "负责全县科学技术普及工作", tasks)))
    diff = diff_records(xiangyin, new)
    assert kinds(diff) == ["duty_added"]
    change = diff.changes[0]
    assert change.new_path == "duties[16]" and change.old_path == "" and change.before is None
    assert [t["text"] for t in change.after["tasks"]] == ["组织开展全县科普日活动", "管理科普教育基地"]
    assert change.summary == "新增职责「负责全县科学技术普及工作」，含 2 项新事项"


def test_it_reports_a_removed_duty_once_with_its_tasks(xiangyin):
    # the duty's tasks are not reported again one by one: they are in the duty's ``before``
    new = edited(xiangyin, lambda r: r.duties.remove(duty(r, "组织编制防震减灾规划")))
    diff = diff_records(xiangyin, new)
    assert kinds(diff) == ["duty_removed"]
    change = diff.changes[0]
    assert change.old_path == "duties[13]" and change.after is None
    assert len(change.before["tasks"]) == 3
    assert change.summary.endswith("，连同其下 3 项事项")


def test_it_reports_a_slightly_reworded_task_as_reworded(xiangyin):
    def reword(r: ListRecord) -> None:
        task(r, "负责全县科技创新体系建设工作").text = "负责全县科技创新体系建设相关工作"

    diff = diff_records(xiangyin, edited(xiangyin, reword))
    assert kinds(diff) == ["task_reworded"]
    change = diff.changes[0]
    assert change.fields == ["text"]
    assert change.before == {"text": "负责全县科技创新体系建设工作"}
    assert change.after == {"text": "负责全县科技创新体系建设相关工作"}
    assert change.old_path == change.new_path == "duties[8].tasks[0]"


def test_it_reports_a_task_replaced_by_an_unrelated_one_as_removed_and_added(xiangyin):
    def replace(r: ListRecord) -> None:
        task(r, "负责专利执法工作").text = "负责科普宣传工作"  # 负责…工作 alone is not a likeness

    diff = diff_records(xiangyin, edited(xiangyin, replace))
    assert sorted(kinds(diff)) == ["task_added", "task_removed"]


def test_it_says_nothing_when_items_are_only_renumbered_and_reordered(xiangyin):
    old = edited(xiangyin, lambda r: setattr(task(r, "开展科技金融结合工作"), "units", ["办公室", "财计股"]))

    def shuffle(r: ListRecord) -> None:
        r.duties[2], r.duties[5] = r.duties[5], r.duties[2]
        for n, d in enumerate(r.duties):
            d.no = f"（{n + 101}）"
        r.duties[7].tasks.reverse()
        task(r, "开展科技金融结合工作").units.reverse()
        r.units.reverse()
        r.services.reverse()
        r.boundaries[1].shares.reverse()

    assert diff_records(old, edited(old, shuffle)).is_empty()


def test_it_reports_a_task_moved_to_another_duty_as_moved(xiangyin):
    def move(r: ListRecord) -> None:
        moved = task(r, "拟订专利激励政策和措施并贯彻落实")
        duty(r, "组织开展全县专利行政执法").tasks.remove(moved)
        duty(r, "负责全县专利管理工作").tasks.insert(0, moved)

    diff = diff_records(xiangyin, edited(xiangyin, move))
    assert kinds(diff) == ["task_moved"]
    change = diff.changes[0]
    assert change.fields == ["duty"]
    assert (change.old_path, change.new_path) == ("duties[6].tasks[6]", "duties[7].tasks[0]")
    assert change.before["duty"].startswith("组织开展全县专利行政执法")
    assert change.after["duty"].startswith("负责全县专利管理工作")


def test_it_reports_a_task_moved_and_reworded_as_one_change_saying_both(xiangyin):
    def move(r: ListRecord) -> None:
        moved = task(r, "拟订专利激励政策和措施并贯彻落实")
        duty(r, "组织开展全县专利行政执法").tasks.remove(moved)
        moved.text = "拟订全县专利激励政策和措施并组织贯彻落实"
        duty(r, "负责全县专利管理工作").tasks.append(moved)

    diff = diff_records(xiangyin, edited(xiangyin, move))
    assert kinds(diff) == ["task_moved"]
    change = diff.changes[0]
    assert change.fields == ["duty", "text"]
    assert (
        "移至职责8" in change.summary
        and "改写为「拟订全县专利激励政策和措施并组织贯彻落实」" in change.summary
    )


def test_it_reports_a_task_given_to_another_unit(xiangyin):
    def reassign(r: ListRecord) -> None:
        task(r, "开展科技金融结合工作").units = ["财计股"]

    diff = diff_records(xiangyin, edited(xiangyin, reassign))
    assert kinds(diff) == ["task_units_changed"]
    change = diff.changes[0]
    assert (change.before, change.after) == ({"units": ["办公室"]}, {"units": ["财计股"]})
    assert change.summary == "事项「开展科技金融结合工作」从「办公室」改为「财计股」承办"


def test_it_reports_a_unit_rename_once_not_for_every_task(xiangyin):
    def rename(r: ListRecord) -> None:
        for unit in r.units:
            unit.name = unit.name.replace("地震办公室", "防震减灾股")
        for t in (t for d in r.duties for t in d.tasks):
            t.units = [u.replace("地震办公室", "防震减灾股") for u in t.units]

    diff = diff_records(xiangyin, edited(xiangyin, rename))
    assert kinds(diff) == ["unit_renamed"]
    assert diff.changes[0].summary == "内设机构「地震办公室」更名为「防震减灾股」"


def test_it_reports_a_changed_phone(xiangyin):
    def call(r: ListRecord) -> None:
        r.unit("地震办公室").phones = ["0730-2115559"]

    diff = diff_records(xiangyin, edited(xiangyin, call))
    assert kinds(diff) == ["unit_phone_changed"]
    change = diff.changes[0]
    assert change.summary == "地震办公室电话由 2115558 改为 0730-2115559"
    assert change.new_path == "units[4]" and change.fields == ["phones"]


def test_it_reports_a_changed_division_of_a_boundary_share(xiangyin):
    def redivide(r: ListRecord) -> None:
        r.boundaries[0].shares[1].division = "指导、协调、监督和检查全县科学技术保密工作"

    diff = diff_records(xiangyin, edited(xiangyin, redivide))
    assert kinds(diff) == ["share_changed"]
    change = diff.changes[0]
    assert change.fields == ["division"]
    assert change.new_path == "boundaries[0].shares[1]"
    assert change.summary.startswith("职责边界「科学技术保密管理工作」中县保密局的职责分工")


def test_it_reports_a_removed_public_service(xiangyin):
    new = edited(xiangyin, lambda r: r.services.pop(2))
    diff = diff_records(xiangyin, new)
    assert kinds(diff) == ["service_removed"]
    assert diff.changes[0].old_path == "services[2]"
    assert diff.changes[0].before["name"] == "提供科技咨询服务"


def test_it_names_the_changed_part_of_a_supervision_regime(xiangyin):
    def inspect(r: ListRecord) -> None:
        r.supervision[0].methods += "\n4. 开展“双随机、一公开”抽查。"

    diff = diff_records(xiangyin, edited(xiangyin, inspect))
    assert kinds(diff) == ["regime_changed"]
    assert diff.changes[0].fields == ["methods"]


def test_it_ignores_whitespace_punctuation_and_full_width_characters(xiangyin):
    def retype(r: ListRecord) -> None:
        earthquake = task(r, "负责地震行政复议")
        earthquake.text = earthquake.text.replace("；", ";").replace("\n", " ").replace("、", "， ")
        duty(r, "贯彻执行国家、省、市科技").text += "。"
        task(
            r, "指导知识产权预警和维权援助"
        ).text = "指导知识产权预警和维权援助，负责１２３３０举报投诉、法律咨询、维权援助工作"
        r.unit("办公室").phones = ["２１１５５１８ "]
        r.boundaries[0].shares[0].case = "\u3000" + r.boundaries[0].shares[0].case

    assert diff_records(xiangyin, edited(xiangyin, retype)).is_empty()


def test_it_lists_changes_in_the_new_documents_order_with_removals_where_they_were(xiangyin):
    def edit(r: ListRecord) -> None:
        r.services.pop(0)
        r.duties.append(DutyRecord("17", "负责全县科学技术普及工作"))
        patents = duty(r, "负责全县专利管理工作").tasks
        patents[0].text = "组织开展知识产权试点示范和强县建设工作"
        patents.pop(1)
        patents[2].units = ["办公室"]
        r.unit("财计股").kind = "事业单位"

    diff = diff_records(xiangyin, edited(xiangyin, edit))
    assert [(c.kind, c.old_path or c.new_path) for c in diff.changes] == [
        ("unit_kind_changed", "units[3]"),
        ("task_reworded", "duties[7].tasks[0]"),
        ("task_removed", "duties[7].tasks[1]"),
        ("task_units_changed", "duties[7].tasks[3]"),
        ("duty_added", "duties[16]"),
        ("service_removed", "services[0]"),
    ]
    json.dumps(diff.to_json(), ensure_ascii=False)  # JSON-able as it is
    assert diff.counts() == dict.fromkeys(kinds(diff), 1)


# --- powers: matched by code when both have one, else by name ------------------------------


def powers(*items: PowerRecord) -> ListRecord:
    return ListRecord("湘阴县科技局", powers=list(items))


def test_it_matches_powers_by_code_and_names_the_changed_fields():
    old = powers(PowerRecord("对技术合同认定登记的确认", code="430624-QR-001", basis="《技术合同认定规则》"))
    new = powers(PowerRecord("技术合同认定登记", code="430624-QR-001", basis="《技术合同认定规则》第五条"))
    diff = diff_records(old, new)
    assert kinds(diff) == ["power_changed"]
    assert diff.changes[0].fields == ["name", "basis"]


def test_it_does_not_match_powers_whose_codes_differ_even_with_the_same_name():
    old = powers(PowerRecord("技术合同认定登记", code="430624-QR-001"))
    new = powers(PowerRecord("技术合同认定登记", code="430624-QR-009"))
    assert sorted(kinds(diff_records(old, new))) == ["power_added", "power_removed"]


def test_it_matches_a_power_by_name_when_one_side_has_no_code():
    old = powers(PowerRecord("技术合同认定登记", type="行政确认"))
    new = powers(PowerRecord("技术合同认定登记", code="430624-QR-001", type="行政确认"))
    diff = diff_records(old, new)
    assert kinds(diff) == ["power_changed"]
    assert diff.changes[0].fields == ["code"]


# --- the reorganisation: 鹿泉区工业和信息化局 (001) → 科学技术和工业信息化局 (000) ---------


def change_of(diff: ListDiff, kind: str, text: str):
    """The change of ``kind`` whose item's text, name or matter (before or after) is ``text``."""

    def names(side: dict | None) -> set[str]:
        return {str(side.get(k)) for k in ("text", "matter", "name")} if side else set()

    return next(c for c in diff.changes if c.kind == kind and text in names(c.before) | names(c.after))


def test_it_reads_the_reorganisation_as_a_reviewer_would(luquan_old, luquan):
    diff = diff_records(luquan_old, luquan)
    counts = diff.counts()
    # the bureau took over 科技: its duties are new, the old list had no supervision regimes
    assert (
        change_of(diff, "duty_added", "承担履行《禁止化学武器公约》的组织协调工作。").new_path == "duties[23]"
    )
    assert change_of(diff, "duty_removed", "负责全区散装水泥管理工作").old_path == "duties[16]"
    assert counts["regime_added"] == 6 and counts["service_removed"] == 4
    # a duty whose wording changed but stayed recognisable is reworded, not removed and added
    reworded = change_of(diff, "duty_reworded", duty(luquan_old, "提出全区新型工业化发展战略").text)
    assert (reworded.old_path, reworded.new_path) == ("duties[6]", "duties[13]")
    # 淘汰落后产能 went from its own duty into 工业体制改革, reworded, from 运行二科 to 发展科
    moved = change_of(diff, "task_moved", "负责淘汰落后产能工作。")
    assert moved.after["text"] == "承担区淘汰落后产能工作。"
    assert moved.fields == ["duty", "text", "units"]
    # matters kept across the reorganisation are matched; the others come and go
    assert change_of(diff, "boundary_removed", "高考保障工作")
    assert change_of(diff, "boundary_added", "冶金行业监管")
    assert not any(c.kind.startswith("boundary_") and "超限" in c.summary for c in diff.changes)
    # every item is reported at most once
    for side in ("old_path", "new_path"):
        paths = [getattr(c, side) for c in diff.changes if getattr(c, side)]
        assert len(paths) == len(set(paths))


def test_it_does_not_report_duties_and_tasks_that_exist_verbatim_in_both(luquan_old, luquan):
    # as if the old list had already carried the first three 科技 duties of the new one
    old = edited(luquan_old, lambda r: r.duties.extend(copy.deepcopy(luquan.duties[:3])))
    diff = diff_records(old, luquan)
    assert not any(c.new_path.startswith(("duties[0]", "duties[1]", "duties[2]")) for c in diff.changes)
    assert not any(c.old_path.startswith(("duties[21]", "duties[22]", "duties[23]")) for c in diff.changes)
    assert diff.counts()["duty_added"] == diff_records(luquan_old, luquan).counts()["duty_added"] - 3


def test_it_keeps_a_duty_rewritten_beyond_recognition_when_its_tasks_stay(xiangyin):
    def rewrite(r: ListRecord) -> None:
        duty(r, "组织拟订全县科技工作的中长期规划").text = "负责重大科技决策论证和知识产权审议"

    diff = diff_records(xiangyin, edited(xiangyin, rewrite))
    assert kinds(diff) == ["duty_reworded"]
    assert diff.changes[0].old_path == diff.changes[0].new_path == "duties[1]"


def test_it_tells_apart_items_written_twice_by_what_they_hold(luquan):
    # 000 has the task 组织实施相关行业的技术规范和标准 in duties 16 and 20, and the matter
    # 专项资金管理工作 twice with different shares: swapping either pair is no change
    def swap(r: ListRecord) -> None:
        r.duties[15], r.duties[19] = r.duties[19], r.duties[15]
        r.boundaries[0], r.boundaries[8] = r.boundaries[8], r.boundaries[0]

    assert diff_records(luquan, edited(luquan, swap)).is_empty()
