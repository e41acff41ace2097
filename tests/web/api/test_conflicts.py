"""A stale expected_version is refused with 409, the current value and its version."""

from __future__ import annotations

from decimal import Decimal

from cruscotto.web.measurements import models as mm

from .conftest import VALUES_3_1_1, Caller, enter_3_1_1, version_of


def test_a_stale_value_version_gets_409_with_the_current_value(caller: Caller) -> None:
    enter_3_1_1(caller)
    change = {**VALUES_3_1_1[1], "value": 8900000, "expected_version": 1}
    assert caller.manager_a.put_values([change])[0] == 200  # now version 2
    status, body = caller.officer_a.put_values([{**change, "value": 8000000}])
    assert status == 409
    assert (body["current"], body["version"]) == (8900000, 2)
    assert "modificata nel frattempo da manager_a" in body["detail"]
    assert mm.Value.objects.get(variable="contabilizzato_innovazione").number == Decimal(
        "8900000")


def test_a_new_value_expected_at_version_0_conflicts_once_stored(caller: Caller) -> None:
    enter_3_1_1(caller)
    status, body = caller.officer_a.put_values([{**VALUES_3_1_1[0], "expected_version": 0}])
    assert (status, body["current"], body["version"]) == (409, 9500000, 1)


def test_a_stale_workflow_version_gets_409_with_the_current_state(caller: Caller) -> None:
    body = enter_3_1_1(caller)
    seen = version_of(body, "3.1.1")
    assert caller.officer_a.act("3.1.1", "submit", expected_version=seen)[0] == 200
    status, body = caller.planning.act("3.1.1", "return", reason="x", expected_version=seen)
    assert status == 409
    assert (body["current"], body["version"]) == ("submitted", seen + 1)
