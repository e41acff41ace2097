"""Scoring one indicator for a year: formula, target, achievement and the explanation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cruscotto.core.findings import Severity
from cruscotto.core.formula import FormulaError
from cruscotto.core.scoring import (
    IndicatorSpec,
    Outcome,
    Status,
    StatusBands,
    compile_indicator,
    score_indicator,
    spec_findings,
)
from cruscotto.core.targets import Polarity, TargetKind
from cruscotto.core.values import InputValue, Variable, VarKey

D = Decimal


def budget_use() -> IndicatorSpec:
    return compile_indicator(
        code="3.1.1", name="Grado di utilizzo del budget", formula="contabilizzato / budget",
        targets={2021: ">=90%", 2022: ">=90%", 2023: "95%"}, unit="percentuale",
        polarity=Polarity.HIGHER_IS_BETTER, data_source="Controllo di gestione",
        variables=[Variable("budget", "Valore di budget", source="Bilancio")],
    )


def test_it_scores_an_indicator_and_explains_every_step() -> None:
    spec = budget_use()
    inputs: dict[VarKey, InputValue] = {
        ("contabilizzato", 2021): D(1710000), ("budget", 2021): D(1800000)}
    r = score_indicator(spec, inputs, 2021)
    assert (r.outcome, r.value, r.achievement, r.met, r.status) == (
        Outcome.SCORED, D("0.95"), D(100), True, Status.GREEN)
    data = r.as_dict()
    json.dumps(data)  # plain data all the way down
    assert data["formula"]["text"] == "contabilizzato / budget"  # type: ignore[index]
    assert data["formula"]["inputs"] == [  # type: ignore[index]
        {"name": "budget", "year": 2021, "offset": 0, "value": "1800000",
         "source": "Bilancio", "label": "Valore di budget"},
        {"name": "contabilizzato", "year": 2021, "offset": 0, "value": "1710000",
         "source": "Controllo di gestione", "label": ""},
    ]
    assert data["target"]["description_it"] == "almeno 90%"  # type: ignore[index]
    assert data["assessment"]["rule"] == "at_least_proportional"  # type: ignore[index]
    assert data["assessment"]["working"] == (  # type: ignore[index]
        "100 × 95% / 90% = 105.56 → capped at 100")
    assert data["achievement"] == "100" and data["status"] == "green"


def test_a_missing_input_is_not_measured_and_named() -> None:
    r = score_indicator(budget_use(), {("contabilizzato", 2021): D(1)}, 2021)
    assert (r.outcome, r.achievement, r.status) == (
        Outcome.NOT_MEASURED, None, Status.NOT_AVAILABLE)
    # the input by its label, not its name in the formula
    assert str(r.reason) == "not measured: missing Valore di budget (2021)"
    assert r.missing == (("budget", 2021),)


def test_a_division_by_zero_is_not_computable() -> None:
    r = score_indicator(budget_use(), {("contabilizzato", 2021): D(1),
                                       ("budget", 2021): D(0)}, 2021)
    assert r.outcome is Outcome.NOT_COMPUTABLE
    assert str(r.reason) == "not computable: division by zero: budget (2021) is 0"


def test_a_year_without_target_is_not_scored() -> None:
    spec = compile_indicator(code="4.2.1", formula="realizzato",
                             targets={2021: "sì realizzazione", 2022: ""}, unit="Realizzazione")
    for year in (2022, 2023):
        r = score_indicator(spec, {("realizzato", year): True}, year)
        assert (r.outcome, str(r.reason)) == (Outcome.NO_TARGET, f"no target for {year}")
        assert r.value is True  # the value is still shown


def test_growth_reads_the_previous_year_through_the_same_formula() -> None:
    spec = compile_indicator(code="6.4.1", formula="facebook + linkedin",
                             targets={2022: "+20%"}, unit="percentuale")
    inputs: dict[VarKey, InputValue] = {
        ("facebook", 2021): D(8000), ("linkedin", 2021): D(4000),
        ("facebook", 2022): D(9000), ("linkedin", 2022): D(4800)}
    assert spec.needs(2022) == {("facebook", 2022), ("linkedin", 2022),
                                ("facebook", 2021), ("linkedin", 2021)}
    r = score_indicator(spec, inputs, 2022)
    assert (r.value, r.achievement, r.met) == (D(13800), D(75), False)
    assert r.previous is not None and r.previous.value == D(12000)
    assert r.as_dict()["previous_year"]["year"] == 2021  # type: ignore[index]
    del inputs[("linkedin", 2021)]
    r = score_indicator(spec, inputs, 2022)
    assert r.outcome is Outcome.NOT_MEASURED
    assert str(r.reason) == "not measured: missing linkedin (2021)"


def test_a_spending_cap_reads_its_measure() -> None:
    spec = compile_indicator(
        code="6.5.4", formula="piano_rispettato", unit="Realizzazione",
        targets={2021: "sì max € 4.293.180", 2022: "sì max € 4.200.00"},
        measures={"spesa": "manutenzioni + utenze"})
    assert spec.needs(2021) == {("piano_rispettato", 2021), ("manutenzioni", 2021),
                                ("utenze", 2021)}
    inputs: dict[VarKey, InputValue] = {
        ("piano_rispettato", 2021): True, ("manutenzioni", 2021): D(3000000),
        ("utenze", 2021): D(1500000)}
    r = score_indicator(spec, inputs, 2021)
    assert (r.achievement, r.met, r.status) == (D("95.40"), False, Status.YELLOW)
    assert [name for name, _ in r.measures] == ["spesa"]
    assert r.as_dict()["measures"]["spesa"]["value"] == "4500000"  # type: ignore[index]
    # the unreadable 2022 target does not stop 2021, and 2022 says why
    r = score_indicator(spec, inputs, 2022)
    assert r.outcome is Outcome.NOT_COMPUTABLE
    assert "4.200.000 or 4.200,00" in str(r.reason)


def test_a_cap_without_a_measure_formula_reads_the_input_of_that_name() -> None:
    spec = compile_indicator(code="6.5.4", formula="fatto", unit="Realizzazione",
                             targets={2021: "sì max € 100"})
    r = score_indicator(spec, {("fatto", 2021): True}, 2021)
    assert r.outcome is Outcome.NOT_MEASURED
    assert str(r.reason) == "not measured: missing spesa (2021)"


def test_status_bands_come_from_the_plan() -> None:
    spec = budget_use()
    inputs: dict[VarKey, InputValue] = {("contabilizzato", 2021): D(81),
                                        ("budget", 2021): D(100)}
    assert score_indicator(spec, inputs, 2021).status is Status.YELLOW
    strict = StatusBands(green=D(100), yellow=D(95))
    assert score_indicator(spec, inputs, 2021, bands=strict).status is Status.RED


def test_a_formula_that_cannot_be_read_stops_compilation() -> None:
    with pytest.raises(FormulaError) as err:
        compile_indicator(code="1.1.3", formula="(sospesi - sospesi[t-1]", targets={})
    assert err.value.column == 24


def test_it_tells_a_lint_what_is_wrong_with_an_indicator() -> None:
    spec = compile_indicator(
        code="9.1.1", formula="a / b", unit="numero",
        targets={2021: "sì realizzazione", 2022: ">=90%", 2023: "4.200.00"},
        variables=[Variable("a")])
    found = {(f.severity, f.kind) for f in spec_findings(spec)}
    assert found == {
        (Severity.ERROR, "target-unreadable"),
        (Severity.ERROR, "formula-kind-mismatch"),
        (Severity.WARNING, "target-read-with-warning"),
        (Severity.WARNING, "variable-undeclared"),
    }
    yes_no = compile_indicator(code="9.1.2", formula="fatto and spesa < 5",
                               targets={2021: ">=3"}, unit="numero")
    assert [f.kind for f in spec_findings(yes_no)] == ["formula-kind-mismatch"]
    clean = compile_indicator(code="9.1.3", formula="fatto", unit="realizzazione",
                              targets={2021: "sì max € 5"})
    assert spec_findings(clean) == []
    assert clean.targets[2021].kind is TargetKind.COMPOUND
