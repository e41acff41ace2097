"""An achievement is shown rounded half up to two decimals, never truncated (issue 12,
item 8): 80% against a target of >=90% is 88,888…% of the target, to be shown 88,89% on
the values page, the indicator page and the report.

The engine decides on the exact achievement and stores the figure for display rounded
half up, never onto a threshold the exact value does not reach
(docs/decisions/0008-achievement-rounding.md); the display module rounds half up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from cruscotto.web import display
from cruscotto.web.measurements.services import (
    ValueInput,
    do_certify,
    do_set_value,
    do_submit,
    do_validate,
)

from .. import pages
from .conftest import People

PLAN = "/plans/cciaa-mimblo-2021-2023"


@pytest.mark.parametrize(("achievement", "shown"), [
    ("88.8888888888", "88,89%"), ("88.885", "88,89%"), ("88.884", "88,88%"), ("100", "100%")])
def test_the_display_module_rounds_half_up(achievement: str, shown: str) -> None:
    assert display.percent(Decimal(achievement)) == shown


def test_an_achievement_of_88_888_reads_88_89(client: Client, people: People) -> None:
    for var, val in (("budget_innovazione", "9000000"),
                     ("contabilizzato_innovazione", "7200000")):  # 80% of the budget
        do_set_value(user=people.officer_a, period=people.year_end,
                     item=ValueInput("3.1.1", var, Decimal(val)))
    client.force_login(people.officer_a)
    values = pages.text(client.get(f"{PLAN}/indicators/3.1.1/periods/2021-12-31/"))
    assert "88,89%" in values and "88,88" not in values

    do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1",
              gap_explanation="spesa rinviata al 2022")
    do_validate(user=people.planning, period=people.year_end, indicator="3.1.1")
    do_certify(user=people.oiv, period=people.year_end, indicator="3.1.1")
    client.logout()
    for url in (f"{PLAN}/indicators/3.1.1/", f"{PLAN}/report/?period=2021-12-31"):
        text = pages.text(client.get(url))
        assert "88,89%" in text and "88,88" not in text, url
