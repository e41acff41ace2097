"""Any text gives a result or the project's own error, never another exception.

Bounded here (a few hundred examples each); `make fuzz` runs the same tests
with the ``fuzz`` Hypothesis profile (many thousands) and the atheris harness.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cruscotto.core.formula import Formula, FormulaError, parse
from cruscotto.core.targets import Polarity, Target, TargetError, parse_target
from cruscotto.io.errors import InputError
from cruscotto.io.seed_text import ImportResult, import_text
from cruscotto.io.values_csv import ValuesFile, read_values_text
from tests.conftest import make_encoded_plan

from .strategies import (
    CSV_TOKENS,
    FORMULA_TOKENS,
    SEED_TOKENS,
    TARGET_TOKENS,
    UNITS,
    damaged_seed,
    examples,
    soup,
)

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=examples(400))
@given(st.one_of(st.text(max_size=80), soup(FORMULA_TOKENS)))
def test_formula_parser(text: str) -> None:
    try:
        result = parse(text)
    except FormulaError as exc:
        assert str(exc)
        return
    assert isinstance(result, Formula)
    # what parses, parses again the same from its own text
    assert parse(result.text).references == result.references


@settings(max_examples=examples(400))
@given(st.one_of(st.text(max_size=60), soup(TARGET_TOKENS, 12)), st.sampled_from(UNITS),
       st.sampled_from(list(Polarity)))
def test_target_parser(text: str, unit: str, polarity: Polarity) -> None:
    try:
        result = parse_target(text, unit=unit, polarity=polarity)
    except TargetError as exc:
        assert str(exc)
        return
    assert isinstance(result, Target)


@settings(max_examples=examples(200), suppress_health_check=SLOW)
@given(st.one_of(damaged_seed(), soup(SEED_TOKENS, 60), st.text(max_size=200)))
def test_seed_text_importer(text: str) -> None:
    try:
        result = import_text(text, "fuzz.txt")
    except InputError as exc:
        assert "fuzz.txt" in exc.describe()
        return
    assert isinstance(result, ImportResult)


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.one_of(
        st.just(["indicator", "variable", "year", "value", "period"]),
        st.lists(st.sampled_from(CSV_TOKENS), max_size=6)))
    rows = draw(st.lists(st.lists(st.one_of(st.sampled_from(CSV_TOKENS), st.text(max_size=4)),
                                  max_size=7), max_size=8))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lead = draw(st.sampled_from(["", "\ufeff"]))
    return lead + end.join(sep.join(r) for r in [header, *rows])


PLAN = make_encoded_plan()


@settings(max_examples=examples(400), suppress_health_check=SLOW)
@given(st.one_of(csv_texts(), st.text(max_size=120)))
def test_values_csv_reader(text: str) -> None:
    try:
        result = read_values_text(text, PLAN, filename="valori.csv")
    except InputError as exc:
        assert "valori.csv" in exc.describe()
        return
    assert isinstance(result, ValuesFile)
