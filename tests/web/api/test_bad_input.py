"""Bad input is a 400 that says which field and what was expected; nothing is written."""

from __future__ import annotations

from cruscotto.web.measurements import models as mm

from .conftest import VALUES_3_1_1, Caller


def test_a_value_given_as_a_string_is_refused_by_field(caller: Caller) -> None:
    status, body = caller.officer_a.put_values([VALUES_3_1_1[0],
                                                {**VALUES_3_1_1[1], "value": "8835000"}])
    assert status == 400
    assert "body.items.1.value" in body["detail"] and "non un testo" in body["detail"]
    assert body["errors"][0]["loc"][-2:] == [1, "value"]
    assert not mm.Value.objects.exists()


def test_decimals_are_read_exactly(caller: Caller) -> None:
    status, body = caller.officer_a.put_values([{**VALUES_3_1_1[0], "value": 0.1}])
    assert status == 200, body
    assert str(mm.Value.objects.get().number.normalize()) == "0.1"
    status, body = caller.officer_a.put_values(
        [{**VALUES_3_1_1[0], "value": 0.12345678901, "expected_version": 1}])
    assert status == 400 and "troppi decimali" in body["detail"]


def test_a_variable_the_indicator_does_not_read_is_refused(caller: Caller) -> None:
    status, body = caller.officer_a.put_values(
        [{"indicator": "3.1.1", "variable": "oneri_correnti", "value": 1}])
    assert (status, body["detail"]) == (
        400, "[0]: l'indicatore 3.1.1 non legge la variabile «oneri_correnti»")


def test_an_unknown_indicator_or_a_bad_date_is_said(caller: Caller) -> None:
    status, body = caller.officer_a.put_values([{**VALUES_3_1_1[0], "indicator": "9.9.9"}])
    assert status == 404 and "non ha l'indicatore «9.9.9»" in body["detail"]
    api = caller.officer_a
    status, body = api.get(api.period("2021-13-45") + "/values")
    assert status == 400 and body["detail"].startswith("dati non validi: path.date")


def test_a_body_that_is_not_json_is_refused(caller: Caller) -> None:
    api = caller.officer_a
    r = api.client.put(api.period() + "/values", data="{", content_type="application/json")
    assert r.status_code == 400 and "Cannot parse request body" in r.json()["detail"]
