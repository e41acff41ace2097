"""Refusals read in Italian, and in English for whoever asks for English."""

from __future__ import annotations

import json
from decimal import Decimal

from django.test import Client

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_value

from .. import pages
from .conftest import People

PAGE = "/plans/cciaa-mimblo-2021-2023/indicators/3.1.1/periods/2021-12-31/"
API = "/api/plans/cciaa-mimblo-2021-2023/periods/2021-12-31/values"
EN = {"accept-language": "en-GB,en;q=0.9"}


def stale_save(client: Client, people: People, headers: dict[str, str]) -> str:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    do_set_value(user=people.manager_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9600000"), expected_version=1))
    client.force_login(people.officer_a)
    response = client.post(PAGE, {"action": "save", "value-budget_innovazione": "9.700.000",
                                  "version-budget_innovazione": "1"}, headers=headers)
    assert response.status_code == 409
    return pages.text(response)


def test_a_conflict_on_the_page_is_said_in_italian(client: Client, people: People) -> None:
    text = stale_save(client, people, {})
    assert ("Conflitto: budget_innovazione: budget_innovazione è stata modificata nel "
            "frattempo da manager_a: ora vale 9.600.000 (versione 2)") in text
    assert "meanwhile" not in text
    assert mm.Value.objects.get().number == Decimal("9600000")


def test_a_conflict_on_the_page_is_said_in_english_on_request(client: Client,
                                                               people: People) -> None:
    text = stale_save(client, people, EN)
    assert ("budget_innovazione was changed by manager_a meanwhile: it is now 9,600,000 "
            "(version 2); your change was not saved") in text
    assert "nel frattempo" not in text


def test_a_bad_number_on_the_page_is_said_in_english_on_request(client: Client,
                                                                people: People) -> None:
    client.force_login(people.officer_a)
    response = client.post(PAGE, {"action": "save", "value-budget_innovazione": "1.500"},
                           headers=EN)
    assert response.status_code == 400
    assert "“1.500” is ambiguous: write 1500 for thousands" in pages.text(response)


def test_an_api_refusal_is_in_the_caller_s_language(people: People) -> None:
    client = Client()
    client.force_login(people.officer_b)
    body = json.dumps([{"indicator": "3.1.1", "variable": "budget_innovazione",
                        "value": 1}])
    it = client.put(API, data=body, content_type="application/json").json()["detail"]
    en = client.put(API, data=body, content_type="application/json", headers=EN).json()
    assert it.startswith("[0]: l'indicatore 3.1.1 è di ")
    assert en["detail"].startswith("[0]: indicator 3.1.1 belongs to ")
    assert en["detail"].endswith("you are not in that centre")
