"""The demo's 双随机抽查 (青山县科学技术局, fictional): its 随机抽查事项清单 derived from its list and
published, a 名录库 of 60 invented enterprises with valid 统一社会信用代码, one plan committed and
drawn with the seed 20261206, and a few results recorded — all through the same services as real
work, and the same on every run (the enterprises, the seed and hence the draw do not change)."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc as code

from qingdan.core.accounts import actor_named
from qingdan.core.models import Department
from qingdan.core.permissions import Actor
from qingdan.inspection import plans
from qingdan.inspection.models import InspectionItem, InspectionPlan, InspectionTask

SEED = "20261206"
SEED_SOURCE = "青山县科学技术局2026年度随机抽查公开抽取会现场宣布的八位数"
REGION = "130199"  # 青山县 is fictional: a code no real county uses
TOWNS = ["城关镇", "青山镇", "东阳镇", "柳河乡", "石门乡", "北岭镇"]
WORDS = ["青岭", "云帆", "禾丰", "智远", "华晟", "新源", "恒信", "博创", "绿洲", "瑞丰"]
KINDS = [
    ("电子科技有限公司", "科技推广和应用服务业"),
    ("生物科技有限公司", "科技推广和应用服务业"),
    ("农业科技有限公司", "农业科学研究和试验发展"),
    ("信息技术有限公司", "软件和信息技术服务业"),
    ("新材料有限公司", "科技推广和应用服务业"),
    ("技术转移服务中心", "科技推广和应用服务业"),
]
RISKS = "AABBBBCCCD"  # most enterprises are low or general risk, few high
SIZE = 60
HEADER = ["名称", "统一社会信用代码", "地址", "行业", "风险等级", "监管类别"]


def uscc(n: int) -> str:
    """The ``n``-th demo enterprise's 统一社会信用代码: 91 (企业) + region + 9 digits + GB 32100 check."""
    body = f"91{REGION}{7300000 + n * 37:09d}"
    return body + code.calc_check_digit(body)


def enterprises() -> list[list[str]]:
    """The 名录库 rows (HEADER order), the same on every run: 10 words × 6 kinds, each pair once."""
    rows = []
    for i in range(SIZE):
        word = WORDS[i % len(WORDS)]
        kind, industry = KINDS[(i // len(WORDS) + i) % len(KINDS)]
        n = i + 1
        rows.append(
            [
                f"青山县{word}{kind}",
                uscc(n),
                f"青山县{TOWNS[n % len(TOWNS)]}{(n * 13) % 90 + 1}号",
                industry,
                RISKS[n % len(RISKS)],
                "重点" if n % 6 == 0 else "一般",
            ]
        )
    return rows


def pool_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(enterprises())
    return out.getvalue().encode("utf-8")


def _service(module: str) -> Any:
    """A service module of another part of 双随机抽查, or None while that part is not built."""
    try:
        return importlib.import_module(f"qingdan.inspection.{module}")
    except ImportError:
        return None


def choose_item(items: list[InspectionItem]) -> InspectionItem:
    """The item the demo plan inspects (the 名录库 holds enterprises): the first item on enterprises,
    one with a stated ratio first; else the first with a ratio; else the first."""
    on_firms = [i for i in items if "企业" in f"{i.name}{i.targets}"]
    for found in (
        [i for i in on_firms if i.ratio is not None],
        on_firms,
        [i for i in items if i.ratio is not None],
    ):
        if found:
            return found[0]
    return items[0]


def load(editor: Actor, department: Department, echo: Callable[[str], None]) -> InspectionPlan | None:
    """The demo's 双随机抽查, once (a department with plans is left as it is). ``editor`` derives the
    catalogue and imports the 名录库 (the command line's administrator); the 主要负责人 qs_head
    publishes, plans, commits and draws; the officers qs_lin and qs_chen record results."""
    if InspectionPlan.objects.filter(department=department).exists():
        return None
    catalog, pool, tasks = _service("catalog"), _service("pool"), _service("tasks")
    if catalog is None or pool is None:
        echo("  （随机抽查事项清单或检查对象名录库功能尚未提供，跳过双随机抽查演示）")
        return None
    head = actor_named("qs_head")
    if catalog.published_catalog(department) is None:
        if catalog.draft_catalog(department) is None:
            catalog.derive_catalog(editor, department)
        catalog.publish_catalog(head, department)
    published = catalog.published_catalog(department)
    items = list(published.items.order_by("position"))
    if not items:
        echo("  （随机抽查事项清单没有事项，跳过双随机抽查演示）")
        return None
    imported = pool.import_inspectee_bytes(
        editor, department, "青山县科学技术局检查对象名录库.csv", pool_csv()
    )
    echo(f"  检查对象名录库：{imported.summary() if hasattr(imported, 'summary') else SIZE}")
    today = timezone.localdate()
    plan = plans.create_plan(
        head,
        department,
        item=choose_item(items),
        title=f"{today.year}年度随机抽查",
        period_start=today,
        period_end=dt.date(today.year, 12, 31),
        ratios="A=0.05,B=0.1,C=0.2,D=1",
        inspectors=2,
    )
    plans.commit(head, plan, seed_source=SEED_SOURCE, draw_on=today)
    plans.run(head, plan, seed=SEED)
    echo(f"  抽查计划 {plan.number}：随机数 {SEED}，抽中 {plan.tasks.count()} 户")
    if tasks is not None:
        _results(tasks, plan, today, echo)
    return plan


def _results(tasks: Any, plan: InspectionPlan, today: dt.date, echo: Callable[[str], None]) -> None:
    """Two results by the officers with accounts: 未发现问题 and 责令整改 (in the draw's order)."""
    done = 0
    for task in InspectionTask.objects.filter(plan=plan).order_by("order"):
        names = {link.officer.name for link in task.inspectors.select_related("officer")}
        by = "qs_lin" if "林晓燕" in names else "qs_chen" if "陈思雨" in names else ""
        if not by:
            continue
        if done == 0:
            tasks.record_result(
                actor_named(by),
                task,
                result="未发现问题",
                findings="现场检查，未发现违法违规问题。",
                inspected_on=today,
            )
        else:
            tasks.record_result(
                actor_named(by),
                task,
                result="责令整改",
                findings="技术合同登记台账不完整，责令补齐。",
                inspected_on=today,
                rectify_due=today + dt.timedelta(days=15),
            )
        echo(f"  检查结果：{task.member.name} 由{by}登记")
        done += 1
        if done == 2:
            return
