"""A plan written to the database reads back exactly as it was (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from cruscotto.core.plan import Indicator, Organisation, Plan, SourceRef
from cruscotto.data import default_plan
from cruscotto.web.plans.selectors import read_plan
from cruscotto.web.plans.services import write_plan

pytestmark = pytest.mark.django_db


def assert_same_plan(got: Plan, want: Plan) -> None:
    # Field by field first, so a failure names the entity; then the whole.
    assert got.organisation == want.organisation
    assert (got.title, got.years, got.source) == (want.title, want.years, want.source)
    assert got.missions == want.missions
    assert got.strategic_objectives == want.strategic_objectives
    assert got.operational_objectives == want.operational_objectives
    assert [i.code for i in got.indicators] == [i.code for i in want.indicators]
    for g, w in zip(got.indicators, want.indicators, strict=True):
        assert dataclasses.asdict(g) == dataclasses.asdict(w), w.code
        # dict equality ignores order; the plan's year order is part of what was written
        assert list(g.targets.items()) == list(w.targets.items()), w.code
    assert got.centres == want.centres
    assert got.data_sources == want.data_sources
    assert got == want


def test_it_reads_back_the_plan_it_wrote(small_plan: Plan) -> None:
    stored = write_plan(plan=small_plan)
    assert_same_plan(read_plan(stored.pk), small_plan)
    assert_same_plan(read_plan(stored.key), small_plan)


def test_it_keeps_sources_targets_and_centres_as_written(small_plan: Plan) -> None:
    got = read_plan(write_plan(plan=small_plan).key)
    ind = got.indicator("3.2.1")
    assert ind.source == SourceRef("piano-prova.txt", 33)
    assert list(ind.targets.items()) == [(2021, "150"), (2022, "+10%"), (2023, "+10%")]
    assert ind.centres == ["Internazionalizzazione", "Registro delle Imprese"]
    assert ind.data_sources == ["Registro imprese (InfoCamere)", "Contabilità"]
    assert got.strategic("3").mission_codes == ["011", "016"]
    assert got.mission("011").programmes[0].budget == Decimal("19350072")
    assert str(got.mission("016").programmes[0].budget) == "1234567.50"


def test_it_keeps_the_order_of_every_list(small_plan: Plan) -> None:
    p = small_plan
    for items in (p.missions, p.strategic_objectives, p.operational_objectives,
                  p.indicators, p.centres, p.data_sources):
        items.reverse()
    p.strategic("3").mission_codes.reverse()
    ind = p.indicator("3.1.1")
    ind.centres.reverse()
    ind.targets = dict(reversed(list(ind.targets.items())))
    p.years = [2021, 2022, 2023]
    assert_same_plan(read_plan(write_plan(plan=p).key), p)


def test_it_keeps_empty_and_missing_values(small_plan: Plan) -> None:
    p = small_plan
    p.organisation = Organisation(name="Comune senza codice")
    p.source = SourceRef()
    p.mission("011").programmes[0].budget = None
    p.mission("011").programmes[0].budget_text = ""
    p.mission("016").programmes.clear()
    p.indicators.append(Indicator(
        "3.1.3", "", strategic_code="3", operational_code="3.1"))
    assert_same_plan(read_plan(write_plan(plan=p).key), p)


def test_it_reads_back_the_default_plan() -> None:
    plan = default_plan()
    assert len(plan.indicators) == 36
    assert_same_plan(read_plan(write_plan(plan=plan).key), plan)


def test_it_refuses_an_unknown_plan() -> None:
    from cruscotto.web.plans.models import Plan as StoredPlan

    with pytest.raises(StoredPlan.DoesNotExist):
        read_plan("no-such-plan-2021-2023")
