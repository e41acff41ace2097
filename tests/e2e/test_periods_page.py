"""The planning office's periods page in a real browser: axe-clean, usable with the keyboard."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.web.measurements import models as mm
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


@pytest.fixture
def planning(transactional_db: None, live_server: Any, page: Any) -> tuple[Any, str]:
    people = make_people()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill("planning")
    page.get_by_label("Password").fill("pw-planning")
    page.get_by_role("button", name="Accedi").last.click()
    return page, f"{live_server.url}/plans/{people.plan.key}/periods/"


def test_the_planning_office_adds_a_date_with_the_keyboard_alone(
        planning: tuple[Any, str]) -> None:
    page, url = planning
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Periodi e scadenze")
    assert axe_violations(page) == []
    page.get_by_label("Data di riferimento").focus()
    page.keyboard.type("30/09/2021")
    page.keyboard.press("Tab")
    page.keyboard.type("31/10/2021")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Aggiungi il periodo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Aggiunto il periodo al 30/09/2021.")
    row = page.get_by_role("row").filter(has_text="30/09/2021")
    expect(row).to_contain_text("monitoraggio intermedio")
    assert mm.Period.objects.get(end_date=datetime.date(2021, 9, 30)).deadline == \
        datetime.date(2021, 10, 31)
    assert axe_violations(page) == []
    remove = page.get_by_role("button", name="Togli il periodo al 30/09/2021")
    remove.focus()
    page.keyboard.press("Enter")
    # asked twice: the confirmation names the period and has the focus
    confirm = page.get_by_role("button", name="Sì, togli il periodo al 30/09/2021")
    expect(confirm).to_be_focused()
    assert mm.Period.objects.filter(end_date=datetime.date(2021, 9, 30)).exists()
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Tolto il periodo al 30/09/2021.")
    assert not mm.Period.objects.filter(end_date=datetime.date(2021, 9, 30)).exists()
