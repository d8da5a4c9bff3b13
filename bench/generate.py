"""Deterministic generated registries for the benchmarks: county-size lists in qingdan/1."""

from __future__ import annotations

import random

WORDS = [
    "负责",
    "组织",
    "拟订",
    "实施",
    "全县",
    "科技",
    "创新",
    "规划",
    "政策",
    "措施",
    "监督",
    "管理",
    "指导",
    "协调",
    "推进",
    "建设",
    "企业",
    "项目",
    "资金",
    "安全",
    "生产",
    "服务",
    "体系",
    "平台",
    "成果",
    "转化",
    "知识产权",
    "专利",
    "标准",
    "质量",
    "统计",
    "分析",
    "信息化",
    "产业",
    "发展",
    "工作",
]
UNITS = ("办公室", "规划股", "计划股", "成果股", "法规股", "执法大队", "服务中心", "财务股")


def sentence(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))) + "。"


def generated_list(rng: random.Random, j: int, d: int) -> dict[str, object]:
    units = [
        {"name": u, "kind": "内设机构", "phones": [f"{rng.randint(2000000, 8999999)}"]}
        for u in rng.sample(UNITS, rng.randint(3, 8))
    ]
    names = [u["name"] for u in units]
    n_duties, n_tasks = rng.randint(20, 40), rng.randint(50, 150)
    cuts = sorted(rng.sample(range(1, n_tasks), n_duties - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n_tasks], strict=True)]
    duties = [
        {
            "no": str(i + 1),
            "text": sentence(rng, 12, 30),
            "tasks": [
                {"text": sentence(rng, 6, 18), "units": rng.sample(names, 1), "note": ""} for _ in range(size)
            ],
        }
        for i, size in enumerate(sizes)
    ]
    boundaries = [
        {
            "matter": sentence(rng, 3, 6),
            "shares": [
                {
                    "department": f"县{rng.choice(WORDS)}局",
                    "division": sentence(rng, 10, 30),
                    "basis": "《中华人民共和国科学技术进步法》第十条",
                    "case": sentence(rng, 20, 40),
                }
                for _ in range(rng.randint(2, 4))
            ],
        }
        for _ in range(3)
    ]
    services = [
        {
            "name": sentence(rng, 3, 6),
            "content": sentence(rng, 10, 20),
            "units": rng.sample(names, 1),
            "phones": [],
        }
        for _ in range(3)
    ]
    regimes = [
        dict(
            zip(
                ("matter", "objects", "content", "methods", "measures", "procedure", "handling"),
                (sentence(rng, 4, 20) for _ in range(7)),
                strict=True,
            )
        )
        for _ in range(2)
    ]
    return {
        "format": "qingdan/1",
        "jurisdiction": f"第{j}县",
        "department": f"第{j}县第{d}局",
        "units": units,
        "duties": duties,
        "boundaries": boundaries,
        "services": services,
        "supervision": regimes,
        "powers": [],
    }
