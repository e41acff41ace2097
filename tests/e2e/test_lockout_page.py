"""The page shown after too many wrong passwords: clear, axe-clean, usable by keyboard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


def test_lockout_page_is_accessible_and_works_with_the_keyboard(
        transactional_db: None, live_server: Any, page: Any) -> None:
    make_people()
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Nome utente").fill("officer_a")
        page.get_by_label("Password").fill("sbagliata")
        page.get_by_label("Password").press("Enter")  # submitted from the keyboard
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso bloccato")
    expect(page.get_by_role("alert")).to_contain_text("bloccato per 15 minuti")
    assert axe_violations(page) == []
    # the way out, by keyboard alone
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == \
                "Torna alla pagina iniziale":
            break
    else:
        raise AssertionError("the link back is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
