"""A centre enters the values of its indicators; nobody else can."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_value, do_set_values

from .conftest import People


def test_it_stores_a_value_with_its_first_version_and_an_audit_event(people: People) -> None:
    value = do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000"), note="da bilancio"))
    assert value.number == Decimal("9500000") and value.version == 1
    assert [(v.version, v.number) for v in value.versions.all()] == [(1, Decimal("9500000"))]
    event = mm.AuditEvent.objects.get()
    assert (event.username, event.indicator_code, event.field, event.old, event.new) == (
        "officer_a", "3.1.1", "budget_innovazione", "", "9500000")


def test_a_change_adds_a_version_and_keeps_the_old_one(people: People) -> None:
    item = ValueInput("3.1.1", "budget_innovazione", Decimal("9500000"))
    do_set_value(user=people.officer_a, period=people.year_end, item=item)
    value = do_set_value(user=people.manager_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9600000"), expected_version=1))
    assert value.version == 2
    assert [v.number for v in value.versions.order_by("version")] == [
        Decimal("9500000"), Decimal("9600000")]
    last = mm.AuditEvent.objects.order_by("pk").last()
    assert (last.old, last.new, last.username) == ("9500000", "9600000", "manager_a")


def test_someone_of_another_centre_is_refused_and_nothing_is_written(people: People) -> None:
    with pytest.raises(PermissionDenied, match="non fai parte di quel centro"):
        do_set_value(user=people.officer_b, period=people.year_end, item=ValueInput(
            "3.1.1", "budget_innovazione", Decimal("1")))
    assert not mm.Value.objects.exists() and not mm.AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "oiv", "planning"])
def test_roles_outside_the_centres_cannot_enter_values(people: People, who: str) -> None:
    with pytest.raises(PermissionDenied):
        do_set_value(user=getattr(people, who), period=people.year_end, item=ValueInput(
            "3.1.1", "budget_innovazione", Decimal("1")))


def test_a_variable_the_indicator_does_not_read_is_refused(people: People) -> None:
    with pytest.raises(WorkflowError, match="non legge la variabile «oneri_correnti»"):
        do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
            "3.1.1", "oneri_correnti", Decimal("1")))


def test_a_batch_is_all_or_nothing(people: People) -> None:
    items = [ValueInput("3.1.1", "budget_innovazione", Decimal("9500000"), where="riga 2"),
             ValueInput("4.2.2", "facciata_giureconsulti", True, where="riga 3")]
    with pytest.raises(PermissionDenied, match="riga 3"):
        do_set_values(user=people.officer_a, period=people.year_end, items=items)
    assert not mm.Value.objects.exists()


def test_yes_no_values_are_stored_as_such(people: People) -> None:
    value = do_set_value(user=people.officer_b, period=people.year_end, item=ValueInput(
        "4.2.2", "facciata_giureconsulti", True))
    assert value.data is True and value.number is None
