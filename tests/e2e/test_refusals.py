"""Every refusal shows where the person is looking, in a real browser: the
message appears in the form's page (htmx swaps the 4xx answer in), has
role="alert" and gets the focus; the pages stay axe-clean with the message."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from tests.web.measurements.conftest import People, make_people

from .conftest import axe_violations
from .test_measurement_cycle import sign_in

BUDGET = "Valore di budget degli interventi economici per l'innovazione"
SPENT = "Valore contabilizzato degli interventi economici per l'innovazione"


@pytest.fixture
def site(transactional_db: None, live_server: Any) -> tuple[People, str]:
    people = make_people()
    return people, f"{live_server.url}/plans/{people.plan.key}"


def refusal(page: Any, selector: str, text: str) -> None:
    alert = page.locator(selector)
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text(text)
    expect(alert).to_be_focused()
    assert axe_violations(page) == []


def test_a_value_that_is_not_a_number(site: tuple[People, str], live_server: Any,
                                      page: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_label(BUDGET).fill("tanti")
    page.get_by_role("button", name="Salva").click()
    refusal(page, "#measure-message", "Nessun valore salvato")
    expect(page.locator("#error-budget_innovazione")).to_be_visible()
    expect(page.get_by_label(BUDGET)).to_have_value("tanti")
    assert not mm.Value.objects.filter(variable="budget_innovazione").exists()


def test_a_missed_target_without_a_gap_explanation(site: tuple[People, str],
                                                   live_server: Any, page: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_label(BUDGET).fill("9.500.000")
    page.get_by_label(SPENT).fill("5.000.000")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#measure-message")).to_have_text("Valori salvati.")
    page.get_by_role("button", name="Invia al controllo di gestione").click()
    refusal(page, "#measure-message", "motiva lo scostamento")
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "draft")


def test_submitting_before_saving_names_the_missing_values(
        site: tuple[People, str], live_server: Any, page: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_role("button", name="Invia al controllo di gestione").click()
    refusal(page, "#measure-message", "manca il valore di budget_innovazione")


def test_an_interim_submission_without_the_forecast(site: tuple[People, str],
                                                    live_server: Any, page: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{plan}/indicators/3.1.1/periods/{people.interim.end_date}/")
    page.get_by_label(BUDGET).fill("9.500.000")
    page.get_by_label(SPENT).fill("9.000.000")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#measure-message")).to_have_text("Valori salvati.")
    page.get_by_role("button", name="Invia al controllo di gestione").click()
    refusal(page, "#measure-message", "indica la previsione di fine anno")
    page.get_by_label("Previsione di fine anno").fill("in linea con il target")
    page.get_by_role("button", name="Invia al controllo di gestione").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "submitted")


def test_returning_without_a_reason(site: tuple[People, str], live_server: Any,
                                    page: Any) -> None:
    people, plan = site
    load_demo(plan=people.plan)  # 3.3.1 is submitted
    sign_in(page, live_server.url, "planning")
    page.goto(f"{plan}/indicators/3.3.1/periods/2021-12-31/")
    page.get_by_role("button", name="Restituisci al centro").click()
    refusal(page, "#measure-message", "indica perché restituisci i valori")
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "submitted")


def test_a_target_revision_that_does_not_read(site: tuple[People, str], live_server: Any,
                                              page: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "planning")
    page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
    page.get_by_label("Nuovo target").fill("tanti")
    page.get_by_label("Motivazione (obbligatoria)").fill("nuova norma")
    page.get_by_role("button", name="Rimodula").click()
    refusal(page, "#revise-error", "il target rimodulato non si legge")
    expect(page.get_by_label("Nuovo target")).to_have_value("tanti")
    assert not mm.TargetRevision.objects.exists()


def test_a_bad_period_date(site: tuple[People, str], live_server: Any, page: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "planning")
    page.goto(f"{plan}/periods/")
    page.get_by_label("Data di riferimento").fill("31/02/2021")
    page.get_by_role("button", name="Aggiungi il periodo").click()
    refusal(page, "#periods-error", "non è una data")
    expect(page.get_by_label("Data di riferimento")).to_have_value("31/02/2021")


def test_a_bad_upload(site: tuple[People, str], live_server: Any, page: Any,
                      tmp_path: Any) -> None:
    people, plan = site
    sign_in(page, live_server.url, "officer_a")
    page.goto(f"{plan}/upload/")
    bad = tmp_path / "valori.csv"
    bad.write_text("indicator,variable,year,value,period\n"
                   "3.1.1,budget_innovazione,2021,abc,\n", encoding="utf-8")
    page.get_by_label("File CSV o Excel (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Carica i valori").click()
    refusal(page, "[role=alert]:not([hidden]) >> nth=0", "Nessun valore salvato")


def test_without_javascript_the_refusal_is_a_full_page(
        site: tuple[People, str], live_server: Any, browser: Any) -> None:
    people, plan = site
    context = browser.new_context(locale="it-IT", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "officer_a")
        page.goto(f"{plan}/indicators/3.1.1/periods/2021-12-31/")
        page.get_by_label(BUDGET).fill("tanti")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Salva").click()
        assert answer.value.status == 400
        expect(page.get_by_role("heading", level=1)).to_contain_text("3.1.1")
        expect(page.locator("#measure-message")).to_have_attribute("role", "alert")
        expect(page.locator("#measure-message")).to_contain_text("Nessun valore salvato")
        expect(page.get_by_label(BUDGET)).to_have_value("tanti")
    finally:
        context.close()
