"""Regenerate the screenshots in docs/screenshots/ (used by the README).

    .venv/bin/python docs/screenshots/make_screenshots.py            # own server
    .venv/bin/python docs/screenshots/make_screenshots.py --url http://127.0.0.1:8000

Without --url it starts `cruscotto serve` on a free port over a throw-away SQLite
database holding the shipped default plan and the demo values (`cruscotto demo`),
so it neither needs nor touches the data in var/. It writes overview.png and
dashboard.png. Needs `make setup` (Playwright, the Bootstrap Italia files) and
Debian's Chromium (`make chromium`); it downloads no browser.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CRUSCOTTO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
PLAN = "/plans/cciaa-mimblo-2021-2023/"
# Opened in the picture: strategic objective 4 under mission 011 (a short narrative,
# so its operational objectives and indicators fit in the picture too).
OPEN_SECTION = "strategic-011-4-body"
WIDTH, HEIGHT = 1280, 1400


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


@contextmanager
def own_server() -> Iterator[str]:
    """`cruscotto serve` over a temporary SQLite database with the default plan."""
    cruscotto = str(BIN / "cruscotto")
    with tempfile.TemporaryDirectory(prefix="cruscotto-shots-") as data_dir:
        # DATABASE_URL emptied: never write to a PostgreSQL set in the environment
        env = {**os.environ, "CRUSCOTTO_DATA_DIR": data_dir, "DATABASE_URL": ""}
        for verb in (["migrate", "--noinput", "-v", "0"], ["plan", "load-default"],
                     ["demo"]):
            subprocess.run([cruscotto, *verb], env=env, check=True, stdout=subprocess.DEVNULL)
        addr = f"127.0.0.1:{_free_port()}"
        server = subprocess.Popen([cruscotto, "serve", addr], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(f"http://{addr}/")
            yield f"http://{addr}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def overview(base_url: str, out: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="it-IT", viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(f"{base_url}{PLAN}dashboard/?year=2021", wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(out.with_name("dashboard.png")))
        page.goto(f"{base_url}{PLAN}", wait_until="networkidle")
        control = page.locator(f'button[aria-controls="{OPEN_SECTION}"]')
        control.click()
        expect(control).to_have_attribute("aria-expanded", "true")
        expect(page.locator(".collapsing")).to_have_count(0)
        control.blur()  # no focus ring in the picture
        page.mouse.move(0, 0)  # nor a hover colour
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(out))
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running `cruscotto serve` with the default plan "
                        "and the demo values loaded (default: start one)")
    ns = parser.parse_args()
    out = HERE / "overview.png"
    if ns.url:
        overview(ns.url.rstrip("/"), out)
    else:
        with own_server() as url:
            overview(url, out)
    for shot in (out, out.with_name("dashboard.png")):
        print(f"{shot.relative_to(Path.cwd()) if shot.is_relative_to(Path.cwd()) else shot}: "
              f"{shot.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
