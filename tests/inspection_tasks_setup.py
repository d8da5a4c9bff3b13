"""A drawn 抽查计划 ready for results: the department of tests/inspection_setup.py, a plan over the
last and the next months, committed and drawn today; and a second department of the same district
with its own officers, lead and 名录库 (the same enterprises), for 联合抽查 and the burden."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.case_team import Team
from tests.inspection_setup import make_inspection, uscc

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=60)
END = TODAY + dt.timedelta(days=60)
OFFICERS = ("zhang", "li", "wang")  # the team's accounts acting as 执法人员
OTHER = "石家庄市鹿泉区市场监督管理局"


def drawn_plan(
    size: int = 20, *, ratios: str = "", start: dt.date = START, end: dt.date = END
) -> tuple[Team, Any]:
    from qingdan.inspection import plans

    team, item = make_inspection(size)
    head = team.actor("head")
    plan = plans.create_plan(
        head, team.department, item=item, period_start=start, period_end=end, ratios=ratios
    )
    plans.commit(head, plan, seed_source="公开抽取会现场宣布的六位数", draw_on=TODAY)
    plans.run(head, plan, seed="382915")
    return team, plan


def split(team: Team, task: Any) -> tuple[list[str], list[str]]:
    """(the team's officer accounts drawn for ``task``, those not drawn)."""
    drawn = set(task.inspectors.values_list("officer_id", flat=True))
    return (
        [u for u in OFFICERS if team.officers[u].pk in drawn],
        [u for u in OFFICERS if team.officers[u].pk not in drawn],
    )


def second_department(team: Team, size: int) -> Any:
    """市场监督管理局: two certified officers (accounts sc_a, sc_b), a head (sc_head), a published
    item, and a 名录库 holding the first ``size`` enterprises of the team's pool."""
    from django.contrib.auth import get_user_model

    from qingdan.cases.roles import assign_role
    from qingdan.core.accounts import create_user
    from qingdan.core.models import Department
    from qingdan.core.permissions import COMMAND_LINE
    from qingdan.enforcement.models import Officer
    from qingdan.inspection.models import Inspectee, InspectionItem, ItemCatalog

    other = Department.objects.create(jurisdiction=team.department.jurisdiction, name=OTHER)
    users = get_user_model().objects
    for n, username in enumerate(("sc_a", "sc_b", "sc_head"), 1):
        create_user(
            COMMAND_LINE, username, "filler", other, None, password="pw-sc-2026-xyz", full_name=username
        )
        officer = None
        if username != "sc_head":
            officer = Officer.objects.create(
                department=other,
                name=f"市场{n}",
                unit="执法大队",
                certificate_number=f"13018590{n:03d}",
                valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2030, 12, 31),
            )
        role = "head" if username == "sc_head" else "officer"
        assign_role(COMMAND_LINE, other, users.get(username=username), role, officer=officer)
    catalog = ItemCatalog.objects.create(department=other, number=1, state=ItemCatalog.PUBLISHED)
    item = InspectionItem.objects.create(catalog=catalog, position=1, name="企业公示信息抽查", ratio="1")
    Inspectee.objects.bulk_create(
        [
            Inspectee(department=other, uscc=uscc(n), name=f"鹿泉第{n}科技有限公司", risk="A")
            for n in range(1, size + 1)
        ]
    )
    return other, item
