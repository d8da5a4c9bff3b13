"""抽查计划 and the draw ``qingdan-draw/1``: the algorithm against hand-computed hashes, and the
plan's steps — commit freezes and publishes, the draw runs once with its seed, tampering shows."""

from __future__ import annotations

import datetime as dt
import hashlib
from fractions import Fraction

import pytest

from qingdan.errors import QingdanError
from qingdan.inspection import draw
from tests.inspection_setup import make_inspection, uscc

TODAY = dt.date.today()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_population_hash_is_the_sorted_lines():
    pairs = [("B", "2"), ("A", "9"), ("A", "1")]
    assert draw.population_sha256(pairs) == sha("A\t1\nA\t9\nB\t2")


def test_selection_takes_the_smallest_tickets_and_rounds_up_exactly():
    ids = [str(n) for n in range(30)]
    picked = draw.select("12345", "all", Fraction("0.1"), ids)
    assert len(picked) == 3  # 0.1 × 30 is exactly 3, not 3.0000000000000004 → 4
    tickets = sorted((sha(f"12345\nall\n{i}"), i) for i in ids)
    assert picked == tickets[:3]
    assert len(draw.select("1", "all", Fraction("0.2"), ids[:6])) == 2  # ceil(1.2)


def test_ratio_forms():
    assert draw.ratio_of("20%") == Fraction(1, 5) == draw.ratio_of("0.2")
    assert draw.ratio_text(Fraction(1, 20)) == "0.05"
    for bad in ("abc", "1.5", "-0.1"):
        with pytest.raises(QingdanError):
            draw.ratio_of(bad)


def test_inspectors_skip_declared_conflicts():
    pool = draw.Pool("局", 2, ["a", "b", "c"], {("a", "X")})
    assert "a" not in draw.assign("s", "X", [pool])
    assert len(draw.assign("s", "Y", [pool])) == 2


@pytest.mark.django_db
def test_commit_then_draw_then_verify():
    from qingdan.inspection import plans
    from qingdan.inspection.models import InspectionTask, PlanMember

    team, item = make_inspection(40)
    head = team.actor("head")
    plan = plans.create_plan(
        head, team.department, item=item, period_start=TODAY, period_end=TODAY + dt.timedelta(days=90)
    )
    assert plan.ratios == {"all": "0.2"}  # the item's own 20 %
    with pytest.raises(QingdanError, match="尚未公布"):
        plans.run(head, plan, seed="1")
    plans.commit(head, plan, seed_source="2026年12月6日公开抽取会现场宣布的六位数", draw_on=TODAY)
    plan.refresh_from_db()
    lines = sorted(f"all\t{uscc(n)}" for n in range(1, 41))
    assert plan.population_sha256 == sha("\n".join(lines))
    plans.run(head, plan, seed="382915")
    assert InspectionTask.objects.filter(plan=plan).count() == 8  # 20 % of 40
    with pytest.raises(QingdanError, match="不能用其他随机数重新抽取"):
        plans.run(head, plan, seed="999999")
    doc = plans.published(plan)
    assert draw.verify(doc) == [] and plans.verify_plan(plan) == []
    for assignment in doc["assignments"]:
        assert len(assignment["inspectors"]) == 2 and len(set(assignment["inspectors"])) == 2
    # a changed population after commit is detected
    member = PlanMember.objects.filter(plan=plan, task__isnull=True).first()
    member.uscc = uscc(999)
    member.save()
    assert any("摘要不符" in p for p in plans.verify_plan(plan))


@pytest.mark.django_db
def test_strata_by_risk_and_who_may():
    from qingdan.core.permissions import PermissionDenied
    from qingdan.inspection import plans

    team, item = make_inspection(40)
    with pytest.raises(PermissionDenied):
        plans.create_plan(
            team.actor("zhang"), team.department, item=item, period_start=TODAY, period_end=TODAY
        )
    plan = plans.create_plan(
        team.actor("unithead"),
        team.department,
        item=item,
        period_start=TODAY,
        period_end=TODAY,
        ratios="A=0.1,B=0.2,C=0.5,D=1",
    )
    assert plan.strata_by == "risk"
    plans.commit(team.actor("unithead"), plan, seed_source="福彩3D 第2026330期", draw_on=TODAY)
    plans.run(team.actor("unithead"), plan, seed="517")
    doc = plans.published(plan)
    sizes = {s["name"]: (len(s["population"]), len(s["selected"])) for s in doc["strata"]}
    assert sizes == {"A": (10, 1), "B": (10, 2), "C": (10, 5), "D": (10, 10)}
    with pytest.raises(QingdanError, match="无法识别"):
        plans.parse_ratios("A=0.1,重点=0.2")
