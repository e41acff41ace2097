"""Evaluating formulas: decimal results, and problems as values, never exceptions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cruscotto.core.formula import parse
from cruscotto.core.values import (
    InputValue,
    NotComputable,
    NotMeasured,
    Value,
    Variable,
    VarKey,
)

D = Decimal
Y = 2021

INPUTS: dict[VarKey, InputValue] = {
    ("contabilizzato", Y): D("1710000"), ("budget", Y): D("1800000"),
    ("accessi", Y): D(120), ("accessi", Y - 1): D(100), ("accessi", Y - 2): D(80),
    ("zero", Y): D(0), ("meno", Y): D(-4), ("fatto", Y): True, ("non_fatto", Y): False,
    ("intero", Y): 7, ("vuoto", Y): None,
}

# formula -> value for 2021 with INPUTS
VALUES: list[tuple[str, Value]] = [
    ("contabilizzato / budget", D("0.95")),
    ("(accessi - accessi[t-1]) / accessi[t-1]", D("0.2")),
    ("accessi[t-2] + accessi[t-1] + accessi", D(300)),
    ("1 / 3", D("0.3333333333333333333333333333")),
    ("0.1 + 0.2", D("0.3")),
    ("2 * 3 - 4 / 8", D("5.5")),
    ("-meno", D(4)),
    ("+meno", D(-4)),
    ("abs(meno)", D(4)),
    ("min(accessi, 5, meno)", D(-4)),
    ("max(accessi, 5, meno)", D(120)),
    ("intero * 2", D(14)),
    ("accessi > accessi[t-1]", True),
    ("accessi <= 100", False),
    ("accessi == 120", True),
    ("accessi != 120", False),
    ("fatto == true", True),
    ("fatto", True),
    ("not non_fatto", True),
    ("fatto and non_fatto", False),
    ("fatto or non_fatto", True),
    ("fatto and accessi > 100", True),
    ("if(zero == 0, 0, accessi / zero)", D(0)),
    ("if(fatto, accessi, 0)", D(120)),
    ("if(non_fatto, 1, 2)", D(2)),
    ("accessi * 100 / 100", D(120)),
]


@pytest.mark.parametrize(("text", "value"), VALUES)
def test_it_computes_with_decimals(text: str, value: Value) -> None:
    got = parse(text).evaluate(INPUTS, Y)
    assert got == value
    assert type(got) is type(value)


def test_it_drops_trailing_zeros_and_keeps_integers_plain() -> None:
    assert str(parse("a * b").evaluate({("a", 1): D("0.50"), ("b", 1): D("2.0")}, 1)) == "1"
    assert str(parse("a * 100").evaluate({("a", 1): D(11)}, 1)) == "1100"
    assert str(parse("a / b").evaluate({("a", 1): D(92), ("b", 1): D(100)}, 1)) == "0.92"


def test_it_reports_a_division_by_zero_as_not_computable() -> None:
    got = parse("contabilizzato / zero").evaluate(INPUTS, Y)
    assert str(got) == "not computable: division by zero: zero (2021) is 0"
    got = parse("accessi / (accessi[t-1] - 100)").evaluate(INPUTS, Y)
    assert isinstance(got, NotComputable)
    assert "'accessi[t-1] - 100' (2021) is 0" in str(got.reason)


def test_it_names_every_missing_input() -> None:
    got = parse("(x - x[t-1]) / budget + vuoto").evaluate(INPUTS, Y)
    assert got == NotMeasured((("vuoto", 2021), ("x", 2020), ("x", 2021)))
    assert isinstance(got, NotMeasured)
    assert "missing vuoto (2021), x (2020), x (2021)" in str(got.reason)


def test_a_missing_input_wins_over_a_division_by_zero() -> None:
    got = parse("accessi / zero + assente").evaluate(INPUTS, Y)
    assert got == NotMeasured((("assente", 2021),))


def test_logic_is_three_valued_and_symmetric() -> None:
    missing = NotMeasured((("assente", Y),))
    cases: list[tuple[str, Value]] = [
        ("non_fatto and assente", False),
        ("assente and non_fatto", False),
        ("fatto or assente", True),
        ("assente or fatto", True),
        ("fatto and assente", missing),
        ("assente and fatto", missing),
        ("non_fatto or assente", missing),
        ("not assente", missing),
    ]
    for text, want in cases:
        assert parse(text).evaluate(INPUTS, Y) == want, text


def test_if_evaluates_only_the_branch_taken() -> None:
    assert parse("if(fatto, 1, assente)").evaluate(INPUTS, Y) == D(1)
    assert parse("if(assente, 1, 2)").evaluate(INPUTS, Y) == NotMeasured((("assente", Y),))


def test_a_value_of_the_wrong_kind_is_not_computable() -> None:
    # the formula cannot know that an office typed yes/no where a number belongs
    inputs: dict[VarKey, InputValue] = {("a", Y): True, ("b", Y): D(2), ("c", Y): D(1)}
    for text in ("a + b", "-a", "b / a", "a < b", "min(a, b)", "a == b"):
        got = parse(text).evaluate(inputs, Y)
        assert isinstance(got, NotComputable), text
    for text in ("not b", "b and a", "if(c, 1, 2)"):
        assert isinstance(parse(text).evaluate(inputs, Y), NotComputable), text


def test_odd_input_values_are_values_not_exceptions() -> None:
    odd: dict[VarKey, object] = {("a", Y): D("NaN"), ("b", Y): D("Infinity"), ("c", Y): 1.5,
                                 ("d", Y): "12"}
    for name in "abcd":
        got = parse(name).evaluate(odd, Y)  # type: ignore[arg-type]
        assert isinstance(got, NotComputable), name


def test_huge_results_are_not_computable_rather_than_an_overflow() -> None:
    inputs: dict[VarKey, InputValue] = {("big", Y): D("9e999990"), ("tiny", Y): D("1e-999990")}
    assert isinstance(parse("big * big").evaluate(inputs, Y), NotComputable)
    assert isinstance(parse("big / tiny").evaluate(inputs, Y), NotComputable)


def test_a_trace_lists_each_input_with_its_year_and_source() -> None:
    f = parse("(accessi - accessi[t-1]) / accessi[t-1] + bonus")
    ev = f.trace(INPUTS, Y, {"accessi": Variable("accessi", "Accessi al portale",
                                                 source="Google Analytics")},
                 default_source="Comunicazione")
    assert [(i.name, i.year, i.offset, i.value, i.source) for i in ev.inputs] == [
        ("accessi", 2020, 1, D(100), "Google Analytics"),
        ("accessi", 2021, 0, D(120), "Google Analytics"),
        ("bonus", 2021, 0, NotMeasured((("bonus", 2021),)), "Comunicazione"),
    ]
    assert ev.value == NotMeasured((("bonus", 2021),))
    data = ev.as_dict()
    assert data["text"] == f.text
    assert data["inputs"][0] == {  # type: ignore[index]
        "name": "accessi", "year": 2020, "offset": 1, "value": "100",
        "source": "Google Analytics", "label": "Accessi al portale"}
    assert data["value"] == {"kind": "not_measured", "reason": "not measured: missing bonus (2021)",
                             "missing": [{"name": "bonus", "year": 2021}]}
