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


def test_a_file_is_previewed_confirmed_and_its_indicators_submitted(
        logged_in: tuple[Any, str], tmp_path: Any) -> None:
    page, url = logged_in
    page.goto(url)
    good = tmp_path / "valori.csv"
    good.write_text("indicator,variable,year,value,period\n"
                    "3.1.1,budget_innovazione,2021,100,\n"
                    "3.1.1,contabilizzato_innovazione,2021,95,\n", encoding="utf-8")
    page.get_by_label("File CSV o Excel (.xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Carica i valori").click()
    changes = page.get_by_role("table", name="Cosa cambierà, riga per riga")
    expect(changes.get_by_role("row")).to_have_count(3)  # header + two new values
    expect(page.get_by_role("status").first).to_contain_text("Nulla è ancora salvato")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Conferma e salva i valori").click()
    expect(page.get_by_role("status").first).to_contain_text("2 righe salvate")
    offered = page.get_by_role("checkbox")
    expect(offered).to_have_count(1)
    expect(offered).to_be_checked()
    page.get_by_role("button", name="Invia tutti").click()
    expect(page.get_by_role("status").first).to_contain_text("1 indicatore inviato")
    assert axe_violations(page) == []


def test_a_value_changed_since_the_preview_is_refused_naming_it(
        logged_in: tuple[Any, str], tmp_path: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cruscotto.web.measurements.models import Value
    from cruscotto.web.measurements.uploads import do_upload_values
    from cruscotto.web.plans.models import Plan

    page, url = logged_in
    page.goto(url)
    mine = tmp_path / "valori.csv"
    mine.write_text("indicator,variable,year,value,period\n"
                    "3.1.1,budget_innovazione,2021,100,\n", encoding="utf-8")
    page.get_by_label("File CSV o Excel (.xlsx)").set_input_files(str(mine))
    page.get_by_role("button", name="Carica i valori").click()
    expect(page.get_by_role("button", name="Conferma e salva i valori")).to_be_visible()
    # meanwhile the centre's manager stores another value
    do_upload_values(
        user=get_user_model().objects.get(username="manager_a"),
        plan_id=Plan.objects.get().pk,
        upload=SimpleUploadedFile("altro.csv", b"indicator,variable,year,value,period\n"
                                  b"3.1.1,budget_innovazione,2021,300,\n"))
    page.get_by_role("button", name="Conferma e salva i valori").click()
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text("Nessun valore salvato")
    expect(page.get_by_role("table", name="Problemi del file, riga per riga")).to_contain_text(
        "ora vale 300")
    assert Value.objects.get().number == 300
