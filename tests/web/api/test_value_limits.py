"""Regression (found by the API contract test): the OpenAPI document said a value is
"a number", but the API refuses numbers outside the column's limits with a 400. The
document now states both limits of the numeric domain (``multipleOf`` 1e-4, absolute
value below 10^11; docs/decisions/0003), and numbers within them are stored exactly.
"""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from cruscotto.web.measurements import models as mm

from .conftest import Caller


def test_the_document_states_the_limits_of_a_value(client: Client) -> None:
    doc = client.get("/api/openapi.json").json()
    number = doc["components"]["schemas"]["ValueIn"]["properties"]["value"]["anyOf"][0]
    assert number == {"type": "number", "exclusiveMinimum": -10**11,
                      "exclusiveMaximum": 10**11, "multipleOf": 1e-4}


def test_values_within_the_limits_are_stored_exactly(caller: Caller) -> None:
    # the largest and the smallest: 15 digits, which SQLite's doubles hold exactly
    for n, text in enumerate(["99999999999.9999", "-0.0001"]):
        r = caller.officer_a.client.put(
            caller.officer_a.period() + "/values",
            data=f'[{{"indicator": "3.1.1", "variable": "budget_innovazione", '
                 f'"value": {text}, "expected_version": {n}}}]',
            content_type="application/json")
        assert r.status_code == 200, r.json()
        assert mm.Value.objects.get(variable="budget_innovazione").number == Decimal(text)


def test_a_value_beyond_the_limits_is_refused_naming_the_field(caller: Caller) -> None:
    for value in (10**11, 0.12345):
        status, body = caller.officer_a.put_values([
            {"indicator": "3.1.1", "variable": "budget_innovazione", "value": value}])
        assert status == 400 and "body.items.0.value" in body["detail"], body
    assert not mm.Value.objects.exists()


def test_a_text_with_a_nul_character_is_refused_not_a_server_error(caller: Caller) -> None:
    """Regression (the contract test on PostgreSQL): a note holding NUL (\\u0000), which
    no PostgreSQL text can hold, gave a 500; the document now forbids it, and the API
    answers 400 naming the field, writing nothing."""
    doc = caller.officer_a.client.get("/api/openapi.json").json()
    assert "pattern" in doc["components"]["schemas"]["ValueIn"]["properties"]["note"]
    r = caller.officer_a.client.put(
        caller.officer_a.period() + "/values",
        data='[{"indicator": "3.1.1", "variable": "budget_innovazione", "value": 5, '
             '"note": "a\\u0000b", "expected_version": 0}]',
        content_type="application/json")
    assert r.status_code == 400, r.content
    assert r.json()["errors"][0]["loc"][-1] == "note"
    assert not mm.Value.objects.filter(variable="budget_innovazione").exists()
