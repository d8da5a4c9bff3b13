"""`qingdan draw …`, `qingdan inspectees …`, `qingdan inspectors …`, `qingdan inspection …`: thin,
over the services (catalog.py, pool.py, plans.py, tasks.py). The commands themselves live in
commands_<area>.py, each adding to these groups; qingdan/cli.py imports them.

Steps are taken as the user named by the root option ``--user``.
"""

from __future__ import annotations

import json
from typing import Any

import click


def cli() -> Any:
    from qingdan import cli as module

    return module


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group("draw")
def draw_group() -> None:
    """双随机抽查：随机抽查事项、抽查计划、公开抽取与核验（qingdan-draw/1，见 docs/draw.md）。"""


@click.group("inspectees")
def inspectees_group() -> None:
    """检查对象名录库：导入（统一社会信用代码校验）与查看。"""


@click.group("inspectors")
def inspectors_group() -> None:
    """执法检查人员名录库：持有效执法证的执法人员与回避申报。"""


@click.group("inspection")
def inspection_group() -> None:
    """检查任务：检查结果、整改跟踪、移交立案、结果公示与企业受检负担。"""
