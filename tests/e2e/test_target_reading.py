"""The reading of a target in a real browser: set, previewed, saved; axe-clean."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import axe_violations
from .test_plan_authoring import planning  # noqa: F401 - the signed-in planning office


def test_the_office_sets_a_reading_beside_a_target_and_sees_it_in_force(
        planning: tuple[Any, str, Any]) -> None:  # noqa: F811
    page, base, _people = planning
    page.goto(f"{base}/edit/indicator/6.4.1/")
    expect(page.locator("#reading-2021")).to_contain_text("letto dal testo")
    page.locator("#reading-2021").get_by_role("link", name="imposta la lettura").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lettura del target 2021 di 6.4.1")
    assert axe_violations(page) == []
    page.get_by_label("Operatore", exact=True).select_option("growth")
    page.get_by_label("Valore", exact=True).fill("25")
    page.get_by_label("Unità", exact=True).select_option("percent")
    page.get_by_role("button", name="Anteprima").click()
    expect(page.locator("#preview")).to_contain_text(
        "crescita di almeno il 25% rispetto all'anno precedente")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Salva la lettura").click()
    expect(page.locator("#outcome")).to_contain_text("Salvato.")
    expect(page.locator("#reading-state")).to_contain_text("lettura impostata da planning il")
    assert axe_violations(page) == []


def test_the_dashboard_marks_a_reading_set_and_stays_axe_clean(
        planning: tuple[Any, str, Any]) -> None:  # noqa: F811
    page, base, _people = planning
    page.goto(f"{base}/edit/reading/6.4.1/2021/")
    page.get_by_label("Operatore", exact=True).select_option("growth")
    page.get_by_label("Valore", exact=True).fill("25")
    page.get_by_label("Unità", exact=True).select_option("percent")
    page.get_by_role("button", name="Salva la lettura").click()
    expect(page.locator("#outcome")).to_contain_text("Salvato.")
    page.goto(f"{base}/dashboard/?year=2021")
    mark = page.locator('tr[data-code="6.4.1"] [data-reading-mark="set"]')
    expect(mark).to_contain_text("lettura impostata")
    expect(mark).to_have_attribute("title", re.compile(r"^lettura impostata da planning il "))
    expect(page.locator('tr[data-code="6.4.2"] [data-reading-mark]')).to_have_count(0)
    assert axe_violations(page) == []
