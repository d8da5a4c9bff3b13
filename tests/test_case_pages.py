"""The case pages through Django's test client: who sees a department's cases, the list's filters
and pages, a case's header, timeline, deadlines and evidence, which move forms each case role is
offered, refusals in Chinese on the form, and the 工作台's 期限 block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qingdan.cases.models import CaseAction, CaseDeadline, Evidence
from tests.case_people import make_bureau, make_case, make_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return make_bureau()


def as_user(bureau, username: str) -> Client:
    client = Client()
    client.force_login(bureau["users"][username])
    return client


def today() -> dt.date:
    return timezone.localdate()


def test_it_shows_the_department_cases_to_its_case_roles_only(bureau):
    case = make_case(bureau)
    url = f"/work/cases/d/{bureau['department'].pk}/"
    for username in ("zhang", "wang", "unithead", "deputy", "head", "legal"):
        page = as_user(bureau, username).get(url)
        assert page.status_code == 200, username
        assert case.party_name in page.content.decode()
    refused = as_user(bureau, "outsider").get(url)
    assert refused.status_code == 403
    assert "无权查看石家庄市鹿泉区工业和信息化局的行政处罚案件" in refused.content.decode()
    assert as_user(bureau, "outsider").get(f"/work/cases/{case.pk}/").status_code == 403
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page


def test_the_index_goes_straight_to_the_only_department(bureau):
    response = as_user(bureau, "zhang").get("/work/cases/")
    assert response.status_code == 302 and response["Location"] == f"/work/cases/d/{bureau['department'].pk}/"


def test_the_list_filters_by_stage_unit_zhangnd_overdue(bureau):
    late = make_case(bureau, title="逾期的案件", stage="investigating", number="鹿工信罚〔2026〕1号")
    make_deadline(late, today() - dt.timedelta(days=3))
    other = make_case(bureau, title="另一科室的案件", unit="综合科", officers=("wang",))
    make_deadline(other, today() + dt.timedelta(days=30))
    client = as_user(bureau, "head")
    url = f"/work/cases/d/{bureau['department'].pk}/"

    def titles(**query: str) -> set[str]:
        page = client.get(url, query).content.decode()
        return {t for t in ("逾期的案件", "另一科室的案件") if t in page}

    assert titles() == {"逾期的案件", "另一科室的案件"}
    assert titles(stage="investigating") == {"逾期的案件"}
    assert titles(stage="discovered") == {"另一科室的案件"}
    assert titles(unit="综合科") == {"另一科室的案件"}
    assert titles(officer=str(bureau["officers"]["wang"].pk)) == {"另一科室的案件"}
    assert titles(overdue="1") == {"逾期的案件"}
    assert "已逾期" in client.get(url, {"overdue": "1"}).content.decode()


def test_the_list_is_paged(bureau):
    for n in range(53):
        make_case(bureau, title=f"案件{n:02d}", officers=())
    client = as_user(bureau, "head")
    url = f"/work/cases/d/{bureau['department'].pk}/"
    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    assert "第 1 / 2 页" in first and "共 53 项" in first
    assert first.count('<tr id="case-') == 50 and second.count('<tr id="case-') == 3


def test_a_case_page_shows_header_timeline_deadlines_and_evidence(bureau):
    case = make_case(bureau, stage="investigating", number="鹿工信罚〔2026〕3号")
    CaseAction.objects.create(
        case=case,
        move="review_filing",
        stage_before="filing",
        stage_after="filing",
        role="unit_head",
        actor_name="赵科长",
        opinion="事实清楚，建议立案",
        outcome="agree",
        on=dt.date(2026, 11, 4),
    )
    make_deadline(case, today() - dt.timedelta(days=2), label="作出处罚决定")
    make_deadline(
        case,
        dt.date(2027, 1, 12),
        label="先行登记保存处理决定",
        basis="《中华人民共和国行政处罚法》第五十六条",
        uncertain=True,
        warnings=["2027 年的节假日安排尚未公布，到期日按周末推算"],
        unit="working",
    )
    Evidence.objects.create(
        case=case,
        position=1,
        kind="documentary",
        title="统计报表",
        collected_on=dt.date(2026, 11, 5),
        file_name="报表.pdf",
        size=1234,
        sha256="a" * 64,
        added_by_name="张明",
    )
    page = as_user(bureau, "deputy").get(f"/work/cases/{case.pk}/").content.decode()
    assert "鹿工信罚〔2026〕3号" in page and "鹿泉某机械制造有限公司" in page and "调查取证" in page
    assert "张伟（承办人员）" in page and "李娜（承办人员）" in page
    assert (
        "立案审核" in page and "执法科室负责人" in page and "赵科长" in page and "事实清楚，建议立案" in page
    )
    assert "已逾期 2 天" in page and "第六十条" in page
    assert "不确定" in page and "2027 年的节假日安排尚未公布" in page and "第五十六条" in page
    assert "a" * 64 in page and "报表.pdf" in page


def forms_on(bureau, username: str, case) -> set[str]:
    page = as_user(bureau, username).get(f"/work/cases/{case.pk}/").content.decode()
    return {
        move
        for move in ("submit_filing", "review_filing", "approve_filing", "legal_review", "decide")
        if f'id="move-{move}"' in page
    }


def test_each_role_is_offered_only_its_own_moves(bureau):
    lead = make_case(bureau)
    assert "submit_filing" in forms_on(bureau, "zhang", lead)
    assert forms_on(bureau, "wang", lead) == set()  # an officer not on the case
    assert forms_on(bureau, "unithead", lead) == set()
    filing = make_case(bureau, stage="filing")
    assert forms_on(bureau, "unithead", filing) == {"review_filing"}
    assert forms_on(bureau, "head", filing) == {"approve_filing"}
    assert forms_on(bureau, "zhang", filing) == set()
    deciding = make_case(bureau, stage="deciding")
    assert forms_on(bureau, "legal", deciding) == {"legal_review"}
    assert forms_on(bureau, "head", deciding) == {"decide"}


def test_a_bad_value_is_refused_in_chinese_on_its_form_and_nothing_is_written(bureau):
    case = make_case(bureau)
    client = as_user(bureau, "zhang")
    before = CaseAction.objects.count()
    response = client.post(
        f"/work/cases/{case.pk}/record_inspection",
        {"on": "去年", "record": "现场"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "参数「on」（办理日期）：「去年」不是日期" in page
    assert (
        'id="move-record_inspection" open' in page and "现场</textarea>" in page
    )  # the form keeps what was typed
    assert CaseAction.objects.count() == before


def test_an_officer_of_another_department_cannot_be_put_on_a_case(bureau):
    from qingdan.enforcement.models import Officer

    stranger = Officer.objects.create(department=bureau["other"], name="外人", certificate_number="X1")
    case = make_case(bureau)
    response = as_user(bureau, "zhang").post(
        f"/work/cases/{case.pk}/submit_filing", {"handlers": [str(stranger.pk)], "facts": "未报送"}
    )
    assert response.status_code == 400
    assert (
        f"参数「handlers」（承办人员）：{bureau['department']}没有执法人员「{stranger.pk}」"
        in response.content.decode()
    )


def test_a_get_never_writes(bureau):
    case = make_case(bureau, stage="filing")
    client = as_user(bureau, "head")
    client.get(f"/work/cases/{case.pk}/approve_filing")
    case.refresh_from_db()
    assert case.stage == "filing" and not CaseAction.objects.exists()


def desk(bureau, username: str, **query: str) -> str:
    return as_user(bureau, username).get("/work/", query).content.decode()


def test_the_desk_shows_each_person_the_deadlines_they_answer_for(bureau):
    mine = make_case(bureau, title="我承办的案件")
    make_deadline(mine, today() - dt.timedelta(days=1), label="立案审批")
    make_deadline(mine, today() + dt.timedelta(days=3), label="陈述申辩期满")
    make_deadline(mine, today() + dt.timedelta(days=20), label="远期事项")
    theirs = make_case(bureau, title="综合科的案件", unit="综合科", officers=("wang",))
    make_deadline(theirs, today() + dt.timedelta(days=2), label="送达决定书")
    done = make_deadline(mine, today() - dt.timedelta(days=9), label="已办结事项", status=CaseDeadline.MET)

    officer = desk(bureau, "zhang")
    assert "已逾期（1 项）" in officer and "立案审批" in officer
    assert "7 日内到期（1 项）" in officer and "陈述申辩期满" in officer
    assert "远期事项" not in officer and "送达决定书" not in officer and done.label not in officer
    unit_head = desk(bureau, "unithead")
    assert "陈述申辩期满" in unit_head and "送达决定书" not in unit_head  # 综合科 is not their unit
    head = desk(bureau, "head")
    assert "陈述申辩期满" in head and "送达决定书" in head and "7 日内到期（2 项）" in head
    assert f'href="/work/cases/{mine.pk}/"' in head
    outsider = desk(bureau, "outsider")  # head of another department: nothing of this one
    assert "已逾期（0 项）" in outsider and "陈述申辩期满" not in outsider and "立案审批" not in outsider


def test_the_desk_deadlines_are_paged(bureau):
    case = make_case(bureau)
    for n in range(23):
        make_deadline(case, today() - dt.timedelta(days=n + 1), label=f"逾期事项{n:02d}")
    first = desk(bureau, "head")
    assert "已逾期（23 项）" in first and "第 1 / 2 页" in first and "late_page=2" in first
    second = desk(bureau, "head", late_page="2")
    assert "逾期事项00" in second and "逾期事项22" not in second  # oldest first: 22 on page one


def test_only_an_officer_opens_a_case_and_a_refusal_keeps_the_form(bureau):
    from qingdan.cases.models import PenaltyCase

    url = f"/work/cases/d/{bureau['department'].pk}/new"
    form = {
        "title": "无证经营",
        "source": "complaint",
        "occurred_on": "2026-11-20",
        "procedure_kind": "general",
        "party_kind": "person",
        "party_name": "刘某",
        "inspectors": [str(bureau["officers"]["zhang"].pk), str(bureau["officers"]["li"].pk)],
    }
    refused = as_user(bureau, "head").post(url, form)
    assert refused.status_code == 400 and "执法人员" in refused.content.decode()
    assert 'value="无证经营"' in refused.content.decode()  # what was typed comes back
    assert not PenaltyCase.objects.exists()
    one = as_user(bureau, "zhang").post(url, {**form, "inspectors": [str(bureau["officers"]["zhang"].pk)]})
    assert one.status_code == 400 and not PenaltyCase.objects.exists()  # one inspector is not enough
    opened = as_user(bureau, "zhang").post(url, form)
    assert opened.status_code == 302
    case = PenaltyCase.objects.get()
    assert opened["Location"] == f"/work/cases/{case.pk}/" and case.party_name == "刘某"


def test_every_step_has_a_form_whose_fields_are_the_step_s_parameters():
    """The forms and ``cases/steps.py`` (the way in for the CLI and the API) name the same
    parameters; a required parameter is a required field; only the evidence file travels apart."""
    from qingdan.cases.forms import FORMS
    from qingdan.cases.steps import STEPS

    assert set(FORMS) == set(STEPS)
    for move, fields in FORMS.items():
        names = {f.name for f in fields if f.kind != "file"}
        assert names == set(STEPS[move].params), move
        required = {f.name for f in fields if f.required}
        assert STEPS[move].required <= required, move
