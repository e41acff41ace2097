"""Importing a plan again updates it in place and drops what the new version left out."""

from __future__ import annotations

import copy

import pytest

from cruscotto.core.plan import Plan
from cruscotto.web.plans import models as m
from cruscotto.web.plans.selectors import list_plans, read_plan
from cruscotto.web.plans.services import write_plan

pytestmark = pytest.mark.django_db


def indicator_ids(plan_key: str) -> dict[str, int]:
    return dict(m.Indicator.objects.filter(plan__key=plan_key).values_list("code", "pk"))


def test_it_updates_in_place_keeping_every_indicator_row(small_plan: Plan) -> None:
    first = write_plan(plan=small_plan)
    before = indicator_ids(first.key)
    target_ids = set(m.IndicatorTarget.objects.values_list("pk", flat=True))

    revised = copy.deepcopy(small_plan)
    revised.title = "Piano della Performance 2021-2023 (aggiornamento)"
    revised.indicator("3.1.1").name = "Grado di utilizzo del budget"
    revised.indicator("3.1.1").targets[2023] = ">=97%"
    revised.mission("011").programmes[0].budget_text = "19.350.072 euro"
    second = write_plan(plan=revised)

    assert second.pk == first.pk
    assert indicator_ids(first.key) == before  # later data pointing at them survives
    assert set(m.IndicatorTarget.objects.values_list("pk", flat=True)) == target_ids
    assert read_plan(first.key) == revised
    assert [p.title for p in list_plans()] == [revised.title]


def test_it_removes_what_is_no_longer_in_the_plan(small_plan: Plan) -> None:
    stored = write_plan(plan=small_plan)
    kept_id = indicator_ids(stored.key)["3.1.1"]

    smaller = copy.deepcopy(small_plan)
    # mission 016 goes, with operational objective 3.2 and its indicator 3.2.1
    smaller.missions = [smaller.mission("011")]
    smaller.strategic("3").mission_codes = ["011"]
    smaller.operational_objectives = [
        o for o in smaller.operational_objectives if o.code != "3.2"]
    smaller.indicators = [
        i for i in smaller.indicators if i.code not in ("3.2.1", "3.1.2")]
    # centre "Internazionalizzazione" no longer exists; 3.1.1 loses a centre and a year
    smaller.centres = [c for c in smaller.centres if c.name != "Internazionalizzazione"]
    smaller.indicator("3.1.1").centres = ["Servizi innovativi"]
    del smaller.indicator("3.1.1").targets[2023]
    smaller.data_sources = [
        s for s in smaller.data_sources if s.name != "Registro imprese (InfoCamere)"]
    write_plan(plan=smaller)

    assert read_plan(stored.key) == smaller
    assert sorted(indicator_ids(stored.key)) == ["3.1.1", "6.0.1"]
    assert indicator_ids(stored.key)["3.1.1"] == kept_id
    assert list(m.Mission.objects.values_list("code", flat=True)) == ["011"]
    assert not m.OperationalObjective.objects.filter(code="3.2").exists()
    assert not m.ResponsibilityCentre.objects.filter(name="Internazionalizzazione").exists()
    assert not m.IndicatorTarget.objects.filter(indicator_id=kept_id, year=2023).exists()
    assert m.DataSource.objects.count() == 1


def test_it_adds_what_is_new(small_plan: Plan) -> None:
    stored = write_plan(plan=small_plan)
    bigger = copy.deepcopy(small_plan)
    new = copy.deepcopy(bigger.indicator("3.1.2"))
    new.code, new.name, new.centres = "3.1.3", "Eventi di formazione digitale", ["Nuovo centro"]
    bigger.indicators.append(new)
    bigger.sync_registries()
    write_plan(plan=bigger)
    assert read_plan(stored.key) == bigger
    assert read_plan(stored.key).centre_by_name("Nuovo centro").key == "nuovo-centro"


def test_it_keeps_plans_of_other_years_apart(small_plan: Plan) -> None:
    write_plan(plan=small_plan)
    next_plan = copy.deepcopy(small_plan)
    next_plan.title = "Piano della Performance 2022-2024"
    next_plan.years = [2022, 2023, 2024]
    for ind in next_plan.indicators:
        ind.targets = {y + 1: t for y, t in ind.targets.items()}
    write_plan(plan=next_plan)
    assert [(p.key, p.indicator_count) for p in list_plans()] == [
        ("cciaa-pr-2022-2024", 4), ("cciaa-pr-2021-2023", 4)]
    assert read_plan("cciaa-pr-2021-2023") == small_plan


def test_it_deletes_a_plan_with_everything_in_it(small_plan: Plan) -> None:
    stored = write_plan(plan=small_plan)
    stored.delete()
    for model in (m.Plan, m.Mission, m.Programme, m.StrategicObjective,
                  m.OperationalObjective, m.Indicator, m.IndicatorTarget,
                  m.IndicatorCentre, m.ResponsibilityCentre, m.DataSource):
        assert not model.objects.exists(), model.__name__


def test_it_refuses_to_delete_a_centre_that_still_has_indicators(small_plan: Plan) -> None:
    from django.db.models import RestrictedError

    write_plan(plan=small_plan)
    with pytest.raises(RestrictedError):
        m.ResponsibilityCentre.objects.get(name="Registro delle Imprese").delete()
