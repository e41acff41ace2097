"""Browsing the shipped plan in a real browser: overview → objective → indicator → centre.

The pages are checked with axe-core (WCAG 2.1 AA) in the state a user sees them,
collapsed sections opened, and the section controls are driven from the keyboard.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.cli import main
from cruscotto.data import default_plan

from .conftest import axe_violations

PLAN = "/plans/cciaa-mimblo-2021-2023/"
# Strategic objective 3 as shown under mission 011 (it is under 016 as well).
OBJECTIVE_3 = "strategic-011-3-body"
# True when the element shows an opaque outline or box-shadow ring ("rgb(", not "rgba(").
FOCUS_RING = """el => {
  const s = getComputedStyle(el);
  return (s.boxShadow !== "none" && s.boxShadow.includes("rgb("))
    || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
        && s.outlineColor.startsWith("rgb("));
}"""


@pytest.fixture
def overview(transactional_db: None, live_server: Any, page: Any, capsys) -> Any:
    """The overview of the default plan, loaded the way a user loads it."""
    assert main(["plan", "load-default"]) == 0
    capsys.readouterr()
    page.goto(f"{live_server.url}{PLAN}")
    return page


def expand_control(page: Any, region_id: str) -> Any:
    return page.locator(f'button[aria-controls="{region_id}"]')


def settled(page: Any) -> None:
    """Wait for the height animation to end (Bootstrap ignores a toggle during it)."""
    expect(page.locator(".collapsing")).to_have_count(0)


def open_every_section(page: Any) -> None:
    closed = page.locator('button.accordion-button[aria-expanded="false"]')
    for region_id in [b.get_attribute("aria-controls") for b in closed.all()]:
        button = expand_control(page, region_id)
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        settled(page)
    expect(closed).to_have_count(0)


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def test_it_opens_an_objective_and_reaches_an_indicator(overview: Any) -> None:
    page = overview
    ind = default_plan().indicator("3.1.1")
    region = page.locator(f"#{OBJECTIVE_3}")
    link = region.get_by_role("link", name=f"{ind.code} {ind.name}")
    expect(link).to_be_hidden()  # collapsed at first

    control = expand_control(page, OBJECTIVE_3)
    expect(control).to_have_attribute("aria-expanded", "false")
    control.click()
    expect(control).to_have_attribute("aria-expanded", "true")
    expect(region.get_by_role("heading", name=re.compile(r"^Obiettivo operativo 3\.1 ·")))\
        .to_be_visible()
    settled(page)  # a click during the opening animation can miss the moving link
    expect(link).to_be_visible()
    link.click()

    expect(page).to_have_url(re.compile(rf"{PLAN}indicators/3\.1\.1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ind.code} {ind.name}")
    # the plan's targets table (the page also has the figures and certifications tables)
    rows = page.get_by_role("table", name=re.compile(r"^Target dell'indicatore")).locator(
        "tbody tr")
    expect(rows).to_have_count(3)
    for row, year in zip(rows.all(), (2021, 2022, 2023), strict=True):
        expect(row.locator("th")).to_have_text(str(year))
        expect(row.locator("td").first).to_have_text(ind.targets[year])
    centres = page.get_by_role("heading", name="Centri di responsabilità").locator(
        "xpath=following-sibling::ul[1]").get_by_role("link")
    expect(centres).to_have_text(ind.centres)

    centres.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ind.centres[0])
    expect(page.get_by_role("link", name="3.1.1", exact=True)).to_be_visible()


def test_the_section_controls_work_from_the_keyboard(overview: Any) -> None:
    page = overview
    control = expand_control(page, OBJECTIVE_3)
    assert not control.evaluate(FOCUS_RING)
    for _ in range(60):  # Tab from the top of the page until the control has focus
        page.keyboard.press("Tab")
        if control.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reaches the control of objective 3")
    # where the focus is must show (WCAG 2.4.7): Bootstrap Italia draws an opaque
    # ring once its short transition has run
    page.wait_for_function(FOCUS_RING, arg=control.element_handle(), timeout=2000)

    region = page.locator(f"#{OBJECTIVE_3}")
    page.keyboard.press("Enter")
    expect(control).to_have_attribute("aria-expanded", "true")
    expect(region).to_be_visible()
    settled(page)
    page.keyboard.press("Space")
    expect(control).to_have_attribute("aria-expanded", "false")
    expect(region).to_be_hidden()
    settled(page)
    page.keyboard.press("Space")
    expect(region).to_be_visible()
    settled(page)
    # the next Tab goes into the section just opened
    page.keyboard.press("Tab")
    expect(region.get_by_role("link").first).to_be_focused()


def test_the_overview_has_no_accessibility_violations(overview: Any) -> None:
    assert_accessible(overview)  # as it opens: missions open, objectives closed
    open_every_section(overview)
    assert_accessible(overview)


def test_the_indicator_centre_and_search_pages_have_no_accessibility_violations(
    overview: Any, live_server: Any
) -> None:
    page = overview
    page.goto(f"{live_server.url}{PLAN}indicators/3.1.1/")
    assert_accessible(page)

    page.goto(f"{live_server.url}{PLAN}centres/registro-delle-imprese/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registro delle Imprese")
    assert_accessible(page)

    page.goto(f"{live_server.url}{PLAN}search/")
    assert_accessible(page)
    # results arrive by htmx as the user types
    page.get_by_label("Codice o parole").fill("imprese")
    expect(page.locator("#search-results")).to_contain_text("indicatori trovati per «imprese»")
    expect(page.locator("#search-results table")).to_be_visible()
    assert_accessible(page)
