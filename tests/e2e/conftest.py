"""Browser tests: Playwright driving Debian's Chromium against a live Django server.

Nothing downloads a browser: the tests use /usr/bin/chromium (installed by
`make test` when missing) and skip with a clear reason where it is absent.
axe-core comes from the npm registry (node_modules/axe-core, `make setup`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from such a thread unless told it is safe (it is: the loop only
# drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CRUSCOTTO_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (run `make chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    yield p
    context.close()


def axe_violations(page: Any, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a",
                                                      "wcag21aa")) -> list[dict[str, Any]]:
    """Run axe-core on the page; return the WCAG 2.1 AA violations (empty when clean)."""
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags))
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
