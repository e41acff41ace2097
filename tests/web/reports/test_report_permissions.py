"""Who sees what in the report: validated and certified values only for the public and
viewers; every state, marked, for the planning office, the OIV and a centre's own."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cruscotto.core.targets import format_number
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements.selectors import evaluate_period

from .conftest import UNVALIDATED, engine, xlsx


def download(client: Client, key: str, fmt: str = "xlsx", period: str = "2021-12-31") -> Any:
    return client.get(f"/plans/{key}/report/download/{fmt}/", {"period": period})


def indicator_values(content: bytes) -> dict[str, Any]:
    ws = xlsx(content)["Indicatori"]
    heads = [c.value for c in ws[1]]
    return {row[0]: row[heads.index("Valore")] for row in ws.iter_rows(min_row=2,
                                                                        values_only=True)}


def organisation(content: bytes) -> float:
    cover = {r[0]: r[1] for r in xlsx(content)["Copertina"].iter_rows(values_only=True)}
    return cover["Grado di raggiungimento dell'ente"]


@pytest.mark.parametrize("who", [None, "viewer", "officer_a"])
def test_it_hides_unvalidated_values_from_the_public_and_viewers(demo, client, who) -> None:
    if who:
        client.force_login(getattr(demo, who))
    response = download(client, demo.plan.key)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Cache-Control"] == "private, no-store"
    values = indicator_values(response.content)
    assert values["4.2.2"] is None  # a draft of centre B
    assert values["1.1.1"] is not None
    published = engine(demo, all_states=False).organisation.achievement
    if who == "officer_a":  # a centre sees its own drafts too
        published = evaluate_period(plan_id=demo.plan.pk, period=demo.year_end,
                                    actor=actor_for(demo.officer_a, demo.plan.pk)
                                    ).evaluation.organisation.achievement
    assert organisation(response.content) == pytest.approx(float(published) / 100)


@pytest.mark.parametrize("who", ["planning", "oiv"])
def test_the_planning_office_and_the_oiv_see_every_state(demo, client, who) -> None:
    client.force_login(getattr(demo, who))
    response = download(client, demo.plan.key)
    values = indicator_values(response.content)
    assert all(values[c] is not None for c in UNVALIDATED)
    every = engine(demo, all_states=True).organisation.achievement
    assert organisation(response.content) == pytest.approx(float(every) / 100)


def test_a_centre_sees_its_own_draft_and_not_the_others(demo, client) -> None:
    client.force_login(demo.officer_b)  # centre B owns 4.2.2
    values = indicator_values(download(client, demo.plan.key).content)
    assert values["4.2.2"] is not None
    assert values["3.3.1"] is None


def test_the_page_marks_what_it_includes(demo, client) -> None:
    page = client.get(f"/plans/{demo.plan.key}/report/").content.decode()
    # the public: certified values only, and the page says so (the same rule as the figures)
    assert "Valori inclusi: stati certificato;" in page
    achievement = engine(demo, all_states=False).organisation.achievement
    assert f"<strong>{format_number(achievement)}%</strong>" in page
    client.force_login(demo.planning)
    page = client.get(f"/plans/{demo.plan.key}/report/").content.decode()
    assert "Valori inclusi: stati bozza, restituito, inviato, validato, certificato; " in page
    client.force_login(demo.officer_b)
    page = client.get(f"/plans/{demo.plan.key}/report/").content.decode()
    assert "certificato (quelli non ancora validati solo per gli indicatori dei propri " \
        "centri)" in page


def test_bad_requests_get_a_clear_answer(demo, client) -> None:
    key = demo.plan.key
    response = download(client, key, period="2021-05-30")
    assert response.status_code == 400
    assert "Il piano non ha un periodo al 30/05/2021" in response.content.decode()
    assert download(client, key, period="giugno").status_code == 400
    assert download(client, key, fmt="odt").status_code == 404
    assert download(client, "nessun-piano").status_code == 404
    assert client.get("/plans/nessun-piano/report/").status_code == 404
