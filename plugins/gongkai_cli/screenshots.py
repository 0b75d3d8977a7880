"""Screenshots of the main pages of the demo site for the README: desktop, 320 px (whole pages:
every table of a budget, not just the top), large-font and high-contrast, taken in headless
Chromium from a fresh public build; and the home page of a touch-screen kiosk mirror with its
on-screen keyboard open (docs/kiosk.md).

    python -m gongkai_cli.screenshots [--out docs/screenshots] [--site DIR]

Deterministic input (SOURCE_DATE_EPOCH defaults to the test suite's date); PNGs are overwritten.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PAGES = {
    "home": "index.html",
    "entry": "policy/2025-farmland-protection.html",
    "catalog": "catalog/index.html",
    "budget": "budget/2025-czj.html",
    "sangong": "sangong/2025.html",
}
# name: (viewport width, height, large font, high contrast); the phone's shots show whole pages
# (every table, not only what fits the first screen: FULL_PAGE)
FULL_PAGE = {"320px"}
VARIANTS = {
    "desktop": (1280, 900, False, False),
    "320px": (320, 720, False, False),
    "large-font": (1280, 900, True, False),
    "high-contrast": (1280, 900, False, True),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def build(out: Path) -> None:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1793505600")
    cmd = [sys.executable, "-m", "gongkai_cli", "publish", "--output", str(out)]
    subprocess.run(cmd, check=True, env=env)


def shoot(site: Path, dest: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    dest.mkdir(parents=True, exist_ok=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for variant, (width, height, large, contrast) in VARIANTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(f"{base}/index.html")
                page.evaluate(
                    "m => localStorage.setItem('gongkai.prefs', JSON.stringify(m))",
                    {"large": large, "contrast": contrast},
                )
                for name, rel in PAGES.items():
                    page.goto(f"{base}/{rel}")
                    page.wait_for_load_state("load")
                    target = dest / f"{name}-{variant}.png"
                    page.screenshot(path=str(target), full_page=variant in FULL_PAGE)
                    written.append(target)
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return written


def shoot_touch(tmp: Path, dest: Path) -> Path:
    """The home page of a touch-screen kiosk mirror (invoke mirror --touch), its keyboard open."""
    from playwright.sync_api import sync_playwright

    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1793505600")
    kiosk = tmp / "kiosk"
    subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "mirror", str(kiosk), "--touch"], check=True, env=env
    )
    target = dest / "home-touch.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1080, "height": 1400})
        page.goto((kiosk / "data" / "index.html").as_uri())
        page.wait_for_load_state("load")
        page.click("#gk-q")
        page.screenshot(path=str(target))
        browser.close()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="网站主要页面截图（桌面、320 像素、大字、高对比度）")
    parser.add_argument("--out", default="docs/screenshots", help="截图目录（默认 docs/screenshots）")
    parser.add_argument("--site", default="", help="已构建的网站目录（默认临时公开构建一次）")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"未找到 {CHROMIUM}：请先 apt-get install chromium", file=sys.stderr)
        return 1
    if args.site:
        written = shoot(Path(args.site), Path(args.out))
    else:
        with tempfile.TemporaryDirectory(prefix="gongkai-shots-") as tmp:
            site = Path(tmp) / "site"
            build(site)
            written = shoot(site, Path(args.out))
            written.append(shoot_touch(Path(tmp), Path(args.out)))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
