"""The people page in Chromium: axe-clean, and a refusal shown where the person looks,
with htmx; the page to choose a password from an invitation, axe-clean too."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from cruscotto.web.accounts.services import invitation_link
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations
from .test_measurement_cycle import sign_in


def test_the_people_page_refuses_visibly_and_passes_axe(
        transactional_db: None, live_server: Any, page: Any) -> None:
    people = make_people()
    base = live_server.url
    sign_in(page, base, "planning")
    page.goto(f"{base}/people/")
    expect(page.get_by_role("heading", name="Persone e ruoli")).to_be_visible()
    assert axe_violations(page) == []
    # the planning office gives no organisation role (no such form) and deactivates
    # nobody: refused in the panel (htmx), saying who may
    expect(page.locator("#role-form")).to_have_count(0)
    page.locator(f"#person-{people.officer_a.pk}").get_by_role(
        "button", name="Disattiva").click()
    expect(page.locator("#people-errors")).to_contain_text(
        "Può disattivare officer_a solo l'amministratore di ogni ente")
    assert axe_violations(page) == []
    # it assigns a centre of its organisation
    page.locator("#centre-person").select_option(label="viewer (viewer)")
    page.get_by_role("button", name="Assegna", exact=True).click()
    expect(page.locator("#people-message")).to_contain_text("viewer: assegnato al centro")
    # the invitation's page to choose a password
    link = invitation_link(people.viewer, base_url=base)
    page.goto(link)
    expect(page.get_by_role("heading", name="Scegli la tua password")).to_be_visible()
    assert axe_violations(page) == []
