"""Per-year definitions and declared baselines travel through the plan files exactly,
and a bad one is refused at its line."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from cruscotto.core.plan import Baseline, Plan, Polarity, YearDefinition
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps, loads, plan_to_dict
from tests.conftest import make_encoded_plan

FORMATS = ["json", "yaml"]


def yearly_plan() -> Plan:
    plan = make_encoded_plan()
    ind = plan.indicator("3.1.1")
    ind.definitions = [
        YearDefinition(2023, "speso_innovazione / budget_innovazione",
                       formula_text="Spesa / budget dell'innovazione", unit="percentuale",
                       polarity=Polarity.LOWER_IS_BETTER, measures={"spesa": "speso_innovazione"}),
        YearDefinition(2022, "imprese_assistite"),
    ]
    ind.baselines = [Baseline(Decimal("992721372.50"), datetime.date(2023, 11, 30),
                              "monitoraggio di novembre 2023")]
    return plan


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_definitions_and_baselines_make_the_round_trip(fmt: str) -> None:
    plan = yearly_plan()
    text = dumps(plan, fmt)
    back = loads(text, fmt)
    ind = back.indicator("3.1.1")
    assert [d.from_year for d in ind.definitions] == [2022, 2023]  # written in year order
    d23 = ind.definitions[1]
    assert (d23.formula, d23.unit, d23.polarity, d23.measures) == (
        "speso_innovazione / budget_innovazione", "percentuale", Polarity.LOWER_IS_BETTER,
        {"spesa": "speso_innovazione"})
    d22 = ind.definitions[0]
    assert (d22.unit, d22.polarity, d22.measures) == (None, None, None)  # keep the indicator's
    assert ind.baselines == plan.indicator("3.1.1").baselines
    assert str(ind.baselines[0].value) == "992721372.50"
    assert dumps(back, fmt) == text


def test_they_are_written_as_every_field_is() -> None:
    data = plan_to_dict(yearly_plan())
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["3.1.1"]["baselines"] == [
        {"value": "992721372.50", "date": "2023-11-30", "label": "monitoraggio di novembre 2023"}]
    assert (by_code["3.1.2"]["definitions"], by_code["3.1.2"]["baselines"]) == ([], [])
    # the keys come after the weight, before the targets (the schema's order)
    keys = list(by_code["3.1.1"])
    assert keys.index("weight") < keys.index("definitions") < keys.index("targets")


def test_a_definition_outside_the_plan_years_is_refused_at_its_indicator() -> None:
    data = json.loads(dumps(yearly_plan(), "json"))
    data["indicators"][0]["definitions"][0]["from_year"] = 2031
    with pytest.raises(InputError) as caught:
        loads(json.dumps(data, indent=2), "json", filename="piano.json")
    assert "indicator 3.1.1: a definition from 2031, outside the plan years" in (
        caught.value.problems)


def test_a_baseline_that_is_not_a_day_or_not_a_number_is_refused_at_its_line() -> None:
    text = dumps(yearly_plan(), "yaml")
    bad_day = text.replace("date: '2023-11-30'", "date: '2023-11-31'")
    with pytest.raises(InputError) as caught:
        loads(bad_day, "yaml", filename="piano.yaml")
    err = caught.value
    assert (err.line, err.field) == (line_of(bad_day, "date: '2023-11-31'"),
                                     "indicators[0].baselines[0].date")
    assert "not a day of the calendar" in err.message
    bad_value = text.replace("value: '992721372.50'", "value: '992.721.372'")
    with pytest.raises(InputError) as caught:
        loads(bad_value, "yaml", filename="piano.yaml")
    assert caught.value.field == "indicators[0].baselines[0].value"
    assert caught.value.line == line_of(bad_value, "value: '992.721.372'")


def test_an_unknown_key_in_a_definition_is_refused_with_the_keys_it_has() -> None:
    text = dumps(yearly_plan(), "yaml").replace("formula_text: Spesa", "formula_txt: Spesa")
    with pytest.raises(InputError) as caught:
        loads(text, "yaml", filename="piano.yaml")
    assert caught.value.field.startswith("indicators[0].definitions[1]")
    assert "formula_txt" in caught.value.message
