"""History is append-only; a stale form never overwrites someone else's change."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ConflictError, ValueInput, do_set_value

from .conftest import People, make_people


def test_audit_events_and_versions_can_be_neither_changed_nor_deleted(people: People) -> None:
    value = do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    event = mm.AuditEvent.objects.get()
    event.new = "1"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        value.versions.get().delete()
    assert mm.AuditEvent.objects.get().new == "9500000"


def test_a_stale_version_is_refused_with_the_current_value(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    do_set_value(user=people.manager_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9600000"), expected_version=1))
    with pytest.raises(ConflictError) as err:
        do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
            "3.1.1", "budget_innovazione", Decimal("9700000"), expected_version=1))
    assert err.value.current == Decimal("9600000") and err.value.version == 2
    assert "manager_a" in str(err.value) and "9.600.000" in str(err.value)
    assert mm.Value.objects.get().number == Decimal("9600000")


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_at_once_never_lose_an_update() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections: PostgreSQL only (DATABASE_URL)")
    people = make_people()
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: object, amount: str) -> None:
        from django.db import connections

        try:
            barrier.wait()
            do_set_value(user=user, period=people.year_end, item=ValueInput(
                "3.1.1", "budget_innovazione", Decimal(amount), expected_version=1))
            outcomes.append("saved " + amount)
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(people.officer_a, "9600000")),
               threading.Thread(target=save, args=(people.manager_a, "9700000"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split()[0] for o in outcomes) == ["conflict", "saved"]
    value = mm.Value.objects.get()
    saved = next(o for o in outcomes if o.startswith("saved")).split()[1]
    assert value.version == 2 and value.number == Decimal(saved)
    assert value.versions.count() == 2
