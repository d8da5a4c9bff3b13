"""Render the README's screenshots in Debian's chromium: the portal answering a question, a
部门填报员's draft in the 工作台 (what it changes, its 清单体检, the edit controls), and an
administrator's dry run of a county's power-list export (one list per department), an
officer's 行政处罚案件 with its running deadlines, and a drawn 双随机 抽查计划 with its tasks.

Run: .venv/bin/python docs/screenshot.py  (needs ../shared/seeds and chromium; writes
docs/images/portal.png, work.png, export.png, case.png and inspection.png)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
QINGDAN = [sys.executable, "-m", "qingdan.cli"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "QINGDAN_DATA": tempfile.mkdtemp()}
    subprocess.run([*QINGDAN, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    subprocess.run([*QINGDAN, "import", *map(str, sorted(SEEDS.glob("00[12]_*.txt")))], env=env, check=True)
    port = free_port()
    server = subprocess.Popen([*QINGDAN, "serve", "--port", str(port), "--workers", "1"], env=env)
    try:
        time.sleep(3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="zh-CN")
            page.goto(f"http://127.0.0.1:{port}/search?q=技术合同认定登记找谁？")
            page.screenshot(path=str(ROOT / "docs" / "images" / "portal.png"))
            draft_page(page, f"http://127.0.0.1:{port}")
            page.screenshot(path=str(ROOT / "docs" / "images" / "work.png"))
            export_dry_run(page, f"http://127.0.0.1:{port}")
            page.screenshot(path=str(ROOT / "docs" / "images" / "export.png"))
            case_page(page, f"http://127.0.0.1:{port}")
            page.screenshot(path=str(ROOT / "docs" / "images" / "case.png"))
            inspection_page(page, f"http://127.0.0.1:{port}")
            page.screenshot(path=str(ROOT / "docs" / "images" / "inspection.png"))
            browser.close()
    finally:
        server.terminate()


def draft_page(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as the demo 填报员, start a draft, add a duty and reword a task."""
    from qingdan.cli import DEMO_PASSWORD

    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("tianbao")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="青山县科学技术局").last.click()  # 我的部门 (the first is 执法证提示)
    page.get_by_role("button", name="新建草稿（复制最新版本）").click()
    page.get_by_role("link", name="＋ 新增主要职责").click()
    page.get_by_label("主要职责（必填）").fill("负责科技特派员选派和管理工作")
    page.get_by_role("button", name="保存").click()
    page.locator("#duties-0-tasks-0 >> text=编辑").click()
    text = page.get_by_label("具体工作事项（必填）")
    text.fill(text.input_value() + "，按季度报送进展")
    page.get_by_role("button", name="保存").click()
    page.goto(f"{base}/work/")
    page.get_by_role("link", name="青山县科学技术局").last.click()


def case_page(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as the demo officer 林晓燕 and open the demo case waiting for the party's 陈述申辩."""
    from qingdan.cli import DEMO_PASSWORD

    page.set_viewport_size({"width": 1100, "height": 1000})
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("qs_lin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{base}/work/cases/")
    page.get_by_role("link", name="骗取科技型中小企业评价入库").first.click()


def inspection_page(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as the demo 主要负责人 刘建国 and open the demo's drawn 抽查计划 (seed 20261206)."""
    from qingdan.cli import DEMO_PASSWORD

    page.set_viewport_size({"width": 1100, "height": 1100})
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("qs_head")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{base}/work/inspection/")
    page.get_by_role("link", name="青山县科学技术局").first.click()
    page.locator("#plans tbody a").first.click()
    page.wait_for_selector("#plan-tasks")
    page.evaluate("document.querySelector('#plan-size').scrollIntoView()")  # hashes, seed, tasks


EXPORT = [  # (实施主体 as written, 承办机构, 事项编码, 事项名称, 事项类型): a fictional county's export
    ("青山县市场监督管理局", "食品安全股", "QS-SJ-001", "食品经营许可", "行政许可"),
    ("县市场监督管理局", "食品安全股", "QS-SJ-002", "食品经营者监督检查", "行政检查"),
    ("县公安局", "治安大队", "QS-GA-001", "违反治安管理行为的处罚", "行政处罚"),
    ("县公安局", "治安大队", "QS-GA-002", "大型群众性活动安全许可", "行政许可"),
    ("县级", "县公安局治安大队", "QS-GA-003", "旅馆业特种行业许可", "行政许可"),
    ("青山县农业农村局（县乡村振兴局）", "种植业股", "QS-NY-001", "农药经营许可", "行政许可"),
    ("青山县农业农村局（县乡村振兴局）", "种植业股", "QS-NY-002", "农作物种子生产经营许可", "行政许可"),
    ("委托青山县农业农村局行使", "", "QS-SJ-900", "兽药经营许可", "行政许可"),
    ("", "", "QS-NY-003", "动物防疫条件审查", "行政许可"),
    ("县级", "", "QS-XX-001", "某项待确定部门的事项", "其他"),
]


def export_dry_run(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as the demo administrator and dry-run a county's power-list export."""
    import json

    from qingdan.cli import DEMO_PASSWORD

    rows = [
        {
            "事项编码": c,
            "事项名称": n,
            "事项类型": t,
            "实施主体": s,
            "承办机构": u,
            "监管电话": "0730-1234567",
            "办理时限": "20个工作日",
        }
        for s, u, c, n, t in EXPORT
    ]
    path = Path(tempfile.mkdtemp()) / "青山县权责清单.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    page.set_viewport_size({"width": 1100, "height": 980})
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{base}/work/import/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="试运行").click()


if __name__ == "__main__":
    main()
