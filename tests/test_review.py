"""Drafts, edits, optimistic locking, review and publication, through the service layer, on the
real seed 002 (湘阴县科技局)."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth import get_user_model

from qingdan.catalog.editing import Edit, EditConflict, apply_edit, edit_draft, start_draft
from qingdan.catalog.history import change_log, record_succession, version_diff
from qingdan.catalog.models import LegalCitation, ListVersion, ReviewStep
from qingdan.catalog.review import approve, send_back, submit
from qingdan.catalog.services import import_list, record_of
from qingdan.core.models import Department
from qingdan.core.permissions import PUBLIC, PermissionDenied
from qingdan.errors import QingdanError
from qingdan.ingest import load_bytes
from qingdan.ingest.records import PowerRecord
from qingdan.search import search
from tests.conftest import LUQUAN_KEGONG, actor

pytestmark = pytest.mark.django_db


def _task_path(record, text_part: str) -> str:
    for i, duty in enumerate(record.duties):
        for j, task in enumerate(duty.tasks):
            if text_part in task.text:
                return f"duties[{i}].tasks[{j}]"
    raise AssertionError(f"no task contains {text_part}")


def test_draft_starts_as_a_copy_of_the_published_list(staff):
    dept = staff["department"]
    published = dept.versions.get()
    draft = start_draft(actor("filler"), dept)
    assert (draft.number, draft.status) == (2, ListVersion.DRAFT)
    assert record_of(draft).content_key() == record_of(published).content_key()
    assert start_draft(actor("filler"), dept).pk == draft.pk  # one open draft per department


def test_edit_saves_and_counts_revisions(staff):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    path = _task_path(record_of(draft), "技术合同")
    before = record_of(draft)
    items, index = before.duties, int(path.split("[")[1].split("]")[0])
    task = items[index].tasks[int(path.rsplit("[", 1)[1][:-1])]
    values = {"text": task.text + "（含技术交易登记）", "units": task.units, "note": ""}
    edited = edit_draft(actor("filler"), draft, draft.revision, Edit("save", path, values))
    assert edited.revision == draft.revision + 1
    assert (
        "（含技术交易登记）" in record_of(edited).duties[index].tasks[int(path.rsplit("[", 1)[1][:-1])].text
    )
    # the published version did not change
    assert "（含技术交易登记）" not in str(record_of(dept.versions.get(number=1)).to_json())


def test_second_save_on_a_stale_revision_is_refused_and_changes_nothing(staff):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    seen = draft.revision
    edit_draft(actor("filler"), draft, seen, Edit("add", "units", {"name": "新科室", "kind": "内设机构"}))
    after_first = record_of(draft).to_json()
    with pytest.raises(EditConflict) as exc:
        edit_draft(actor("admin"), draft, seen, Edit("add", "units", {"name": "另一个科室"}))
    assert "已修改过它" in exc.value.message and "没有保存" in exc.value.message
    assert record_of(draft).to_json() == after_first


def test_move_task_to_another_duty_reorder_and_remove(staff):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    record = record_of(draft)
    text = record.duties[0].tasks[0].text
    draft = edit_draft(
        actor("filler"), draft, draft.revision, Edit("move_to", "duties[0].tasks[0]", to="duties[1]")
    )
    record = record_of(draft)
    assert record.duties[1].tasks[-1].text == text
    first_duty = record.duties[0].text
    draft = edit_draft(actor("filler"), draft, draft.revision, Edit("move", "duties[0]", delta=1))
    assert record_of(draft).duties[1].text == first_duty
    task = record_of(draft).duties[0].tasks[0]
    values = {"text": task.text + "（改写并移动）", "units": task.units, "note": task.note}
    draft = edit_draft(
        actor("filler"), draft, draft.revision, Edit("save", "duties[0].tasks[0]", values, to="duties[2]")
    )
    assert record_of(draft).duties[2].tasks[-1].text == task.text + "（改写并移动）"
    count = len(record_of(draft).duties)
    draft = edit_draft(actor("filler"), draft, draft.revision, Edit("remove", "duties[0]"))
    assert len(record_of(draft).duties) == count - 1


def test_bad_edits_say_what_is_wrong_and_change_nothing(staff):
    draft = start_draft(actor("filler"), staff["department"])
    unchanged = record_of(draft).to_json()
    cases = [
        (Edit("save", "duties[0]", {"no": "1", "text": "  "}), "不能为空"),
        (Edit("add", "duties[0].tasks", {"text": "新事项", "units": ["不存在的科室"]}), "不是本清单的科室"),
        (Edit("remove", "duties[999]"), "不存在"),
        (Edit("save", "nonsense", {}), "不是清单中的一项"),
        (Edit("move", "duties[0]", delta=-1), "最前"),
    ]
    for change, message in cases:
        with pytest.raises(QingdanError) as exc:
            edit_draft(actor("filler"), draft, draft.revision, change)
        assert message in exc.value.message
    used = record_of(draft).duties[0].tasks[0].units[0]
    index = [u.name for u in record_of(draft).units].index(used)
    with pytest.raises(QingdanError, match="仍承办"):
        edit_draft(actor("filler"), draft, draft.revision, Edit("remove", f"units[{index}]"))
    assert record_of(draft).to_json() == unchanged
    draft.refresh_from_db()
    assert draft.revision == 1  # the copy only


def test_renaming_a_unit_follows_into_its_tasks(staff):
    draft = start_draft(actor("filler"), staff["department"])
    record = record_of(draft)
    old = record.duties[0].tasks[0].units[0]
    index = [u.name for u in record.units].index(old)
    unit = record.units[index]
    values = {"name": "创新发展股", "kind": unit.kind, "phones": unit.phones}
    draft = edit_draft(actor("filler"), draft, draft.revision, Edit("save", f"units[{index}]", values))
    record = record_of(draft)
    assert old not in {n for d in record.duties for t in d.tasks for n in t.units}
    assert "创新发展股" in record.duties[0].tasks[0].units


def test_review_flow_publishes_and_keeps_history(staff):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    draft = edit_draft(
        actor("filler"), draft, draft.revision, Edit("add", "duties", {"text": "负责科技特派员管理工作"})
    )
    with pytest.raises(QingdanError, match="调整依据"):
        submit(actor("filler"), draft, "law", " ")
    draft = submit(actor("filler"), draft, "law", "《湖南省科学技术进步条例》", "新增一项职责")
    assert draft.status == ListVersion.LEGAL_REVIEW
    with pytest.raises(QingdanError, match="不能修改"):
        edit_draft(actor("filler"), draft, draft.revision, Edit("remove", "duties[0]"))
    with pytest.raises(PermissionDenied):
        approve(actor("approver"), draft)  # not yet 编办's turn
    with pytest.raises(QingdanError, match="写明意见"):
        send_back(actor("legal"), draft, "")
    draft = send_back(actor("legal"), draft, "依据请写明条款")
    assert draft.status == ListVersion.DRAFT
    draft = submit(actor("filler"), draft, "law", "《湖南省科学技术进步条例》第十条")
    draft = approve(actor("legal"), draft, "合法")
    assert draft.status == ListVersion.APPROVAL_REVIEW
    draft = approve(actor("approver"), draft, "同意发布")
    assert draft.status == ListVersion.PUBLISHED and draft.published_at is not None
    steps = [(s.stage, s.action, s.actor_name) for s in draft.review_steps.all()]
    assert steps == [
        ("department", ReviewStep.SUBMIT, "filler（部门填报员）"),
        ("legal", ReviewStep.RETURN, "legal（法制审核员）"),
        ("department", ReviewStep.SUBMIT, "filler（部门填报员）"),
        ("legal", ReviewStep.APPROVE, "legal（法制审核员）"),
        ("approval", ReviewStep.APPROVE, "approver（编办审核员）"),
    ]
    assert list(dept.versions.published().values_list("number", flat=True)) == [1, 2]
    log = change_log(dept)
    assert [e.version.number for e in log] == [2, 1]
    assert log[0].reason == "法律立改废" and "第十条" in log[0].basis
    assert [c.kind for c in log[0].diff.diff.changes] == ["duty_added"]


def test_search_and_public_pages_see_only_published(staff, client):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    edit_draft(
        actor("filler"), draft, draft.revision, Edit("add", "duties", {"text": "负责量子草稿专属测试职责"})
    )
    assert all("量子草稿专属测试职责" not in hit.text for hit in search("量子草稿专属测试职责").hits)
    assert "量子草稿专属测试职责" not in client.get(f"/d/{dept.pk}/").content.decode()
    with pytest.raises(QingdanError):
        version_diff(PUBLIC, dept, new=draft.number)


def test_filler_import_lands_as_a_draft_and_replaces_it(staff, seed_bytes):
    record = load_bytes(*seed_bytes("002")).record
    record.duties[0].text += "（修订）"
    result = import_list(record, "002-修订.txt", actor=actor("filler"))
    assert result.version.status == ListVersion.DRAFT and result.version.number == 2
    record.duties[1].text += "（再修订）"
    again = import_list(record, "002-再修订.txt", actor=actor("filler"))
    assert again.version.pk == result.version.pk and again.version.revision == result.version.revision + 1
    submit(actor("filler"), again.version, "correction", "纠正文字错误")
    with pytest.raises(QingdanError, match="审核结束"):
        import_list(load_bytes(*seed_bytes("002")).record, actor=actor("filler"))
    record.duties[2].text += "（管理员修订）"
    with pytest.raises(QingdanError, match="未发布"):
        import_list(record, actor=actor("admin"), draft=False)


def test_filler_cannot_import_into_another_or_a_new_department(staff, seed_bytes):
    name, data = seed_bytes("000")
    other = load_bytes(name, data, department=LUQUAN_KEGONG).record
    with pytest.raises(PermissionDenied):
        import_list(other, actor=actor("filler"))
    new = load_bytes(*seed_bytes("002")).record
    new.department = "湘阴县新设局"
    with pytest.raises(PermissionDenied):
        import_list(new, actor=actor("filler"))
    assert not Department.objects.filter(name="湘阴县新设局").exists()
    with pytest.raises(PermissionDenied):
        import_list(load_bytes(*seed_bytes("002")).record, actor=actor("filler"), draft=False)


def test_succession_is_for_administrators(staff):
    with pytest.raises(PermissionDenied):
        record_succession(actor("filler"), staff["department"], [staff["other"]], "")
    with pytest.raises(QingdanError, match="自己"):
        record_succession(actor("admin"), staff["department"], [staff["department"]], "")


def test_two_reviewers_acting_on_the_same_version_cannot_both_pass_it(staff):
    draft = start_draft(actor("filler"), staff["department"])
    draft = edit_draft(
        actor("filler"), draft, draft.revision, Edit("add", "duties", {"text": "负责并发测试职责"})
    )
    seen = submit(actor("filler"), draft, "other", "测试")
    approve(actor("legal"), seen)
    with pytest.raises(QingdanError, match="可能已有人处理"):
        approve(actor("admin"), seen)  # the admin's page still showed 待法制审核
    assert ListVersion.objects.get(pk=draft.pk).review_steps.filter(action=ReviewStep.APPROVE).count() == 1


def test_the_edit_form_answers_bad_posts_with_a_message(staff, client):
    dept = staff["department"]
    draft = start_draft(actor("filler"), dept)
    client.force_login(get_user_model().objects.get(username="filler"))
    url = f"/work/d/{dept.pk}/item"
    stale = client.post(url, {"path": "duties[0]", "revision": "abc", "text": "x"})
    assert stale.status_code == 200 and "保存失败" in stale.content.decode()
    nonsense = client.post(url, {"path": "nonsense[0]", "revision": draft.revision}, follow=True)
    assert nonsense.status_code == 200 and "不是清单中的一项" in nonsense.content.decode()
    missing = client.get(url + "?path=duties[999]", follow=True)
    assert "不存在" in missing.content.decode()
    draft.refresh_from_db()
    assert draft.revision == 1


def test_an_edit_rewrites_only_its_part_and_loses_nothing(staff, seed_bytes):
    record = load_bytes(*seed_bytes("002")).record
    record.powers = [
        PowerRecord(name=f"权力事项{i}", code=f"C{i}", basis=f"《中华人民共和国科学技术进步法》第{i + 1}条")
        for i in range(3)
    ]
    import_list(record)  # version 2, published, with powers
    draft = start_draft(actor("admin"), staff["department"])
    citations = LegalCitation.objects.filter(version=draft).count()
    edits = [
        Edit("save", "duties[0]", {"no": "1", "text": "改写后的第一项职责"}),
        Edit("move_to", "duties[1].tasks[0]", to="duties[2]"),
        Edit("save", "units[0]", {"name": "改名后的科室", "kind": "内设机构", "phones": ["0730-1234567"]}),
        Edit("save", "powers[1]", {"name": "改写的权力事项", "basis": "《中华人民共和国专利法》第三条"}),
        Edit("remove", "boundaries[0].shares[0]"),
        Edit("add", "supervision", {"matter": "新增的监管事项", "objects": "企业"}),
    ]
    expected = record_of(draft)
    for change in edits:
        apply_edit(expected, copy.deepcopy(change))
        draft = edit_draft(actor("admin"), draft, draft.revision, change)
        assert record_of(draft).to_json() == {**expected.to_json(), "version": draft.number}
    titles = set(LegalCitation.objects.filter(version=draft).values_list("law__title", flat=True))
    assert "中华人民共和国专利法" in titles and "中华人民共和国科学技术进步法" in titles
    assert LegalCitation.objects.filter(version=draft).count() <= citations  # one share removed
