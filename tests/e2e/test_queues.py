"""The queues in a real browser: the planning office lands on its queue,
finds the demo's submitted 6.4.3 and 3.3.1 and validates them in bulk with
the keyboard alone after a confirmation page; the OIV certifies from its
queue; every page axe-clean."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations
from .test_measurement_cycle import sign_in, sign_out


def states(*codes: str) -> set[str]:
    return set(mm.Measurement.objects.filter(
        indicator__code__in=codes, period__kind="year_end", period__year=2021
    ).values_list("state", flat=True))


def test_validate_and_certify_from_the_queues(transactional_db: None, live_server: Any,
                                              page: Any) -> None:
    people = make_people()
    load_demo(plan=people.plan)
    base = live_server.url
    queue = f"{base}/plans/{people.plan.key}/updates/"

    sign_in(page, base, "planning")
    expect(page).to_have_url(queue)  # signing in lands on the queue
    section = page.locator("#to-validate")
    expect(section.get_by_role("heading")).to_have_text(
        "Da validare: 2 indicatori inviati dai centri")
    expect(section.locator("tr[data-code='6.4.3']")).to_be_visible()
    expect(section.locator("tr[data-code='3.3.1']")).to_be_visible()
    assert axe_violations(page) == []

    # the keyboard alone: both boxes are ticked; Tab to the button, Enter
    section.get_by_role("checkbox").first.focus()
    button = section.get_by_role("button", name="Valida gli indicatori scelti…")
    for _ in range(6):
        if button.evaluate("b => b === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Conferma la validazione")
    expect(page.locator("#bulk-summary")).to_have_text("Stai per validare 2 indicatori.")
    expect(page.locator("#bulk-items")).to_contain_text("6.4.3")
    expect(page.locator("#bulk-items")).to_contain_text("3.3.1")
    assert states("6.4.3", "3.3.1") == {"submitted"}
    assert axe_violations(page) == []
    page.get_by_role("button", name="Conferma e valida").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(queue)
    expect(page.locator("#queue-message")).to_have_text("2 indicatori validati.")
    assert states("6.4.3", "3.3.1") == {"validated"}
    # the campaign overview, reached from the queue, filtered from the keyboard
    page.get_by_role("link", name="Andamento della campagna di misurazione").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Campagna di misurazione")
    assert axe_violations(page) == []
    page.get_by_label("Stato").select_option("validated")
    page.get_by_role("button", name="Filtra").focus()
    page.keyboard.press("Enter")
    rows = page.locator("#campaign-rows tbody tr")
    expect(rows).to_have_count(mm.Measurement.objects.filter(
        state="validated", period__kind="year_end", period__year=2021).count())
    assert axe_violations(page) == []
    sign_out(page)

    sign_in(page, base, "oiv")
    expect(page).to_have_url(queue)
    section = page.locator("#to-certify")
    expect(section.get_by_role("heading")).to_have_text(
        "Da certificare: 2 indicatori validati")
    assert axe_violations(page) == []
    # only 6.4.3: untick 3.3.1
    section.get_by_role("checkbox", name="Scegli 3.3.1 al 31/12/2021").uncheck()
    section.get_by_role("button", name="Certifica gli indicatori scelti…").click()
    expect(page.locator("#bulk-summary")).to_contain_text("Stai per certificare 1 indicatore")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Conferma e certifica").click()
    expect(page.locator("#queue-message")).to_have_text("1 indicatore certificato.")
    assert states("6.4.3") == {"certified"} and states("3.3.1") == {"validated"}


def test_the_forbidden_page_says_why_and_offers_a_way_back(
        transactional_db: None, live_server: Any, page: Any) -> None:
    people = make_people()
    sign_in(page, live_server.url, "officer_a")
    answer = page.goto(f"{live_server.url}/plans/{people.plan.key}/periods/")
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso non consentito")
    expect(page.locator("#denied-reason")).to_have_text(
        "Solo il controllo di gestione configura i periodi.")
    expect(page.get_by_role("link", name="Vai ai tuoi aggiornamenti")).to_be_visible()
    assert axe_violations(page) == []
