"""A plan written to the database reads back exactly as it was (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from cruscotto.core.plan import (
    DataSource,
    Indicator,
    Organisation,
    Plan,
    PlanError,
    Polarity,
    SourceRef,
    StatusBands,
    Variable,
    VariableKind,
)
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
        assert list(g.measures.items()) == list(w.measures.items()), w.code
    assert got.centres == want.centres
    assert got.data_sources == want.data_sources
    assert got.variables == want.variables
    assert got.bands == want.bands
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


def test_it_reads_back_the_engine_reading_of_a_plan(encoded_plan: Plan) -> None:
    got = read_plan(write_plan(plan=encoded_plan).key)
    assert_same_plan(got, encoded_plan)
    ind = got.indicator("6.0.1")
    assert (ind.formula, ind.polarity, ind.polarity_inferred) == (
        "costi_struttura / proventi_correnti", Polarity.LOWER_IS_BETTER, True)
    assert [str(got.indicator(c).weight) for c in ("3.1.1", "3.1.2", "3.2.1", "6.0.1")] == [
        "2", "0.5", "0", "1.125"]
    assert got.indicator("3.1.2").measures == {"spesa": "speso_piattaforma"}
    assert got.variable("piattaforma_avviata") == Variable(
        "piattaforma_avviata", "Piattaforma avviata", "", VariableKind.YES_NO, "")
    assert got.variable("imprese_assistite").source == "Ufficio estero"
    assert (str(got.bands.green), str(got.bands.yellow)) == ("95", "62.5")


def test_it_keeps_the_order_of_measures_and_variables(encoded_plan: Plan) -> None:
    # PostgreSQL's jsonb would sort the keys of a JSON object (shortest first)
    encoded_plan.indicator("3.1.2").measures = {
        "spesa_massima": "speso_piattaforma", "spesa": "speso_piattaforma * 2", "a": "1"}
    encoded_plan.variables.reverse()
    assert_same_plan(read_plan(write_plan(plan=encoded_plan).key), encoded_plan)


def test_it_reads_a_weight_back_without_the_zeros_the_column_adds(encoded_plan: Plan) -> None:
    encoded_plan.indicator("3.1.1").weight = Decimal("1.50")
    encoded_plan.indicator("3.1.2").weight = Decimal("123456.000001")
    got = read_plan(write_plan(plan=encoded_plan).key)
    assert got.indicator("3.1.1").weight == Decimal("1.5")
    assert str(got.indicator("3.1.1").weight) == "1.5"
    assert str(got.indicator("3.1.2").weight) == "123456.000001"


def test_a_reimport_updates_removes_and_adds_the_engine_reading(encoded_plan: Plan) -> None:
    write_plan(plan=encoded_plan)
    p = encoded_plan
    p.variables = [v for v in p.variables if v.name != "imprese_assistite"]
    p.data_sources = [s for s in p.data_sources if s.name != "Ufficio estero"]
    p.variables.insert(0, Variable("export_imprese", "Export", "Registro imprese (InfoCamere)"))
    p.variables[1] = Variable(p.variables[1].name, "Nuova etichetta", "", VariableKind.NUMBER)
    p.data_sources.append(DataSource("statistica", "Statistica"))
    ind = p.indicator("3.2.1")
    ind.formula, ind.polarity, ind.weight = "export_imprese", None, Decimal("3")
    p.indicator("3.1.2").measures = {}
    p.indicator("6.0.1").polarity_inferred = False
    p.bands = StatusBands()
    assert_same_plan(read_plan(write_plan(plan=p).key), p)


def test_it_refuses_a_weight_the_column_cannot_hold_and_stores_nothing(
    encoded_plan: Plan,
) -> None:
    from cruscotto.web.plans.models import Plan as StoredPlan

    encoded_plan.indicator("3.1.1").weight = Decimal("0.3333333")
    encoded_plan.bands = StatusBands(green=Decimal("99.99999"), yellow=Decimal(70))
    with pytest.raises(PlanError) as caught:
        write_plan(plan=encoded_plan)
    assert caught.value.problems == [
        "indicator 3.1.1: weight 0.3333333 must have at most 6 digits and 6 decimals",
        "status band green: threshold 99.99999 must have at most 3 digits and 4 decimals",
    ]
    assert not StoredPlan.objects.exists()


def test_it_reads_a_plan_in_the_same_thirteen_queries_whatever_its_size(
    encoded_plan: Plan, django_assert_num_queries,
) -> None:
    small = write_plan(plan=encoded_plan)
    big = write_plan(plan=default_plan())
    for stored in (small, big):
        with django_assert_num_queries(13):
            read_plan(stored.pk)
