"""A department ready for 双随机抽查: the case team of tests/case_team.py (鹿泉区工业和信息化局,
three certified officers and the lead roles), a published 随机抽查事项清单 with one item at 20 %,
and a 名录库 of inspectees with valid 统一社会信用代码. Shared by the inspection tests."""

from __future__ import annotations

from typing import Any

from tests.case_team import Team, make_team

RISKS = "ABCD"


def uscc(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100) numbered ``n``: 91 (企业) + 130185 (鹿泉区) + 9 digits + check."""
    from stdnum.cn import uscc as code

    body = f"91130185{n:09d}"
    return body + code.calc_check_digit(body)


def publish_item(team: Team, *, name: str = "技术转移机构监管", ratio: str = "0.2") -> Any:
    from qingdan.inspection.models import InspectionItem, ItemCatalog

    catalog = ItemCatalog.objects.create(department=team.department, number=1, state=ItemCatalog.PUBLISHED)
    return InspectionItem.objects.create(
        catalog=catalog,
        position=1,
        name=name,
        targets="经河北省科技厅审核通过的技术转移机构",
        methods="抽查（每年一次，抽查面为20%）",
        ratio=ratio,
        frequency="每年一次",
        per_year=1,
        source=InspectionItem.REGIME,
    )


def fill_pool(team: Team, size: int = 40) -> list[Any]:
    from qingdan.inspection.models import Inspectee

    return list(
        Inspectee.objects.bulk_create(
            [
                Inspectee(
                    department=team.department,
                    uscc=uscc(n),
                    name=f"鹿泉第{n}科技有限公司",
                    industry="科技服务业",
                    risk=RISKS[n % 4],
                    category=Inspectee.KEY if n % 5 == 0 else Inspectee.GENERAL,
                )
                for n in range(1, size + 1)
            ]
        )
    )


def make_inspection(size: int = 40) -> tuple[Team, Any]:
    team = make_team()
    item = publish_item(team)
    fill_pool(team, size)
    return team, item
