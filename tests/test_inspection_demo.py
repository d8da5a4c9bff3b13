"""``qingdan demo`` brings a 双随机抽查 to 青山县科学技术局: a published catalogue derived from its
list, 60 invented enterprises with valid 统一社会信用代码, one plan committed and drawn with the
seed 20261206 (the same draw on every run), and two results recorded by the officers."""

from __future__ import annotations

import hashlib
import math

import pytest
from click.testing import CliRunner
from stdnum.cn import uscc as code

from qingdan.cli import main

pytest.importorskip("qingdan.inspection.catalog", reason="随机抽查事项清单 (H1) is not on this branch yet")
pytest.importorskip("qingdan.inspection.pool", reason="检查对象名录库 (H2) is not on this branch yet")

RATIOS = {"A": 0.05, "B": 0.1, "C": 0.2, "D": 1}


def test_the_enterprises_are_fixed_and_valid():
    from qingdan.inspection import demo

    rows = demo.enterprises()
    assert len(rows) == 60 and len({r[0] for r in rows}) == 60 and len({r[1] for r in rows}) == 60
    assert all(code.is_valid(r[1]) and r[1].startswith("91130199") for r in rows)
    assert rows[0][:2] == ["青山县青岭电子科技有限公司", "911301990073000375"]
    assert demo.enterprises() == rows


@pytest.mark.django_db(transaction=True)
def test_the_demo_draws_a_plan_with_the_announced_seed():
    from qingdan.inspection import demo, plans
    from qingdan.inspection.models import InspectionPlan, InspectionTask, ItemCatalog

    result = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "演示双随机抽查（青山县科学技术局）" in result.output
    catalog = ItemCatalog.objects.get(department__name="青山县科学技术局", state=ItemCatalog.PUBLISHED)
    plan = InspectionPlan.objects.get()
    assert plan.item.catalog == catalog and plan.state == "drawn" and plan.seed == "20261206"
    lines = sorted(f"{r[4]}\t{r[1]}" for r in demo.enterprises())
    assert plan.population_sha256 == hashlib.sha256("\n".join(lines).encode()).hexdigest()
    sizes = {s: sum(1 for r in demo.enterprises() if r[4] == s) for s in RATIOS}
    assert sizes == {"A": 12, "B": 24, "C": 18, "D": 6}
    expected = sum(math.ceil(round(RATIOS[s] * n, 6)) for s, n in sizes.items())
    assert plan.tasks.count() == expected == 14
    assert plans.verify_plan(plan) == []
    assert InspectionTask.objects.exclude(result="").count() == 2
    # a second run leaves the demo as it is
    again = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert again.exit_code == 0 and InspectionPlan.objects.count() == 1
