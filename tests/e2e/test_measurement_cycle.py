"""The measurement cycle in a real browser: an officer enters and submits, the
planning office validates (signed-in readers see the new achievement), the OIV
certifies (now the public sees it too)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


def sign_in(page: Any, base: str, who: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nome utente").fill(who)
    page.get_by_label("Password").fill(f"pw-{who}")
    page.get_by_role("button", name="Accedi").last.click()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Esci").click()


def test_enter_submit_validate_and_see_the_achievement(
        transactional_db: None, live_server: Any, page: Any) -> None:
    people = make_people()
    base = live_server.url
    plan = f"{base}/plans/{people.plan.key}"

    sign_in(page, base, "officer_a")
    page.goto(f"{plan}/updates/")
    assert axe_violations(page) == []
    page.get_by_role("row").filter(has_text="31/12/2021 (fine anno)").get_by_role(
        "link", name="3.1.1").click()
    expect(page).to_have_url(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_label("Valore di budget degli interventi economici per l'innovazione").fill(
        "9.500.000")
    page.get_by_label("Valore contabilizzato degli interventi economici per "
                      "l'innovazione").fill("8.835.000")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("[data-figure=achievement]")).to_have_text("100%")
    expect(page.locator("[data-figure=value]")).to_have_text("93%")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Invia al controllo di gestione").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "submitted")
    sign_out(page)

    sign_in(page, base, "planning")
    page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_role("button", name="Valida").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "validated")
    sign_out(page)

    # the public (nobody signed in) waits for the OIV's certification
    page.goto(f"{plan}/indicators/3.1.1/")
    row = page.locator("#figures tr[data-period='2021-12-31']")
    expect(row).to_contain_text("non ancora certificato")
    expect(row.locator("[data-figure=achievement]")).to_have_text("—")

    # a signed-in viewer sees the validated figure on the indicator page
    sign_in(page, base, "viewer")
    page.goto(f"{plan}/indicators/3.1.1/")
    expect(row).to_contain_text("validato")
    expect(row.locator("[data-figure=achievement]")).to_contain_text("100%")
    expect(row).to_contain_text("93%")
    assert axe_violations(page) == []
    sign_out(page)

    sign_in(page, base, "oiv")
    page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_role("button", name="Certifica").click()
    # asked twice: nothing is certified until confirmed
    expect(page.locator("#confirm-certify")).to_contain_text("Certificare 3.1.1 al 31/12/2021?")
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "validated")
    page.get_by_role("button", name="Conferma la certificazione").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "certified")
    sign_out(page)

    # certified: now public
    page.goto(f"{plan}/indicators/3.1.1/")
    expect(row).to_contain_text("certificato")
    expect(row.locator("[data-figure=achievement]")).to_contain_text("100%")
    expect(row).to_contain_text("93%")
