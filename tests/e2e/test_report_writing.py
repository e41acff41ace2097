"""The Relazione's narrative page and the report job page in a real browser: axe-clean,
and the narrative written, previewed and saved with the keyboard alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cruscotto.web.measurements.demo import load_demo
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def sign_in(page: Any, base: str, who: str) -> None:
    """A person of ``make_people`` (password: ``pw-`` and the username)."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nome utente").fill(who)
    page.get_by_label("Password").fill(f"pw-{who}")
    page.get_by_role("button", name="Accedi").last.click()
    expect(page.get_by_role("button", name="Esci")).to_be_visible()


def test_the_narrative_with_the_keyboard(transactional_db: None, live_server: Any,
                                         page: Any) -> None:
    people = make_people()
    load_demo(plan=people.plan)
    base, key = live_server.url, people.plan.key
    sign_in(page, base, "planning")
    response = page.goto(f"{base}/plans/{key}/report/narrative/?year=2021")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Testi della Relazione sulla Performance 2021")
           ).to_be_visible()
    assert axe_violations(page) == []

    # from the link back to the report, Tab reaches the first Markdown field
    page.get_by_role("link", name="Torna alla relazione").focus()
    page.keyboard.press("Tab")
    field = page.locator("#text-presentazione")
    expect(field).to_be_focused()
    page.keyboard.type("La Camera presenta i **risultati** del 2021.")
    # Tab on, through the other sections, to the preview button
    preview = page.get_by_role("button", name="Anteprima")
    for _ in range(30):
        page.keyboard.press("Tab")
        if preview.evaluate("b => b === document.activeElement"):
            break
    expect(preview).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".report-preview strong", has_text="risultati")).to_be_visible()
    expect(page.locator("#text-presentazione")).to_have_value(
        "La Camera presenta i **risultati** del 2021.")
    assert axe_violations(page) == []

    # the save button follows the preview's
    page.get_by_role("button", name="Anteprima").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Salva")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/plans/{key}/report/narrative/?year=2021")
    expect(page.get_by_text("Salvate nuove versioni di: Presentazione.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Presentazione")
    assert axe_violations(page) == []


def test_the_report_job_page_passes_axe(transactional_db: None, live_server: Any,
                                        page: Any) -> None:
    people = make_people()
    load_demo(plan=people.plan)
    base, key = live_server.url, people.plan.key
    page.goto(f"{base}/plans/{key}/report/download/pdf/?period=2021-12-31")
    expect(page).to_have_url(re.compile(rf"/plans/{key}/report/jobs/[0-9a-f-]{{36}}/$"))
    expect(page.get_by_role("heading", name="Preparazione della relazione")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("in coda")
    assert axe_violations(page) == []
    # the worker renders it; the page then offers the file
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("pronto")
    expect(page.get_by_role("link", name="Scarica il PDF")).to_be_visible()
    assert axe_violations(page) == []


def test_an_approval_is_prepared_by_the_worker_and_listed_meanwhile(
        transactional_db: None, live_server: Any, page: Any) -> None:
    people = make_people()
    load_demo(plan=people.plan)
    base, key = live_server.url, people.plan.key
    sign_in(page, base, "planning")
    page.goto(f"{base}/plans/{key}/report/?period=2021-12-31")
    page.get_by_label("Atto di approvazione").fill("Delibera di Giunta n. 45 del 18/06/2022")
    page.get_by_role("button", name="Approva e pubblica un'edizione").click()
    expect(page.get_by_text("Approvazione registrata: l'edizione 1 della relazione 2021")
           ).to_be_visible()
    pending = page.locator(".report-approvals")
    expect(pending).to_contain_text(
        "Edizione 1, approvata con Delibera di Giunta n. 45 del 18/06/2022: in coda.")
    expect(pending.locator("progress")).to_have_attribute("value", "0")
    assert axe_violations(page) == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.reload()
    expect(page.locator(".report-approvals")).to_have_count(0)
    expect(page.locator("table.report-editions")).to_contain_text(
        "Delibera di Giunta n. 45 del 18/06/2022")
    assert axe_violations(page) == []
