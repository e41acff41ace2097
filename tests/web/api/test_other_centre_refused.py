"""Someone of centre B cannot write centre A's values nor act on them: 403, nothing written."""

from __future__ import annotations

from cruscotto.web.measurements import models as mm

from .conftest import VALUES_3_1_1, Caller, enter_3_1_1


def test_it_refuses_someone_of_another_centre_and_writes_nothing(caller: Caller) -> None:
    status, body = caller.officer_b.put_values(VALUES_3_1_1)
    assert status == 403
    assert "non fai parte di quel centro" in body["detail"]
    assert not mm.Value.objects.exists() and not mm.AuditEvent.objects.exists()


def test_a_batch_with_one_refused_item_writes_none_of_it(caller: Caller) -> None:
    mine = {"indicator": "4.2.2", "variable": "facciata_giureconsulti", "value": True}
    status, body = caller.officer_b.put_values([mine, VALUES_3_1_1[0]])
    assert status == 403 and body["detail"].startswith("[1]: l'indicatore 3.1.1 è di")
    assert not mm.Value.objects.exists()
    status, body = caller.officer_b.put_values([mine])
    assert status == 200, body
    assert [v["value"] for v in body["values"]] == [True]


def test_it_refuses_another_centre_s_submission(caller: Caller) -> None:
    enter_3_1_1(caller)
    status, body = caller.officer_b.act("3.1.1", "submit")
    assert status == 403 and "non puoi inviare i valori" in body["detail"]
    assert mm.Measurement.objects.get(indicator__code="3.1.1",
                                      period=caller.people.year_end).state == "draft"


def test_anonymous_callers_are_asked_to_sign_in(caller: Caller) -> None:
    status, body = caller.anonymous.put_values(VALUES_3_1_1)
    assert status == 401 and "HTTP Basic" in body["detail"]
    assert not mm.Value.objects.exists()


def test_the_offices_cannot_enter_a_centre_s_values(caller: Caller) -> None:
    for who in (caller.planning, caller.oiv, caller.viewer):
        assert who.put_values(VALUES_3_1_1)[0] == 403
    assert not mm.Value.objects.exists()
