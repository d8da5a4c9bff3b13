"""检查任务 after the draw: each result, the 整改 follow-up, 移交立案 opening a case with the task as
its source, who may record, the 20-working-day publication deadline on the official calendar, the
published results, overdue 整改, and the per-enterprise burden (同月多部门检查)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.test import Client

from qingdan.cases.models import CaseDeadline, PenaltyCase
from qingdan.cli import main
from qingdan.core.permissions import PermissionDenied
from qingdan.errors import QingdanError
from qingdan.inspection import tasks
from qingdan.inspection.models import InspectionTask
from tests.inspection_setup import uscc
from tests.inspection_tasks_setup import END, OTHER, START, TODAY, drawn_plan, second_department, split

pytestmark = pytest.mark.django_db

YESTERDAY = TODAY - dt.timedelta(days=1)


def first_task(plan):
    return plan.tasks.order_by("order").first()


def deadline_of(task) -> CaseDeadline:
    return CaseDeadline.objects.get(subject=f"inspection-task:{task.pk}")


def test_none_found_is_done_and_starts_the_publication_deadline():
    team, plan = drawn_plan()
    task = first_task(plan)
    inspector = split(team, task)[0][0]
    tasks.record_result(
        team.actor(inspector),
        task,
        result="未发现问题",
        findings="资料齐全，制度落实",
        inspected_on=YESTERDAY,
    )
    task.refresh_from_db()
    assert (task.state, task.result, task.inspected_on, task.case) == ("done", "none_found", YESTERDAY, None)
    deadline = deadline_of(task)
    assert (deadline.case, deadline.rule, deadline.days, deadline.unit, deadline.status) == (
        None,
        "inspection-publication",
        20,
        "working",
        "open",
    )
    assert deadline.department == team.department and deadline.start == TODAY
    with pytest.raises(QingdanError, match="当前状态为「已办结」"):
        tasks.record_result(
            team.actor(inspector), task, result="rectify", findings="x", inspected_on=YESTERDAY
        )


def test_rectify_needs_a_later_deadline_then_is_confirmed():
    team, plan = drawn_plan()
    task = first_task(plan)
    actor = team.actor(split(team, task)[0][0])
    with pytest.raises(QingdanError, match="须写明整改期限"):
        tasks.record_result(actor, task, result="rectify", findings="台账缺失", inspected_on=YESTERDAY)
    with pytest.raises(QingdanError, match="须晚于检查日期"):
        tasks.record_result(
            actor, task, result="rectify", findings="台账缺失", inspected_on=YESTERDAY, rectify_due=YESTERDAY
        )
    with pytest.raises(QingdanError, match="请填写检查情况"):
        tasks.record_result(
            actor, task, result="rectify", findings=" ", inspected_on=YESTERDAY, rectify_due=END
        )
    due = TODAY + dt.timedelta(days=15)
    tasks.record_result(
        actor, task, result="责令整改", findings="台账缺失", inspected_on=YESTERDAY, rectify_due=due
    )
    task.refresh_from_db()
    assert (task.state, task.result, task.rectify_due) == ("rectifying", "rectify", due)
    tasks.confirm_rectified(actor, task, on=TODAY, note="已补齐台账")
    task.refresh_from_db()
    assert task.state == "done" and task.rectified_on == TODAY
    assert task.findings.endswith(f"整改复查（{TODAY:%Y-%m-%d}）：已补齐台账")
    assert tasks.rectify_state(task) == f"已整改（{TODAY:%Y-%m-%d}）"


def test_refer_opens_a_random_case_with_the_task_as_its_source():
    team, plan = drawn_plan()
    task = first_task(plan)
    inspector = split(team, task)[0][0]
    with pytest.raises(QingdanError, match="请填写案由"):
        tasks.record_result(
            team.actor(inspector), task, result="refer", findings="无证经营", inspected_on=YESTERDAY
        )
    assert PenaltyCase.objects.count() == 0  # nothing half-written
    tasks.record_result(
        team.actor(inspector),
        task,
        result="移交立案",
        findings="超范围开展技术转移服务",
        inspected_on=YESTERDAY,
        title="超范围开展技术转移服务",
    )
    task.refresh_from_db()
    case = task.case
    assert task.state == "done" and case is not None
    assert (case.source, case.source_ref, case.occurred_on) == (
        "random",
        f"inspection-task:{task.pk}",
        YESTERDAY,
    )
    assert plan.number in case.source_detail and "超范围" in case.source_detail
    assert (case.party_kind, case.party_name, case.party_id_number) == (
        "organisation",
        task.member.name,
        task.member.uscc,
    )
    drawn = set(task.inspectors.values_list("officer_id", flat=True))
    assert set(case.officers.values_list("officer_id", flat=True)) == drawn
    assert list(case.inspection_tasks.all()) == [task]  # visible from the case
    assert case.deadlines.filter(rule="inspection-publication").count() == 0  # the task's, not the case's
    assert deadline_of(task).case is None


def test_refer_after_the_rectification_deadline_says_why():
    team, plan = drawn_plan(start=TODAY - dt.timedelta(days=60))
    task = first_task(plan)
    actor = team.actor(split(team, task)[0][0])
    inspected, due = TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=10)
    tasks.record_result(
        actor, task, result="rectify", findings="未建立台账", inspected_on=inspected, rectify_due=due
    )
    assert list(tasks.overdue_rectifications()) == [task]
    assert list(tasks.overdue_rectifications(officers=[team.officers[split(team, task)[1][0]].pk])) == []
    task.refresh_from_db()
    assert tasks.rectify_state(task) == f"整改期限 {due:%Y-%m-%d} 已过，待复查"
    assert tasks.task_json(task)["rectify_overdue"] is True
    with pytest.raises(QingdanError, match="请填写案由"):
        tasks.refer(actor, task, on=TODAY, title="")
    tasks.refer(actor, task, on=TODAY, title="逾期未建立技术合同登记台账")
    task.refresh_from_db()
    assert task.state == "done" and task.case.source == "random"
    assert task.case.source_detail.startswith(f"双随机抽查 {plan.number}")
    assert "逾期未整改" in task.case.source_detail
    assert tasks.rectify_state(task) == "逾期未整改，已移交立案"
    assert list(tasks.overdue_rectifications()) == []


def test_only_a_drawn_certified_inspector_records_within_the_period():
    team, plan = drawn_plan()
    task = first_task(plan)
    drawn, others = split(team, task)
    kwargs = {"result": "none_found", "findings": "正常", "inspected_on": YESTERDAY}
    with pytest.raises(PermissionDenied, match="不是本检查任务抽中的检查人员"):
        tasks.record_result(team.actor(others[0]), task, **kwargs)
    for lead in ("head", "unithead"):
        with pytest.raises(PermissionDenied):
            tasks.record_result(team.actor(lead), task, **kwargs)
    with pytest.raises(QingdanError, match="不在计划的抽查期间"):
        tasks.record_result(
            team.actor(drawn[0]), task, **{**kwargs, "inspected_on": START - dt.timedelta(days=1)}
        )
    with pytest.raises(QingdanError, match="晚于今天"):
        tasks.record_result(
            team.actor(drawn[0]), task, **{**kwargs, "inspected_on": TODAY + dt.timedelta(days=1)}
        )
    officer = team.officers[drawn[0]]
    officer.valid_until = YESTERDAY - dt.timedelta(days=1)
    officer.save()
    with pytest.raises(QingdanError, match=f"执法人员{officer.name}不能从事执法活动"):
        tasks.record_result(team.actor(drawn[0]), task, **kwargs)
    task.refresh_from_db()
    assert task.state == "assigned" and not CaseDeadline.objects.exists()


def test_publication_deadline_is_20_working_days_on_the_official_calendar(monkeypatch):
    """Recorded on 2026-09-29: the 国庆 holiday (10-01..10-07) is skipped and the 调休 Saturday
    10-10 counts, so the twentieth working day is 2026-11-02 (a naive Mon–Fri count: 10-27)."""
    from qingdan.core import outbox
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.deadlines import calendars
    from qingdan.deadlines.services import set_day

    day = dt.date(2026, 9, 29)
    assert calendars.current().due(day, 20, "working").date == dt.date(2026, 11, 2)
    team, plan = drawn_plan(start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31))
    first, second = plan.tasks.order_by("order")[:2]
    monkeypatch.setattr(tasks, "_today", lambda: day)
    for task in (first, second):
        tasks.record_result(
            team.actor(split(team, task)[0][0]), task, result="none_found", findings="正常", inspected_on=day
        )
    assert deadline_of(first).due == dt.date(2026, 11, 2)
    # a calendar change moves it: the deadline engine's recompute covers department deadlines
    set_day(COMMAND_LINE, dt.date(2026, 10, 30), "holiday", "临时休息")
    outbox.settle()  # the worker's recompute after a calendar change (cases.deadlines.recompute_open)
    assert deadline_of(first).due == dt.date(2026, 11, 3)
    # published on the due day: met
    monkeypatch.setattr(tasks, "_today", lambda: TODAY)
    tasks.publish_results(team.actor("head"), plan, on=dt.date(2026, 11, 3))
    first.refresh_from_db()
    assert first.published_on == dt.date(2026, 11, 3)
    met = deadline_of(first)
    assert (met.status, met.done_on) == ("met", dt.date(2026, 11, 3))


def test_publishing_late_misses_the_deadline_and_only_a_lead_publishes(monkeypatch):
    team, plan = drawn_plan(start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31))
    task = first_task(plan)
    monkeypatch.setattr(tasks, "_today", lambda: dt.date(2026, 9, 29))
    tasks.record_result(
        team.actor(split(team, task)[0][0]),
        task,
        result="none_found",
        findings="正常",
        inspected_on=dt.date(2026, 9, 28),
    )
    monkeypatch.setattr(tasks, "_today", lambda: TODAY)
    with pytest.raises(PermissionDenied, match="只有"):
        tasks.publish_results(team.actor("zhang"), plan)
    published = tasks.publish_results(team.actor("unithead"), plan, on=dt.date(2026, 11, 4))
    assert [t.pk for t in published] == [task.pk]
    missed = deadline_of(task)
    assert (missed.status, missed.due, missed.done_on) == (
        "missed",
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 4),
    )
    with pytest.raises(QingdanError, match="没有待公示的检查结果"):
        tasks.publish_results(team.actor("head"), plan)
    rows = list(tasks.published(team.department.pk))
    assert [tasks.published_json(r)["result_label"] for r in rows] == ["未发现问题"]
    assert "findings" not in tasks.published_json(rows[0])


def test_burden_flags_two_departments_plans_in_one_month():
    from qingdan.inspection import plans

    team, _ = drawn_plan(5, ratios="1")  # all five drawn
    other, item = second_department(team, 3)
    lead = team.actor("sc_head")
    second = plans.create_plan(lead, other, item=item, period_start=START, period_end=END, ratios="1")
    plans.commit(lead, second, seed_source="福彩3D", draw_on=TODAY)
    plans.run(lead, second, seed="517")
    rows = {r["uscc"]: r for r in tasks.burden(TODAY.year)}
    month = f"{TODAY:%Y-%m}"
    both = rows[uscc(1)]
    assert (both["times"], both["same_month"], both["flag"]) == (2, [month], "同月多部门检查")
    assert both["departments"] == [team.department.name, OTHER]
    once = rows[uscc(5)]
    assert (once["times"], once["same_month"], once["flag"]) == (1, [], "")
    assert [r["uscc"] for r in tasks.burden(TODAY.year)][:3] == sorted(uscc(n) for n in (1, 2, 3))
    assert tasks.burden(TODAY.year - 1) == []


def test_burden_does_not_flag_a_joint_plan():
    from qingdan.inspection import plans
    from tests.inspection_setup import make_inspection

    team, item = make_inspection(4)
    _, other_item = second_department(team, 4)
    head = team.actor("head")
    plan = plans.create_plan(head, team.department, item=item, period_start=START, period_end=END, ratios="1")
    plans.join_plan(team.actor("sc_head"), plan, item=other_item)
    plans.commit(head, plan, seed_source="福彩3D", draw_on=TODAY)
    plans.run(head, plan, seed="1")
    rows = tasks.burden(TODAY.year)
    assert len(rows) == 4
    assert all(r["times"] == 1 and r["flag"] == "" for r in rows)
    assert rows[0]["departments"] == [team.department.name, OTHER]
    # an inspector of the joining department records the result for the joint visit
    task = first_task(plan)
    tasks.record_result(
        team.actor("sc_a"), task, result="none_found", findings="联合检查未发现问题", inspected_on=TODAY
    )
    assert InspectionTask.objects.get(pk=task.pk).state == "done"


# --- the command line, the API, the pages --------------------------------------------------


def cli(*args: str, user: str = ""):
    return CliRunner().invoke(main, [*(["--user", user] if user else []), *args])


def test_the_command_line_records_lists_publishes_and_counts():
    team, plan = drawn_plan()
    task = first_task(plan)
    drawn, others = split(team, task)
    mine = cli("inspection", "tasks", "--json", user=drawn[0])
    assert mine.exit_code == 0, mine.output
    listed = json.loads(mine.output)
    assert task.pk in [t["id"] for t in listed["tasks"]] and listed["page"] == 1
    refused = cli(
        "inspection", "result", str(task.pk), "--result", "未发现问题", "--findings", "正常", user=others[0]
    )
    assert refused.exit_code == 1 and "不是本检查任务抽中的检查人员" in refused.output
    assert "Traceback" not in refused.output
    no_due = cli(
        "inspection", "result", str(task.pk), "--result", "责令整改", "--findings", "缺台账", user=drawn[0]
    )
    assert no_due.exit_code == 1 and "须写明整改期限" in no_due.output
    bad_day = cli(
        "inspection",
        "result",
        str(task.pk),
        "--result",
        "rectify",
        "--findings",
        "缺台账",
        "--due",
        "明天",
        user=drawn[0],
    )
    assert (bad_day.exit_code == 1 and "「--due」" in bad_day.output) or "不是日期" in bad_day.output
    due = (TODAY + dt.timedelta(days=10)).isoformat()
    ok = cli(
        "inspection",
        "result",
        str(task.pk),
        "--result",
        "责令整改",
        "--findings",
        "缺台账",
        "--due",
        due,
        user=drawn[0],
    )
    assert ok.exit_code == 0 and "责令整改" in ok.output
    shown = json.loads(cli("inspection", "show", str(task.pk), "--json", user="head").output)
    assert (shown["state"], shown["rectify_due"], shown["publication_deadline"]["status"]) == (
        "rectifying",
        due,
        "open",
    )
    referred = cli("inspection", "refer", str(task.pk), "--title", "拒不整改", user=drawn[0])
    assert referred.exit_code == 0, referred.output
    task.refresh_from_db()
    assert f"案件 {task.case_id}" in referred.output and task.case.title == "拒不整改"
    by_plan = json.loads(cli("inspection", "tasks", plan.number, "--json", user="head").output)
    assert by_plan["count"] == plan.tasks.count() and by_plan["tasks"][-1]["id"] == task.pk  # done last
    assert cli("inspection", "publish", plan.number, user=drawn[0]).exit_code == 1
    published = cli("inspection", "publish", plan.number, user="head")
    assert published.exit_code == 0 and "已公示 1 项" in published.output
    burden = json.loads(cli("inspection", "burden", "--json", user="head").output)
    assert burden["count"] == plan.tasks.count() and burden["enterprises"][0]["times"] == 1
    assert cli("inspection", "show", "999999", user="head").output.startswith(
        "错误：没有编号为 999999 的检查任务"
    )


def test_the_api_takes_the_same_steps_and_the_portal_publishes_results():
    from qingdan.core.accounts import create_token
    from qingdan.core.permissions import COMMAND_LINE

    team, plan = drawn_plan()
    task = first_task(plan)
    drawn, others = split(team, task)
    client = Client()

    def auth(user: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {create_token(COMMAND_LINE, user)}"}

    body = {"result": "none_found", "findings": "正常", "inspected_on": YESTERDAY.isoformat()}
    url = f"/api/v1/inspection/tasks/{task.pk}/result"
    refused = client.post(url, json.dumps(body), content_type="application/json", **auth(others[0]))
    assert refused.status_code == 403 and "不是本检查任务抽中的检查人员" in refused.json()["error"]["message"]
    bad = client.post(
        url, json.dumps({**body, "result": "合格"}), content_type="application/json", **auth(drawn[0])
    )
    assert bad.status_code == 400 and "无法识别" in bad.json()["error"]["message"]
    done = client.post(url, json.dumps(body), content_type="application/json", **auth(drawn[0]))
    assert done.status_code == 200 and done.json()["state"] == "done"
    mine = client.get("/api/v1/inspection/tasks?mine=true", **auth(drawn[0])).json()
    assert mine["tasks"][-1]["id"] == task.pk
    assert (
        client.get(f"/api/v1/inspection/tasks?plan={plan.pk}", **auth("head")).json()["count"]
        == plan.tasks.count()
    )
    publish = f"/api/v1/inspection/plans/{plan.pk}/publish-results"
    assert client.post(publish, "{}", content_type="application/json", **auth(drawn[0])).status_code == 403
    assert (
        client.post(publish, "{}", content_type="application/json", **auth("head")).json()["published"] == 1
    )
    results = client.get(f"/api/v1/departments/{team.department.pk}/inspection-results").json()
    assert results["count"] == 1
    row = results["results"][0]
    assert (row["uscc"], row["result_label"], row["published_on"]) == (
        task.member.uscc,
        "未发现问题",
        TODAY.isoformat(),
    )
    assert "findings" not in row
    burden = client.get("/api/v1/inspection/burden", **auth("head")).json()
    assert burden["count"] == plan.tasks.count()
    page = client.get(f"/d/{team.department.pk}/inspection/results/").content.decode()
    assert task.member.uscc in page and "未发现问题" in page and "正常" not in page


def test_the_pages_show_the_task_take_the_forms_and_link_the_desk():
    team, plan = drawn_plan()
    task = first_task(plan)
    drawn = split(team, task)[0]
    client = Client()
    client.force_login(team.users[drawn[0]])
    listed = client.get("/work/inspection/tasks/").content.decode()
    assert f'id="task-{task.pk}"' in listed and task.member.name in listed
    url = f"/work/inspection/tasks/{task.pk}/"
    assert 'name="form" value="result"' in client.get(url).content.decode()
    due = (TODAY - dt.timedelta(days=1)).isoformat()
    early = (TODAY - dt.timedelta(days=5)).isoformat()
    refused = client.post(
        url, {"form": "result", "result": "rectify", "findings": "缺台账", "inspected_on": "2026-02-30"}
    )
    assert (
        refused.status_code == 400
        and "不是日期" in refused.content.decode()
        and "缺台账" in refused.content.decode()
    )
    posted = client.post(
        url,
        {
            "form": "result",
            "result": "rectify",
            "findings": "缺台账",
            "inspected_on": early,
            "rectify_due": due,
        },
    )
    assert posted.status_code == 302
    listed = client.get("/work/inspection/tasks/").content.decode()
    assert "整改逾期" in listed
    desk = client.get("/work/").content.decode()
    assert "其中整改逾期 1 项" in desk and f'href="/work/inspection/tasks/{task.pk}/"' in desk
    detail = client.get(url).content.decode()
    assert 'value="rectified"' in detail and 'value="refer"' in detail and "整改逾期" in detail
    client.post(url, {"form": "refer", "title": "逾期未整改"})
    task.refresh_from_db()
    assert task.case is not None
    assert f"/work/cases/{task.case_id}/" in client.get(url).content.decode()
    case_page = client.get(f"/work/cases/{task.case_id}/").content.decode()
    assert f'href="/work/inspection/tasks/{task.pk}/"' in case_page
    # someone who is neither drawn nor staff of the department may not see it
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Department
    from qingdan.core.permissions import COMMAND_LINE

    stranger_dept = Department.objects.create(jurisdiction=team.department.jurisdiction, name="某某局")
    create_user(COMMAND_LINE, "stranger", "filler", stranger_dept, None, password="pw-stranger-2026")
    outsider = Client()
    outsider.force_login(team.users[drawn[0]].__class__.objects.get(username="stranger"))
    assert outsider.get(url).status_code == 403
    assert outsider.get(f"/work/inspection/tasks/?plan={plan.pk}").status_code == 403
    # the lead sees the publication deadline on the desk, linked to the task, and publishes
    lead = Client()
    lead.force_login(team.users["unithead"])
    desk = lead.get("/work/", {"soon_page": 1}).content.decode()
    assert "检查结果公示" not in desk  # due in 20 working days: not within the week yet
    CaseDeadline.objects.filter(subject=f"inspection-task:{task.pk}").update(due=TODAY - dt.timedelta(days=1))
    desk = lead.get("/work/").content.decode()
    assert f'href="/work/inspection/tasks/{task.pk}/"' in desk and f"检查结果公示：{task.member.name}" in desk
    tasks_page = lead.get("/work/inspection/tasks/").content.decode()
    assert f'id="waiting-{plan.pk}"' in tasks_page
    by_plan = lead.get(f"/work/inspection/tasks/?plan={plan.pk}").content.decode()
    assert (
        by_plan.count('<tr id="task-') == plan.tasks.count() and 'class="overdue"' not in by_plan
    )  # referred
    lead.post(f"/work/inspection/plans/{plan.pk}/publish-results/", {"next": "/work/inspection/tasks/"})
    assert deadline_of(task).status == "missed"
    burden = lead.get("/work/inspection/burden/").content.decode()
    assert task.member.uscc in burden
