"""The plan's data token: the database changes it with every write of a plan's
periods, states or values, whoever writes, and the read path's kept data follow it.

6.4.1 (centre A) reads follower_social; the demo plan's 2021 year end is the period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.test import Client

from cruscotto.web.measurements import authoring, datatoken, services
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.plandata import plan_data

from .conftest import People


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token(plan_id: int) -> str:
    got = datatoken.read(plan_id)
    assert got is not None
    return got[1]


def set_followers(people: People, n: str, period: mm.Period | None = None) -> None:
    services.do_set_value(user=people.officer_a, period=period or people.year_end,
                          item=services.ValueInput("6.4.1", "follower_social", Decimal(n)))


def submit(people: People) -> None:
    set_followers(people, "41200", people.baseline)
    services.do_submit(user=people.officer_a, period=people.year_end, indicator="6.4.1",
                       gap_explanation="meno follower del previsto")


def followers(people: People) -> Any:
    return plan_data(people.plan.pk).values[people.year_end.pk].get("follower_social")


def test_migrate_installs_the_triggers_and_puts_them_back_when_a_remake_dropped_them(
        db: None) -> None:
    assert datatoken.installed()
    datatoken.uninstall()  # as SQLite's remake of a table drops its triggers
    assert not datatoken.installed()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert datatoken.installed()
    datatoken.install()  # idempotent
    assert datatoken.installed()


@pytest.mark.parametrize("sql", [
    "UPDATE measurements_value SET number = 1 WHERE period_id = %(period)s",
    "DELETE FROM measurements_valueversion WHERE value_id IN (SELECT id FROM "
    "measurements_value WHERE period_id = %(period)s); "
    "DELETE FROM measurements_value WHERE period_id = %(period)s",
    "UPDATE measurements_measurement SET state = 'validated' WHERE period_id = %(period)s",
    "UPDATE measurements_period SET deadline = NULL WHERE id = %(period)s",
])
def test_any_write_even_in_plain_sql_changes_the_token(people: People, sql: str) -> None:
    set_followers(people, "47380")
    submit(people)
    before = token(people.plan.pk)
    with connection.cursor() as cursor:
        for statement in sql.split("; "):
            cursor.execute(statement, {"period": people.year_end.pk})
    assert token(people.plan.pk) != before


def test_the_services_writes_change_it_and_reads_do_not(client: Client,
                                                        people: People) -> None:
    before = token(people.plan.pk)
    set_followers(people, "41200")
    after_value = token(people.plan.pk)
    assert after_value != before
    submit(people)
    after_state = token(people.plan.pk)
    assert after_state != after_value
    client.force_login(people.planning)
    assert client.get(f"/plans/{people.plan.key}/indicators/6.4.1/").status_code == 200
    assert token(people.plan.pk) == after_state


def test_kept_data_follow_a_write_around_the_services(people: People) -> None:
    set_followers(people, "41200")
    assert followers(people) == Decimal("41200")  # read: kept by this process
    mm.Value.objects.filter(period=people.year_end, variable="follower_social").update(
        number=Decimal("50000"))
    assert followers(people) == Decimal("50000")


def test_a_rolled_back_write_read_inside_its_transaction_is_never_served(
        people: People) -> None:
    set_followers(people, "41200")
    assert followers(people) == Decimal("41200")
    with pytest.raises(RuntimeError), transaction.atomic():
        set_followers(people, "99999")
        assert followers(people) == Decimal("99999")  # the writer's own read, kept
        raise RuntimeError("rolled back")
    assert followers(people) == Decimal("41200")
    set_followers(people, "42000")  # the next write: a new token, never the rolled-back one
    assert followers(people) == Decimal("42000")


def test_a_write_in_the_previous_plan_changes_the_rolled_plan_s_token_only(
        people: People) -> None:
    new = authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024]).plan
    old_before, new_before = token(people.plan.pk), token(new.pk)
    set_followers(people, "41200")  # the 2021 value the 2022 growth targets read
    assert token(people.plan.pk) != old_before
    assert token(new.pk) != new_before
    assert plan_data(new.pk).carried[("follower_social", 2021)] == Decimal("41200")
    old_now = token(people.plan.pk)
    year_2022 = mm.Period.objects.get(plan=new, year=2022, kind="year_end")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    services.do_set_values(user=admin, period=year_2022, items=[
        services.ValueInput("6.4.1", "follower_social", Decimal(60000))])
    assert token(people.plan.pk) == old_now
