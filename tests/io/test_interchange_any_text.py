"""Any text a plan may hold (accents, quotes, line breaks, YAML look-alikes) round-trips."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cruscotto.core.plan import (
    DataSource,
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Polarity,
    Programme,
    ResponsibilityCentre,
    SourceRef,
    StatusBands,
    StrategicObjective,
    Variable,
    VariableKind,
)
from cruscotto.io.interchange import dumps, loads

# Text YAML would read as something else when written bare, mixed with anything at all.
tricky = st.sampled_from([
    "", " ", "011", "1e5", "0x1F", "1_000", ".inf", "null", "~", "yes", "No", "on", "2021-06-30",
    "- x", "# nota", "key: value", ">=90%", "| x", "&a", "*a", "!tag", "%x", "@x", "'", '"',
    "a\nb", " a\n b ", "\t", "\r\n", "\x85", "\u2028", "\ufeff", "\x00", "sì € 4.293.180",
    "x " * 80,
])
text = st.one_of(st.text(), tricky)
nonempty = st.one_of(st.text(min_size=1), tricky.filter(bool))
source = st.builds(SourceRef, text, st.one_of(st.none(), st.integers(1, 10**6)))
budget = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**15, max_value=10**15),
)
weight = st.decimals(allow_nan=False, allow_infinity=False, min_value=0)
percentage = st.decimals(allow_nan=False, allow_infinity=False, min_value=0, max_value=100)
variable_name = st.from_regex(r"[^\W\d]\w{0,20}", fullmatch=True)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    years = sorted(draw(st.sets(st.integers(1900, 2999), min_size=1, max_size=4)))
    centres = draw(st.lists(nonempty, min_size=1, max_size=3, unique=True))
    sources = draw(st.lists(nonempty, max_size=2, unique=True))
    mission_code = draw(nonempty)
    indicators = [
        Indicator(
            code=f"1.{op}.{k}", name=draw(text), description=draw(text), kind=draw(text),
            unit=draw(text), data_sources=draw(st.lists(st.sampled_from(sources), unique=True))
            if sources else [], formula_text=draw(text),
            targets=draw(st.dictionaries(st.sampled_from(years), nonempty, max_size=len(years))),
            centres=draw(st.lists(st.sampled_from(centres), min_size=1, unique=True)),
            strategic_code="1", operational_code="1.1" if op else "",
            mission_code=draw(st.sampled_from(["", mission_code])),
            programme_code=draw(st.sampled_from(["", "P"])), source=draw(source),
            formula=draw(text), measures=draw(st.dictionaries(nonempty, nonempty, max_size=2)),
            polarity=draw(st.one_of(st.none(), st.sampled_from(Polarity))),
            polarity_inferred=draw(st.booleans()), weight=draw(weight))
        for op, k in [(1, 1), (0, 1), (1, 2)]
    ]
    variables = [
        Variable(name, draw(text), draw(st.sampled_from(["", *sources])),
                 draw(st.sampled_from(VariableKind)), draw(text))
        for name in draw(st.lists(variable_name, max_size=3, unique=True))
    ]
    yellow, green = sorted([draw(percentage), draw(percentage)])
    return Plan(
        organisation=Organisation(draw(nonempty), draw(text)),
        title=draw(nonempty),
        years=years,
        missions=[Mission(mission_code, draw(text), [
            Programme("P", draw(text), draw(budget), draw(text), draw(source))], draw(source))],
        strategic_objectives=[
            StrategicObjective("1", draw(text), draw(text), [mission_code], draw(source))],
        operational_objectives=[OperationalObjective(
            "1.1", "1", draw(text), draw(text), draw(st.sampled_from(["", mission_code])),
            draw(st.sampled_from(["", "P"])), draw(source))],
        indicators=indicators,
        centres=[ResponsibilityCentre(f"c{n}", name) for n, name in enumerate(centres)],
        data_sources=[DataSource(f"s{n}", name) for n, name in enumerate(sources)],
        source=draw(source),
        variables=variables,
        bands=StatusBands(green=green, yellow=yellow),
    )


@settings(max_examples=150, deadline=None)
@given(plans())
def test_it_round_trips_any_text_byte_for_byte_in_json(plan: Plan) -> None:
    first = dumps(plan, "json")
    back = loads(first, "json")
    assert back == plan
    assert dumps(back, "json") == first


@settings(max_examples=150, deadline=None)
@given(plans())
def test_it_round_trips_any_text_byte_for_byte_in_yaml(plan: Plan) -> None:
    first = dumps(plan, "yaml")
    back = loads(first, "yaml")
    assert back == plan
    assert dumps(back, "yaml") == first


@settings(max_examples=50, deadline=None)
@given(plans())
def test_it_converts_any_plan_from_json_to_yaml_and_back(plan: Plan) -> None:
    as_json = dumps(plan, "json")
    as_yaml = dumps(loads(as_json, "json"), "yaml")
    assert dumps(loads(as_yaml, "yaml"), "json") == as_json


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0,
                   max_value=10**12))
def test_it_keeps_every_budget_digit(amount: Decimal) -> None:
    plan = Plan(Organisation("Ente"), "Piano", [2021], missions=[
        Mission("011", "M", [Programme("005", "P", amount)])])
    for fmt in ("json", "yaml"):
        back = loads(dumps(plan, fmt), fmt).missions[0].programmes[0].budget
        assert back is not None and str(back) == str(amount)


@given(weight)
def test_it_keeps_every_weight_digit(amount: Decimal) -> None:
    plan = Plan(Organisation("Ente"), "Piano", [2021],
                strategic_objectives=[StrategicObjective("1", "S")],
                indicators=[Indicator("1.0.1", "I", strategic_code="1", weight=amount)])
    for fmt in ("json", "yaml"):
        text = dumps(plan, fmt)
        back = loads(text, fmt).indicators[0].weight
        assert back == amount
        assert dumps(loads(text, fmt), fmt) == text
