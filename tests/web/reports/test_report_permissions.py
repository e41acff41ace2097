"""Which values the report counts (its basis): certified by default, for everyone; validated
ones too for signed-in readers who ask; every state, marked, for the planning office, the
OIV and administrators who ask. The basis is on the cover, in the workbook and the file."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cruscotto.core.targets import format_number
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements.selectors import evaluate_period

from .conftest import UNVALIDATED, engine, xlsx


def download(client: Client, key: str, fmt: str = "xlsx", period: str = "2021-12-31",
             basis: str = "") -> Any:
    query = {"period": period} | ({"basis": basis} if basis else {})
    return client.get(f"/plans/{key}/report/download/{fmt}/", query)


def indicator_values(content: bytes) -> dict[str, Any]:
    ws = xlsx(content)["Indicatori"]
    heads = [c.value for c in ws[1]]
    return {row[0]: row[heads.index("Valore")] for row in ws.iter_rows(min_row=2,
                                                                        values_only=True)}


def organisation(content: bytes) -> float:
    cover = {r[0]: r[1] for r in xlsx(content)["Copertina"].iter_rows(values_only=True)}
    return cover["Grado di raggiungimento dell'ente"]


@pytest.mark.parametrize("who", [None, "viewer", "officer_a", "planning"])
def test_everyone_gets_the_certified_report_by_default(demo, client, who) -> None:
    """The same document for the public and the office: certified values, saying so."""
    if who:
        client.force_login(getattr(demo, who))
    response = download(client, demo.plan.key)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Cache-Control"] == "private, no-store"
    assert "-certificati-letti-" in response["Content-Disposition"]
    values = indicator_values(response.content)
    assert values["4.2.2"] is None  # a draft of centre B
    assert values["1.1.1"] is not None
    certified = engine(demo, all_states=False).organisation.achievement
    assert organisation(response.content) == pytest.approx(float(certified) / 100)
    cover = {r[0]: r[1] for r in xlsx(response.content)["Copertina"].iter_rows(
        values_only=True)}
    assert cover["Base dei dati"] == "valori certificati"
    assert cover["Stati inclusi"] == "certificato"


@pytest.mark.parametrize("who", ["planning", "oiv"])
def test_the_planning_office_and_the_oiv_may_count_every_state(demo, client, who) -> None:
    client.force_login(getattr(demo, who))
    response = download(client, demo.plan.key, basis="all")
    assert "-tutti-letti-" in response["Content-Disposition"]
    values = indicator_values(response.content)
    assert all(values[c] is not None for c in UNVALIDATED)
    every = engine(demo, all_states=True).organisation.achievement
    assert organisation(response.content) == pytest.approx(float(every) / 100)


def test_validated_basis_counts_validated_values_for_signed_in_readers(demo, client) -> None:
    client.force_login(demo.viewer)
    response = download(client, demo.plan.key, basis="validated")
    assert response.status_code == 200
    validated = evaluate_period(plan_id=demo.plan.pk, period=demo.year_end,
                                actor=actor_for(demo.viewer, demo.plan.pk)
                                ).evaluation.organisation.achievement
    assert organisation(response.content) == pytest.approx(float(validated) / 100)


@pytest.mark.parametrize(("who", "basis"), [(None, "validated"), (None, "all"),
                                             ("viewer", "all"), ("officer_b", "all")])
def test_a_basis_beyond_the_readers_rights_is_refused(demo, client, who, basis) -> None:
    if who:
        client.force_login(getattr(demo, who))
    response = download(client, demo.plan.key, basis=basis)
    assert response.status_code == 403
    assert "non è disponibile per te: puoi scegliere valori certificati" in \
        response.content.decode()
    page = client.get(f"/plans/{demo.plan.key}/report/", {"basis": basis})
    assert page.status_code == 403
    assert "non è disponibile per te" in page.content.decode()


def test_the_page_marks_what_it_includes(demo, client) -> None:
    page = client.get(f"/plans/{demo.plan.key}/report/").content.decode()
    # the public: certified values only, and the page says so (the same rule as the figures)
    assert "Base dei dati: valori certificati" in page
    assert "Valori certificati (stati inclusi: certificato); ultima modifica dei dati il" \
        in page
    assert 'name="basis"' not in page  # nothing to choose
    achievement = engine(demo, all_states=False).organisation.achievement
    assert f"<strong>{format_number(achievement)}%</strong>" in page
    client.force_login(demo.planning)
    page = client.get(f"/plans/{demo.plan.key}/report/", {"basis": "all"}).content.decode()
    assert "(stati inclusi: bozza, restituito, inviato, validato, certificato); " in page
    assert '<option value="all" selected>' in page


def test_bad_requests_get_a_clear_answer(demo, client) -> None:
    key = demo.plan.key
    response = download(client, key, period="2021-05-30")
    assert response.status_code == 400
    assert "Il piano non ha un periodo al 30/05/2021" in response.content.decode()
    assert download(client, key, period="giugno").status_code == 400
    assert download(client, key, fmt="odt").status_code == 404
    assert download(client, "nessun-piano").status_code == 404
    assert client.get("/plans/nessun-piano/report/").status_code == 404


def test_a_job_is_for_readers_allowed_its_basis(demo, client: Client) -> None:
    key = demo.plan.key
    client.force_login(demo.planning)
    response = client.get(f"/plans/{key}/report/download/pdf/",
                          {"period": "2021-12-31", "basis": "all"})
    job_url = response["Location"]
    assert client.get(job_url).status_code == 200
    client.force_login(demo.viewer)
    assert client.get(job_url).status_code == 403
    assert Client().get(job_url).status_code == 403
