"""Submit, validate or return, certify, reopen: who may, and what it locks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import (
    ValueInput,
    do_certify,
    do_reopen,
    do_return,
    do_set_value,
    do_submit,
    do_validate,
)

from .conftest import People


def enter(people: People, contabilizzato: str, budget: str = "9500000") -> None:
    for var, val in (("budget_innovazione", budget),
                     ("contabilizzato_innovazione", contabilizzato)):
        current = mm.Value.objects.filter(period=people.year_end, variable=var).first()
        do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
            "3.1.1", var, Decimal(val),
            expected_version=current.version if current else None))


def state(people: People, code: str = "3.1.1") -> str:
    return mm.Measurement.objects.get(indicator__code=code, period=people.year_end).state


def test_it_cannot_submit_with_an_input_missing(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    with pytest.raises(WorkflowError, match="manca il valore di contabilizzato_innovazione .2021."):
        do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1")


def test_a_missed_target_needs_an_explanation_of_the_gap(people: People) -> None:
    enter(people, "7600000")  # 80% against at least 90%
    with pytest.raises(WorkflowError, match="motiva lo scostamento"):
        do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1")
    m = do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1",
                  gap_explanation="bando chiuso in ritardo per il ricorso al TAR")
    assert m.state == "submitted" and "TAR" in m.gap_explanation


def test_the_full_cycle_locks_the_values_and_a_correction_keeps_history(
        people: People) -> None:
    enter(people, "8835000")  # 93%: met
    do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1")
    with pytest.raises(WorkflowError, match="inviati"):
        enter(people, "8900000")
    with pytest.raises(PermissionDenied):
        do_validate(user=people.officer_a, period=people.year_end, indicator="3.1.1")
    do_validate(user=people.planning, period=people.year_end, indicator="3.1.1")
    with pytest.raises(PermissionDenied):
        do_certify(user=people.planning, period=people.year_end, indicator="3.1.1")
    do_certify(user=people.oiv, period=people.year_end, indicator="3.1.1")
    assert state(people) == "certified"
    with pytest.raises(WorkflowError, match="certificati"):
        enter(people, "8900000")
    with pytest.raises(WorkflowError, match="richiede un motivo"):
        do_reopen(user=people.planning, period=people.year_end, indicator="3.1.1", reason="")
    with pytest.raises(PermissionDenied):
        do_reopen(user=people.officer_a, period=people.year_end, indicator="3.1.1",
                  reason="errore")
    do_reopen(user=people.planning, period=people.year_end, indicator="3.1.1",
              reason="rettifica del bilancio approvata il 30/04")
    enter(people, "8900000")
    value = mm.Value.objects.get(period=people.year_end, variable="contabilizzato_innovazione")
    assert [v.number for v in value.versions.order_by("version")] == [
        Decimal("8835000"), Decimal("8900000")]
    actions = list(mm.AuditEvent.objects.filter(indicator_code="3.1.1", field="state")
                   .values_list("action", flat=True))
    assert actions == ["submit", "validate", "certify", "reopen"]


def test_returned_values_can_be_fixed_and_submitted_again(people: People) -> None:
    enter(people, "8835000")
    do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1")
    with pytest.raises(WorkflowError, match="indica perché"):
        do_return(user=people.planning, period=people.year_end, indicator="3.1.1", reason=" ")
    m = do_return(user=people.planning, period=people.year_end, indicator="3.1.1",
                  reason="il budget non coincide con il preventivo aggiornato")
    assert m.state == "returned" and "preventivo" in m.return_reason
    enter(people, "8835000", budget="9400000")
    assert do_submit(user=people.manager_a, period=people.year_end,
                     indicator="3.1.1").state == "submitted"


def test_a_certified_variable_is_locked_for_every_indicator_reading_it(
        people: People) -> None:
    # oneri_correnti_netti is read by 6.0.2 and 6.0.3 (centre "Camera di commercio")
    from cruscotto.web.plans import models as pm

    admin = people.planning
    mm.OrgRole.objects.create(user=admin, role="admin", organisation=people.plan.organisation)
    for var, val in (("oneri_funzionamento", "34770000"), ("oneri_correnti_netti", "91500000")):
        do_set_value(user=admin, period=people.year_end,
                     item=ValueInput("6.0.2", var, Decimal(val)))
    do_submit(user=admin, period=people.year_end, indicator="6.0.2",
              gap_explanation="costi energetici")
    do_validate(user=admin, period=people.year_end, indicator="6.0.2")
    do_certify(user=people.oiv, period=people.year_end, indicator="6.0.2")
    assert pm.Indicator.objects.filter(code="6.0.3").exists()
    with pytest.raises(WorkflowError, match="la variabile oneri_correnti_netti è bloccata: 6.0.2"):
        do_set_value(user=admin, period=people.year_end, item=ValueInput(
            "6.0.3", "oneri_correnti_netti", Decimal("1"), expected_version=1))
