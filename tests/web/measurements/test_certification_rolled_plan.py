"""A certified figure of a rolled plan freezes what it read from the previous plan.

The 2022-2024 plan's 6.4.1 2022 compares the 2022 followers with 2021's, measured
under the 2021-2023 plan. Once 6.4.1 2022 is certified, its record names that 2021
value (and the old plan's period it came from), and changing it under the old plan is
refused, naming the figure and its plan, until the new plan's figure is reopened.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cruscotto.web.measurements import authoring, services
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.certification import CertifiedChange
from cruscotto.web.measurements.demo import load_demo

from .conftest import People


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def rolled(people: People) -> tuple[People, mm.Period, mm.Period]:
    """The demo plan rolled into 2022-2024, its 6.4.1 2022 certified; the old plan's
    6.4.1 2021 reopened (its own certification no longer holds the 2021 value)."""
    load_demo(plan=people.plan)
    new = authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024]).plan
    year_2022 = mm.Period.objects.get(plan=new, year=2022, kind="year_end")
    admin, planning, oiv = user("demo-admin"), user("demo-controllo"), user("demo-oiv")
    services.do_set_values(
        user=admin,
        period=year_2022,
        items=[services.ValueInput("6.4.1", "follower_social", Decimal(60000))],
    )
    services.do_submit(user=admin, period=year_2022, indicator="6.4.1")
    services.do_validate(user=planning, period=year_2022, indicator="6.4.1")
    services.do_certify(user=oiv, period=year_2022, indicator="6.4.1")
    services.do_reopen(
        user=planning, period=people.year_end, indicator="6.4.1", reason="rettifica del dato 2021"
    )
    return people, people.year_end, year_2022


def followers_2021(people: People) -> Decimal | None:
    return mm.Value.objects.get(period=people.year_end, variable="follower_social").number


def test_the_record_names_the_previous_plan_s_value_it_read(
    rolled: tuple[People, mm.Period, mm.Period],
) -> None:
    people, old_2021, new_2022 = rolled
    rec = mm.CertifiedRecord.objects.get(indicator_code="6.4.1", period=new_2022)
    read = {(i["variable"], i["year"]): i for i in rec.inputs}
    assert read[("follower_social", 2021)]["value"] == "47380"
    assert read[("follower_social", 2021)]["period"] == old_2021.pk
    assert read[("follower_social", 2022)]["value"] == "60000"


def test_changing_the_old_plan_s_2021_value_is_refused(
    rolled: tuple[People, mm.Period, mm.Period],
) -> None:
    people, old_2021, new_2022 = rolled
    with pytest.raises(CertifiedChange) as refused:
        services.do_set_values(
            user=user("demo-admin"),
            period=old_2021,
            items=[services.ValueInput("6.4.1", "follower_social", Decimal(50000))],
            reason="correzione",
        )
    text = str(refused.value)
    assert "6.4.1 2022" in text and new_2022.plan.key in text
    assert "valore 2021 di follower_social" in text
    assert followers_2021(people) == Decimal(47380)


def test_once_the_new_plan_s_figure_is_reopened_the_change_goes_through(
    rolled: tuple[People, mm.Period, mm.Period],
) -> None:
    people, old_2021, new_2022 = rolled
    services.do_reopen(
        user=user("demo-controllo"),
        period=new_2022,
        indicator="6.4.1",
        reason="il 2021 va corretto",
    )
    services.do_set_values(
        user=user("demo-admin"),
        period=old_2021,
        items=[services.ValueInput("6.4.1", "follower_social", Decimal(50000))],
        reason="correzione",
    )
    assert followers_2021(people) == Decimal(50000)
