"""Render the README's screenshots in Debian's chromium: the portal answering a question, and a
部门填报员's draft in the 工作台 (what it changes, its 清单体检, the edit controls).

Run: .venv/bin/python docs/screenshot.py  (needs ../shared/seeds and chromium; writes
docs/images/portal.png and docs/images/work.png)
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
    page.get_by_role("link", name="青山县科学技术局").click()
    page.get_by_role("button", name="新建草稿（复制最新版本）").click()
    page.get_by_role("link", name="＋ 新增主要职责").click()
    page.get_by_label("主要职责（必填）").fill("负责科技特派员选派和管理工作")
    page.get_by_role("button", name="保存").click()
    page.locator("#duties-0-tasks-0 >> text=编辑").click()
    text = page.get_by_label("具体工作事项（必填）")
    text.fill(text.input_value() + "，按季度报送进展")
    page.get_by_role("button", name="保存").click()
    page.goto(f"{base}/work/")
    page.get_by_role("link", name="青山县科学技术局").click()


if __name__ == "__main__":
    main()
