"""Render the README's screenshot: the portal answering a question, taken in Debian's chromium.

Run: .venv/bin/python docs/screenshot.py  (needs ../shared/seeds and chromium; writes docs/images/portal.png)
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
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
