"""Searching the indicators of a plan by code or by words."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.core.plan import Plan

from . import pages

pytestmark = pytest.mark.django_db

PLAN = "/plans/cciaa-pr-2021-2023/"
SEARCH = f"{PLAN}search/"


@pytest.fixture
def stored(small_plan: Plan) -> Plan:
    pages.store_published(small_plan)
    return small_plan


def found(response) -> list[str]:
    return [c for c in ("3.1.1", "3.1.2", "3.2.1", "6.0.1") if c in pages.links(response)]


def test_an_exact_code_opens_the_indicator(client: Client, stored: Plan) -> None:
    response = client.get(SEARCH, {"q": " 3.2.1 "})
    assert response.status_code == 302
    assert response["Location"] == f"{PLAN}indicators/3.2.1/"


def test_a_code_prefix_lists_the_indicators_under_it(client: Client, stored: Plan) -> None:
    response = client.get(SEARCH, {"q": "3.1"})
    assert found(response) == ["3.1.1", "3.1.2"]
    assert "2 indicatori trovati per «3.1»" in pages.text(response)


def test_words_match_name_and_description_ignoring_case_and_accents(
    client: Client, stored: Plan
) -> None:
    assert found(client.get(SEARCH, {"q": "QUALITA"})) == ["3.1.2"]  # "qualità" in the name
    assert found(client.get(SEARCH, {"q": "proventi"})) == ["6.0.1"]  # in the description
    assert found(client.get(SEARCH, {"q": "budget"})) == ["3.1.1"]


def test_every_word_must_match(client: Client, stored: Plan) -> None:
    assert found(client.get(SEARCH, {"q": "imprese"})) == ["3.2.1"]
    assert found(client.get(SEARCH, {"q": "imprese budget"})) == []


def test_it_says_when_nothing_matches(client: Client, stored: Plan) -> None:
    text = pages.text(client.get(SEARCH, {"q": "biciclette"}))
    assert "0 indicatori trovati per «biciclette»" in text


def test_the_empty_form_has_a_labelled_field(client: Client, stored: Plan) -> None:
    response = client.get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="search-q"' in html and 'id="search-q"' in html
    assert "trovat" not in pages.text(response)


def test_htmx_gets_only_the_results(client: Client, stored: Plan) -> None:
    response = client.get(SEARCH, {"q": "3.1.1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200  # as-you-type: no redirect in the middle of typing
    assert "<html" not in html and "<form" not in html
    assert found(response) == ["3.1.1"]
    assert "1 indicatore trovato per «3.1.1»" in pages.text(response)


def test_htmx_restoring_history_gets_the_whole_page(client: Client, stored: Plan) -> None:
    response = client.get(SEARCH, {"q": "budget"}, headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    html = response.content.decode()
    assert "<html" in html and 'value="budget"' in html
    assert found(response) == ["3.1.1"]
