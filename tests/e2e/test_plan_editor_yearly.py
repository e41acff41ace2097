"""The editor's per-year definitions in a real browser: the formula checked as typed, axe-clean."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from cruscotto.web.plans.selectors import read_plan

from .conftest import axe_violations
from .test_plan_authoring import planning  # noqa: F401  (the fixture)


def test_a_definition_s_formula_is_checked_as_typed_and_saved(
        planning: tuple[Any, str, Any]) -> None:  # noqa: F811
    page, base, people = planning
    page.goto(f"{base}/edit/indicator/6.4.1/")
    formula = page.get_by_label("Nuova formula")
    formula.fill("follower_social +")
    expect(page.locator("#def-0-formula-check")).to_contain_text("La formula non si legge")
    formula.fill("follower_social * 2")
    expect(page.locator("#def-0-formula-check")).to_contain_text("Formula corretta")
    assert axe_violations(page) == []

    page.locator("#f-def-0-year").select_option("2022")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#outcome")).to_contain_text("Salvato.")
    assert read_plan(people.plan.pk).indicator("6.4.1").in_force(2022).formula == (
        "follower_social * 2")
