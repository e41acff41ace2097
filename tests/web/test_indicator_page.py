"""The indicator page: every field of the indicator, where it sits, where it came from."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.core.plan import Plan

from . import pages

pytestmark = pytest.mark.django_db

PLAN = "/plans/cciaa-pr-2021-2023/"


@pytest.fixture
def stored(small_plan: Plan) -> Plan:
    pages.store_published(small_plan)
    return small_plan


def test_it_shows_every_field(client: Client, stored: Plan) -> None:
    text = pages.text(client.get(f"{PLAN}indicators/3.2.1/"))
    for expected in [
        "3.2.1 Imprese assistite sui mercati esteri",
        "Numero di imprese che hanno ricevuto assistenza specialistica",
        "Tipologia efficacia",
        "Unità di misura numero",
        "Fonti dati Registro imprese (InfoCamere); Contabilità",
        "Algoritmo di calcolo Sommatoria delle imprese assistite",
        "Missione 016 · Commercio internazionale ed internazionalizzazione del sistema produttivo",
        "Programma 005 · Sostegno all'internazionalizzazione delle imprese",
        "Fonte: riga 33 (piano-prova.txt)",
    ]:
        assert expected in text


def test_it_lists_the_target_of_every_plan_year_as_written(client: Client, stored: Plan) -> None:
    text = pages.text(client.get(f"{PLAN}indicators/3.1.1/"))
    assert ("Anno Target Lettura in vigore 2021 >=90% letto dal testo 2022 >=90% letto dal "
            "testo 2023 >=95% letto dal testo") in text
    # a one-off project: the years without a target say so
    text = pages.text(client.get(f"{PLAN}indicators/3.1.2/"))
    assert ("2021 sì realizzazione letto dal testo 2022 nessun target — 2023 nessun target —"
            in text)


def test_it_links_the_centres_and_the_parents(client: Client, stored: Plan) -> None:
    links = pages.links(client.get(f"{PLAN}indicators/3.1.1/"))
    assert links["Servizi innovativi"] == f"{PLAN}centres/servizi-innovativi/"
    assert links["Registro delle Imprese"] == f"{PLAN}centres/registro-delle-imprese/"
    assert links["3 · IMPRESE SOLIDE INNOVATIVE INTERNAZIONALI"] == f"{PLAN}#so-011-3"
    assert links["3.1 · INNOVAZIONE: digitalizzazione delle imprese"] == f"{PLAN}#op-011-3-1"
    for url in (links["Registro delle Imprese"], links["Piano della Performance 2021-2023"]):
        assert client.get(url).status_code == 200
    overview = client.get(PLAN).content.decode()
    assert 'id="so-011-3"' in overview and 'id="op-011-3-1"' in overview


def test_an_indicator_on_a_strategic_objective_has_no_operational_parent(
    client: Client, stored: Plan
) -> None:
    text = pages.text(client.get(f"{PLAN}indicators/6.0.1/"))
    assert "Obiettivo strategico 6 · EFFICIENZA E QUALITÀ DEI SERVIZI" in text
    assert "Obiettivo operativo" not in text


def test_it_answers_404_for_an_unknown_code(client: Client, stored: Plan) -> None:
    assert client.get(f"{PLAN}indicators/9.9.9/").status_code == 404
    assert client.get("/plans/altro-piano-2021-2023/indicators/3.1.1/").status_code == 404
