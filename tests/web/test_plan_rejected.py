"""A plan that is not sound is refused whole: the database stays exactly as it was."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from cruscotto.core.plan import OperationalObjective, Plan, PlanError
from cruscotto.web.plans import models as m
from cruscotto.web.plans.selectors import read_plan
from cruscotto.web.plans.services import write_plan

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    m.Organisation, m.Plan, m.Mission, m.Programme, m.StrategicObjective,
    m.StrategicObjectiveMission, m.OperationalObjective, m.Indicator, m.IndicatorTarget,
    m.IndicatorCentre, m.IndicatorDataSource, m.ResponsibilityCentre, m.DataSource,
)


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every plan table."""
    return {
        model.__name__: sorted(model.objects.values_list(), key=repr) for model in ALL_MODELS
    }


def broken(plan: Plan) -> Plan:
    bad = copy.deepcopy(plan)
    bad.title = "Versione con errori"
    bad.indicator("3.1.1").name = "Nome cambiato"
    bad.indicators.append(copy.deepcopy(bad.indicator("3.2.1")))  # duplicate code
    bad.operational_objectives.append(  # 4.1 cannot belong to strategic objective 3
        OperationalObjective("4.1", "3", "TERRITORIO: codice sbagliato"))
    return bad


def test_it_leaves_a_stored_plan_untouched(small_plan: Plan) -> None:
    stored = write_plan(plan=small_plan)
    before = snapshot()

    with pytest.raises(PlanError) as exc:
        write_plan(plan=broken(small_plan))

    message = str(exc.value)
    assert "duplicate indicator code '3.2.1'" in message
    assert "operational objective 4.1: code does not match its strategic objective '3'" in message
    assert snapshot() == before
    assert read_plan(stored.key) == small_plan


def test_it_writes_nothing_into_an_empty_database(small_plan: Plan) -> None:
    with pytest.raises(PlanError) as exc:
        write_plan(plan=broken(small_plan))
    assert {p.split(":")[0] for p in exc.value.problems} >= {
        "duplicate indicator code '3.2.1'", "operational objective 4.1"}
    assert all(rows == [] for rows in snapshot().values())


def test_it_refuses_what_the_database_could_not_hold_faithfully(small_plan: Plan) -> None:
    bad = copy.deepcopy(small_plan)
    bad.mission("011").programmes[0].budget = Decimal("19350072.005")
    bad.indicator("3.1.2").centres = ["Servizi innovativi", "Servizi innovativi"]
    with pytest.raises(PlanError) as exc:
        write_plan(plan=bad)
    assert exc.value.problems == [
        "programme 011/005: budget 19350072.005 must have at most 13 digits and 2 decimals",
        "indicator 3.1.2: centre 'Servizi innovativi' listed twice",
    ]
    assert all(rows == [] for rows in snapshot().values())
