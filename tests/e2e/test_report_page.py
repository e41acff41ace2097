"""The report page in a real browser: axe-clean, reachable and usable with the keyboard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from cruscotto.core.targets import format_number
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.selectors import evaluate_period
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


def test_the_report_page_with_the_keyboard(transactional_db: None, live_server: Any,
                                           page: Any) -> None:
    people = make_people()
    load_demo(plan=people.plan)
    published = evaluate_period(plan_id=people.plan.pk, period=people.year_end
                                ).evaluation.organisation.achievement
    base = live_server.url
    page.goto(f"{base}/plans/{people.plan.key}/")
    link = page.get_by_role("navigation", name="Navigazione principale").get_by_role(
        "link", name="Relazione")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/plans/{people.plan.key}/report/")
    expect(page.get_by_role("heading", name="Relazione sulla Performance 2021")).to_be_visible()
    expect(page.locator(".report-org-figure")).to_contain_text(
        f"{format_number(published)}%")
    expect(page.get_by_role("note")).to_contain_text("DATI DIMOSTRATIVI")
    assert axe_violations(page) == []

    # choose the interim period with the keyboard alone
    page.get_by_label("Anno o periodo").focus()
    page.get_by_label("Anno o periodo").select_option("2021-06-30")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Mostra")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/plans/{people.plan.key}/report/?period=2021-06-30")
    expect(page.get_by_role("heading", name="Monitoraggio intermedio al 30/06/2021")
           ).to_be_visible()
    expect(page.get_by_role("heading", name="Indicatori a rischio")).to_be_visible()
    assert axe_violations(page) == []

    # the Word file at once (the PDF goes through the worker's queue: its own page);
    # its name says the basis and when the data were read
    word = page.get_by_role("link", name="Word (DOCX)")
    word.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    name = info.value.suggested_filename
    assert name.startswith(f"monitoraggio-{people.plan.key}-2021-06-30-certificati-letti-")
    assert name.endswith(".docx")
