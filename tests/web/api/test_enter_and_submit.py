"""The officer of centre A enters values and submits them through the API."""

from __future__ import annotations

from decimal import Decimal

from cruscotto.web.measurements import models as mm

from .conftest import VALUES_3_1_1, Caller, enter_3_1_1, version_of


def test_it_stores_the_values_and_answers_with_them(caller: Caller) -> None:
    body = enter_3_1_1(caller)
    values = {v["variable"]: v for v in body["values"]}
    assert values["budget_innovazione"]["value"] == 9500000
    assert values["budget_innovazione"]["version"] == 1
    assert values["budget_innovazione"]["updated_by"] == "officer_a"
    assert values["contabilizzato_innovazione"]["read_by"] == ["3.1.1"]
    stored = mm.Value.objects.get(period=caller.people.year_end,
                                  variable="contabilizzato_innovazione")
    assert stored.number == Decimal("8835000")
    assert mm.AuditEvent.objects.filter(username="officer_a", action="value").count() == 2


def test_it_submits_with_the_version_it_read(caller: Caller) -> None:
    body = enter_3_1_1(caller)
    status, m = caller.officer_a.act("3.1.1", "submit",
                                     expected_version=version_of(body, "3.1.1"))
    assert status == 200, m
    assert (m["indicator"], m["state"], m["updated_by"]) == ("3.1.1", "submitted", "officer_a")
    assert mm.Measurement.objects.get(indicator__code="3.1.1",
                                      period=caller.people.year_end).state == "submitted"


def test_a_script_does_the_same_with_http_basic(caller: Caller) -> None:
    status, body = caller.officer_a_basic.put_values(VALUES_3_1_1)
    assert status == 200, body
    status, m = caller.officer_a_basic.act("3.1.1", "submit")
    assert (status, m["state"]) == (200, "submitted")


def test_it_cannot_submit_with_an_input_missing(caller: Caller) -> None:
    caller.officer_a.put_values(VALUES_3_1_1[:1])
    status, body = caller.officer_a.act("3.1.1", "submit")
    assert status == 400
    assert "manca il valore di contabilizzato_innovazione (2021)" in body["detail"]


def test_submitted_values_are_locked_and_the_message_says_why(caller: Caller) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    status, body = caller.officer_a.put_values(
        [{**VALUES_3_1_1[1], "value": 8900000, "expected_version": 1}])
    assert status == 400
    assert "inviati" in body["detail"] and "controllo di gestione" in body["detail"]


def test_the_offices_validate_return_certify_and_reopen(caller: Caller) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    status, m = caller.planning.act("3.1.1", "return", reason="")
    assert (status, m["detail"]) == (400, "3.1.1: indica perché restituisci i valori")
    status, m = caller.planning.act("3.1.1", "return", reason="budget da aggiornare")
    assert (status, m["state"], m["return_reason"]) == (200, "returned", "budget da aggiornare")
    caller.officer_a.act("3.1.1", "submit")
    assert caller.planning.act("3.1.1", "validate")[1]["state"] == "validated"
    status, m = caller.planning.act("3.1.1", "certify")
    assert status == 403  # the OIV certifies
    assert caller.oiv.act("3.1.1", "certify")[1]["state"] == "certified"
    status, m = caller.planning.act("3.1.1", "reopen", reason="rettifica del bilancio")
    assert (status, m["state"]) == (200, "draft")
    actions = list(mm.AuditEvent.objects.filter(indicator_code="3.1.1", field="state")
                   .values_list("action", flat=True))
    assert actions == ["submit", "return", "submit", "validate", "certify", "reopen"]
