"""The public section in a real browser: axe-core (WCAG 2.1 AA) on each page, and
the way through it with the keyboard alone: list → plan → year → open data files."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.cli import main

from .conftest import axe_violations

PLAN = "/trasparenza/cciaa-mimblo-2021-2023/"


@pytest.fixture
def site(transactional_db: None, live_server: Any, capsys: Any) -> str:
    """The shipped plan with the demo values, loaded (and published) as `make run` does."""
    assert main(["plan", "load-default"]) == 0
    assert main(["demo"]) == 0
    capsys.readouterr()
    return str(live_server.url)


def tab_to(page: Any, name: str, limit: int = 200) -> None:
    """Press Tab until the focused element's text is ``name`` (or starts with it, before
    a visually hidden note)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = " ".join(page.evaluate(
            "() => (document.activeElement.textContent || '')").split())
        if text == name or text.startswith(name + " "):
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def test_the_public_pages_pass_axe(site: str, page: Any) -> None:
    page.goto(f"{site}/trasparenza/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Amministrazione trasparente – Performance")
    assert_accessible(page)
    page.goto(f"{site}{PLAN}2021/")
    expect(page.locator("#organisation-result")).to_contain_text("Grado di raggiungimento")
    assert_accessible(page)
    page.goto(f"{site}{PLAN}2022/")
    expect(page.get_by_text("Nessun risultato certificato per il 2022.")).to_be_visible()
    assert_accessible(page)


def test_the_section_works_with_the_keyboard_alone(site: str, page: Any) -> None:
    page.goto(f"{site}/trasparenza/")
    tab_to(page, "Piano della Performance 2021-2023")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{PLAN}2021/$"))
    expect(page.get_by_role("heading", name="Risultati certificati 2021")).to_be_visible()

    tab_to(page, "2022")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{PLAN}2022/$"))

    tab_to(page, "I singoli file")
    link = page.get_by_role("link", name="risultati_indicatori.csv")
    expect(link).to_be_hidden()
    page.keyboard.press("Enter")  # opens the list of files
    expect(link).to_be_visible()
    tab_to(page, "risultati_indicatori.csv")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "risultati_indicatori.csv"
