"""Drafts are seen by their centre and the offices that check them; "my updates"."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cruscotto.core.scoring import Outcome
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements.selectors import evaluate_period, my_updates
from cruscotto.web.measurements.services import (
    ValueInput,
    do_set_value,
    do_submit,
    do_validate,
)

from .conftest import People


def enter_3_1_1(people: People) -> None:
    for var, val in (("budget_innovazione", "9500000"),
                     ("contabilizzato_innovazione", "8835000")):
        do_set_value(user=people.officer_a, period=people.year_end,
                     item=ValueInput("3.1.1", var, Decimal(val)))


def outcome(people: People, who: object) -> Outcome:
    ev = evaluate_period(plan_id=people.plan.pk, period=people.year_end,
                         actor=actor_for(who, people.plan.pk))
    return ev.evaluation.indicators["3.1.1"].outcome


def test_a_draft_is_seen_by_its_centre_not_by_another_centre_or_a_viewer(
        people: People) -> None:
    enter_3_1_1(people)
    assert outcome(people, people.officer_a) is Outcome.SCORED
    assert outcome(people, people.planning) is Outcome.SCORED
    assert outcome(people, people.officer_b) is Outcome.NOT_COMPUTABLE
    assert outcome(people, people.viewer) is Outcome.NOT_COMPUTABLE
    assert outcome(people, None) is Outcome.NOT_COMPUTABLE


def test_validated_values_are_seen_by_everyone(people: People) -> None:
    enter_3_1_1(people)
    do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1")
    do_validate(user=people.planning, period=people.year_end, indicator="3.1.1")
    ev = evaluate_period(plan_id=people.plan.pk, period=people.year_end,
                         actor=actor_for(people.viewer, people.plan.pk))
    r = ev.evaluation.indicators["3.1.1"]
    assert r.outcome is Outcome.SCORED and r.achievement == Decimal(100)


def test_my_updates_lists_the_centre_s_indicators_by_deadline_with_what_is_late(
        people: People) -> None:
    enter_3_1_1(people)
    updates = my_updates(user=people.officer_a, plan_id=people.plan.pk,
                         today=datetime.date(2021, 8, 15))
    codes = {(u.indicator.code, u.period.end_date) for u in updates}
    assert ("3.1.1", datetime.date(2021, 12, 31)) in codes
    assert ("4.2.2", datetime.date(2021, 12, 31)) not in codes  # centre B's
    first = updates[0]
    assert first.period.end_date == datetime.date(2021, 6, 30) and first.late
    year_end = next(u for u in updates if u.indicator.code == "3.1.1"
                    and u.period.end_date == datetime.date(2021, 12, 31))
    assert year_end.missing == () and not year_end.late
    one_off = [u for u in updates if u.indicator.code == "6.4.2"]
    assert {u.period.year for u in one_off} == {2021, 2022}  # no target in 2023
    assert my_updates(user=people.viewer, plan_id=people.plan.pk) == []
