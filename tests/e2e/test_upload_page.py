"""The values upload page in a real browser: the form and a report of problems, axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


@pytest.fixture
def logged_in(transactional_db: None, live_server: Any, page: Any) -> tuple[Any, str]:
    people = make_people()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill("officer_a")
    page.get_by_label("Password").fill("pw-officer_a")
    page.get_by_role("button", name="Accedi").last.click()
    return page, f"{live_server.url}/plans/{people.plan.key}/upload/"


def test_the_form_and_the_report_of_a_bad_file_are_accessible(
        logged_in: tuple[Any, str], tmp_path: Any) -> None:
    page, url = logged_in
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Caricamento dei valori da file")
    assert axe_violations(page) == []
    bad = tmp_path / "valori.csv"
    bad.write_text("indicator,variable,year,value,period\n"
                   "9.9.9,budget_innovazione,2021,1,\n"
                   "3.1.1,budget_innovazione,2021,abc,\n", encoding="utf-8")
    page.get_by_label("File CSV o Excel (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Carica i valori").click()
    table = page.get_by_role("table", name="Problemi del file, riga per riga")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(3)  # header + two problems
    expect(page.get_by_role("alert").first).to_contain_text("Nessun valore salvato")
    assert axe_violations(page) == []
