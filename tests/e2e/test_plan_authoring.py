"""The plan authoring pages in a real browser: workbook upload, editor, versions; axe-clean."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.web.measurements import authoring
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


@pytest.fixture
def planning(transactional_db: None, live_server: Any, page: Any) -> tuple[Any, str, Any]:
    people = make_people()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill("planning")
    page.get_by_label("Password").fill("pw-planning")
    page.get_by_role("button", name="Accedi").last.click()
    return page, f"{live_server.url}/plans/{people.plan.key}", people


def test_the_authoring_page_and_the_report_of_a_bad_workbook_are_accessible(
        planning: tuple[Any, str, Any], tmp_path: Any) -> None:
    page, base, _people = planning
    page.goto(f"{base}/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redazione del piano")
    assert axe_violations(page) == []
    bad = tmp_path / "piano.xlsx"
    bad.write_bytes(b"not a workbook")
    page.get_by_label("File Excel del piano (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Carica il piano").click()
    table = page.get_by_role("table", name="Problemi, con il foglio, la riga e la colonna")
    expect(table).to_be_visible()
    expect(page.get_by_role("alert").first).to_contain_text("Nulla è stato salvato.")
    assert axe_violations(page) == []


def test_the_editor_checks_the_formula_as_it_is_typed(planning: tuple[Any, str, Any]) -> None:
    page, base, people = planning
    page.goto(f"{base}/edit/indicator/6.4.1/")
    formula = page.get_by_label("Formula", exact=True)
    formula.fill("follower_social +")
    expect(page.locator("#formula-check")).to_contain_text("La formula non si legge")
    formula.fill("follower_social * 2")
    expect(page.locator("#formula-check")).to_contain_text("Formula corretta")
    assert axe_violations(page) == []

    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    page.get_by_label("Nome", exact=True).fill("Follower sui social")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#outcome")).to_contain_text("Salvato.")
    page.goto(f"{base}/versions/")
    expect(page.get_by_role("table", name="Differenze dalla versione 1 alla versione 2")
           ).to_contain_text("Follower sui social")
    assert axe_violations(page) == []


def test_the_public_value_editor_overview_and_dashboard_are_accessible(
        planning: tuple[Any, str, Any]) -> None:
    page, base, _people = planning
    page.goto(f"{base}/edit/public-value/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Valore pubblico")
    assert axe_violations(page) == []
    page.get_by_label("Codice").fill("VP1")
    page.get_by_label("Titolo").fill("Imprese competitive")
    # Bootstrap Italia draws the box over the input: a person clicks the label
    page.locator("label[for=f-strategic-3]").click()
    page.locator("label[for=f-sdg-SDG8]").click()
    expect(page.get_by_label("SDG8 Lavoro dignitoso e crescita economica")).to_be_checked()
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#outcome")).to_contain_text("Salvato.")
    assert axe_violations(page) == []
    page.goto(f"{base}/")
    expect(page.locator("#public-values")).to_contain_text("VP1 · Imprese competitive")
    assert axe_violations(page) == []
    page.goto(f"{base}/dashboard/")
    expect(page.locator("#public-values")).to_contain_text("Raggiungimento per valore pubblico")
    assert axe_violations(page) == []
