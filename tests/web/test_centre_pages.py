"""Responsibility centres: the list, and each centre with the indicators it answers for."""

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


def test_the_list_shows_each_centre_with_its_indicator_count(
    client: Client, stored: Plan
) -> None:
    response = client.get(f"{PLAN}centres/")
    text = pages.text(response)
    assert ("Centro Indicatori Internazionalizzazione 1 Registro delle Imprese 3 "
            "Servizi innovativi 2") in text
    assert pages.links(response)["Registro delle Imprese"] == \
        f"{PLAN}centres/registro-delle-imprese/"


def test_a_centre_page_lists_its_indicators(client: Client, stored: Plan) -> None:
    response = client.get(f"{PLAN}centres/registro-delle-imprese/")
    text = pages.text(response)
    assert "Registro delle Imprese" in text and "3 indicatori" in text
    links = pages.links(response)
    assert [code for code in ("3.1.1", "3.1.2", "3.2.1", "6.0.1") if code in links] == [
        "3.1.1", "3.2.1", "6.0.1"]
    assert links["6.0.1"] == f"{PLAN}indicators/6.0.1/"
    assert "Incidenza dei costi di struttura" in text


def test_it_answers_404_for_an_unknown_centre(client: Client, stored: Plan) -> None:
    assert client.get(f"{PLAN}centres/ufficio-inesistente/").status_code == 404
