"""What real plans also need: a definition per year, declared baselines, a year's target as base.

Each form is checked the way a planning office meets it: a plan whose
indicator changes formula in 2023 is evaluated with the 2022 formula in 2022
and the new one in 2023 (and its values template asks for what each year's
formula reads); a target naming "la baseline" compares with the value the plan
declares; "Aumento del 30% rispetto al target 2024" compares with the 2024
*target*, never with the 2024 actual.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cruscotto.core.baselines import Baseline
from cruscotto.core.evaluation import compile_plan, evaluate_plan
from cruscotto.core.lint import lint_plan
from cruscotto.core.plan import (
    DataSource,
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Polarity,
    ResponsibilityCentre,
    StrategicObjective,
    Variable,
    YearDefinition,
    validate_plan,
)
from cruscotto.core.scoring import IndicatorResult, Outcome
from cruscotto.core.targets import TargetPartlyRead, parse_target
from cruscotto.io.evaluation_out import explain_text
from cruscotto.io.values_csv import write_template

H = Polarity.HIGHER_IS_BETTER
D = Decimal


def plan_of(*indicators: Indicator, years: tuple[int, ...] = (2022, 2023, 2024, 2025)) -> Plan:
    return Plan(
        organisation=Organisation("Comune di Prova"), title="PIAO 2022-2025", years=list(years),
        missions=[Mission("001", "Servizi istituzionali")],
        strategic_objectives=[StrategicObjective("1", "DIGITALE", mission_codes=["001"])],
        operational_objectives=[OperationalObjective("1.1", "1", "Servizi online",
                                                     mission_code="001")],
        indicators=list(indicators),
        centres=[ResponsibilityCentre("sistemi", "Sistemi informativi")],
        data_sources=[DataSource("sistemi", "Sistemi informativi")],
        variables=[Variable(n, n, "Sistemi informativi") for n in (
            "accessi_spid", "accessi_cie", "accessi_totali", "pratiche_online", "pratiche")],
    )


def indicator(**changes: object) -> Indicator:
    ind = Indicator("1.1.1", "Accessi con identità digitale", unit="numero",
                    formula_text="accessi SPID", formula="accessi_spid", polarity=H,
                    targets={2022: ">= 1.000"}, centres=["Sistemi informativi"],
                    data_sources=["Sistemi informativi"], strategic_code="1",
                    operational_code="1.1", mission_code="001")
    for k, v in changes.items():
        setattr(ind, k, v)
    return ind


def score(plan: Plan, values: dict[tuple[str, int], object], year: int) -> IndicatorResult:
    ev = evaluate_plan(compile_plan(plan), {k: D(str(v)) for k, v in values.items()}, year=year)
    r = ev.indicators["1.1.1"]
    assert isinstance(r, IndicatorResult)
    return r


# -- a definition per year -------------------------------------------------------------

def changing() -> Indicator:
    """Until 2022: SPID accesses, a count. From 2023: the share of online procedures."""
    return indicator(
        targets={2022: ">= 1.000", 2023: ">= 60%", 2024: ">= 70%"},
        definitions=[YearDefinition(2023, "pratiche_online / pratiche",
                                    formula_text="pratiche online / pratiche totali",
                                    unit="percentuale")])


def test_each_year_is_computed_with_the_definition_in_force() -> None:
    plan = plan_of(changing())
    values = {("accessi_spid", 2022): 1200, ("pratiche_online", 2023): 650,
              ("pratiche", 2023): 1000, ("accessi_spid", 2023): 5}
    r22 = score(plan, values, 2022)
    assert (r22.value, r22.met) == (D(1200), True)  # 1.200 accesses >= 1.000
    r23 = score(plan, values, 2023)
    # 650/1000 = 65% against ">= 60%": the 2023 formula, not accessi_spid (5)
    assert (r23.value, r23.met) == (D("0.65"), True)
    assert r23.evaluation is not None and r23.evaluation.text == "pratiche_online / pratiche"


def test_a_year_target_is_read_with_that_years_unit() -> None:
    # "60" without "%" on the new percentage unit is 60%, read with a warning
    plan = plan_of(indicator(
        targets={2022: ">= 1.000", 2023: ">= 60"},
        definitions=[YearDefinition(2023, "pratiche_online / pratiche", unit="percentuale")]))
    spec = compile_plan(plan).spec("1.1.1")
    assert spec.targets[2023].percent and spec.targets[2023].threshold == D("0.6")
    assert not spec.targets[2022].percent and spec.targets[2022].threshold == D(1000)


def test_the_inputs_needed_and_the_values_template_follow_the_year() -> None:
    plan = plan_of(changing())
    spec = compile_plan(plan).spec("1.1.1")
    assert spec.needs(2022) == {("accessi_spid", 2022)}
    assert spec.needs(2023) == {("pratiche_online", 2023), ("pratiche", 2023)}
    rows_2023 = write_template(plan, 2023).splitlines()[1:]
    assert sorted(r.split(",")[1] for r in rows_2023) == ["pratiche", "pratiche_online"]
    rows_2022 = write_template(plan, 2022).splitlines()[1:]
    assert [r.split(",")[1] for r in rows_2022] == ["accessi_spid"]


def test_a_growth_across_a_change_reads_the_previous_year_as_it_was_defined() -> None:
    plan = plan_of(indicator(
        targets={2022: ">= 1.000", 2023: "+10%"},
        definitions=[YearDefinition(2023, "accessi_spid + accessi_cie")]))
    values = {("accessi_spid", 2022): 1000, ("accessi_spid", 2023): 900,
              ("accessi_cie", 2023): 250}
    r = score(plan, values, 2023)
    assert r.previous is not None and r.previous.value == D(1000)  # 2022's formula
    assert r.value == D(1150) and r.met is True  # +15% >= +10%


def test_polarity_and_measures_may_change_and_default_to_the_indicators_own() -> None:
    ind = changing()
    assert ind.in_force(2022).unit == "numero" and ind.in_force(2022).from_year is None
    d = ind.in_force(2024)
    assert (d.from_year, d.unit, d.polarity, d.formula) == (
        2023, "percentuale", H, "pratiche_online / pratiche")
    ind.definitions.append(YearDefinition(2025, "accessi_totali",
                                          polarity=Polarity.LOWER_IS_BETTER))
    d25 = ind.in_force(2025)
    assert (d25.unit, d25.polarity) == ("numero", Polarity.LOWER_IS_BETTER)


def test_the_lint_reads_each_definition() -> None:
    plan = plan_of(indicator(
        targets={2022: ">= 1.000", 2023: "sì"},
        definitions=[YearDefinition(2023, "pratiche_online / (pratiche")]))
    found = [(f.kind, f.message) for f in lint_plan(plan) if f.subject == "1.1.1"]
    assert any(k == "formula-unreadable" and "from 2023" in m for k, m in found), found
    plan = plan_of(indicator(
        targets={2022: ">= 1.000", 2023: ">= 500"},
        definitions=[YearDefinition(2023, "accessi_nuovi")]))
    found = [(f.kind, f.message) for f in lint_plan(plan) if f.subject == "1.1.1"]
    assert ("variable-undefined", "the formula reads accessi_nuovi, which the plan does not "
            "declare") in found
    # the milestone/number mismatch is judged against the formula of the year
    plan = plan_of(indicator(targets={2022: ">= 1.000", 2023: "sì"}, definitions=[
        YearDefinition(2023, "pratiche_online / pratiche", unit="realizzazione")]))
    kinds = [f.kind for f in lint_plan(plan) if f.subject == "1.1.1"]
    assert "formula-kind-mismatch" in kinds


def test_a_definition_outside_the_plan_years_or_twice_is_a_plan_problem() -> None:
    plan = plan_of(indicator(definitions=[YearDefinition(2030, "accessi_cie"),
                                          YearDefinition(2023, "a"), YearDefinition(2023, "b")]))
    problems = validate_plan(plan)
    assert "indicator 1.1.1: a definition from 2030, outside the plan years" in problems
    assert "indicator 1.1.1: two definitions from 2023" in problems


# -- declared baselines ---------------------------------------------------------------

NOV_2023 = Baseline(D(992_721_372), datetime.date(2023, 11, 30), "monitoraggio SPID")


def test_the_baseline_named_by_a_target_is_the_one_the_plan_declares() -> None:
    plan = plan_of(indicator(targets={2024: "Incremento del 8% rispetto alla baseline"},
                             baselines=[NOV_2023]))
    r = score(plan, {("accessi_spid", 2024): 1_080_000_000, ("accessi_spid", 2023): 1}, 2024)
    # 1.080.000.000 / 992.721.372 = +8,79%: met, and the 2023 value (1) plays no part
    assert r.outcome is Outcome.SCORED and r.met is True and r.previous is None
    r = score(plan, {("accessi_spid", 2024): 1_050_000_000}, 2024)
    assert r.met is False  # +5,77%


def test_a_dated_baseline_is_found_by_its_month_or_day() -> None:
    later = Baseline(D(1_200_000_000), datetime.date(2024, 11, 30))
    for text in ("Incremento del 8% rispetto al valore di novembre 2023",
                 "Incremento del 8% rispetto alla baseline del 30/11/2023",
                 "Aumento dell'8% rispetto al dato al 30/11/2023"):
        t = parse_target(text, unit="numero", polarity=H, year=2025,
                         baselines=[NOV_2023, later])
        assert t.base_value == D(992_721_372), text
    with pytest.raises(TargetPartlyRead) as info:  # two declared: "la baseline" is ambiguous
        parse_target("Incremento del 8% rispetto alla baseline", unit="numero", polarity=H,
                     baselines=[NOV_2023, later])
    assert info.value.token == "baseline" and "più baseline" in info.value.reason.template


def test_a_target_naming_a_baseline_the_plan_does_not_declare_is_refused_at_its_words() -> None:
    text = "Incremento del 8% rispetto al valore di ottobre 2023"
    plan = plan_of(indicator(targets={2024: text}, baselines=[NOV_2023]))
    r = score(plan, {("accessi_spid", 2024): 2_000_000_000}, 2024)
    assert r.outcome is Outcome.NOT_COMPUTABLE
    assert "names a baseline the plan does not declare" in str(r.reason)
    found = [f for f in lint_plan(plan) if f.kind == "target-partly-read"]
    assert len(found) == 1 and f"column {text.index('valore') + 1}" in found[0].message


# -- a year's target as the base ------------------------------------------------------

def test_a_growth_over_a_years_target_compares_with_that_target_not_the_actual() -> None:
    plan = plan_of(indicator(unit="percentuale", formula="pratiche_online / pratiche",
                             targets={2024: ">= 50%", 2025: "Aumento del 30% rispetto al "
                                      "target 2024"}))
    spec = compile_plan(plan).spec("1.1.1")
    assert spec.targets[2025].base_value == D("0.5")
    assert spec.targets[2025].describe() == (
        "crescita di almeno il 30% rispetto al target 2024 (50%)")
    # the 2024 actual was 90%: against it, 66% would be a fall; against the target 50%, +32%
    values = {("pratiche_online", 2024): 90, ("pratiche", 2024): 100,
              ("pratiche_online", 2025): 66, ("pratiche", 2025): 100}
    r = score(plan, values, 2025)
    assert (r.outcome, r.met, r.achievement) == (Outcome.SCORED, True, D(100))
    assert r.previous is None  # the 2024 actual is not read
    assert ("pratiche", 2024) not in spec.needs(2025)
    r = score(plan, {**values, ("pratiche_online", 2025): 60}, 2025)
    assert r.met is False and r.achievement == D("66.67")  # +20% of the 30% asked


@pytest.mark.parametrize(("t2024", "says"), [
    ("+10%", "which is not a numeric value"),
    ("n.d.", "which is not a numeric value"),
    (None, "which the plan does not have"),
    ("4.200.00", "which cannot be read"),
])
def test_a_growth_over_a_target_that_is_not_a_number_is_refused(t2024: str | None,
                                                                says: str) -> None:
    targets = {2025: "Aumento del 30% rispetto al target 2024"}
    if t2024 is not None:
        targets[2024] = t2024
    plan = plan_of(indicator(targets=targets))
    r = score(plan, {("accessi_spid", 2025): 10, ("accessi_spid", 2024): 5}, 2025)
    assert r.outcome is Outcome.NOT_COMPUTABLE and says in str(r.reason), r.reason
    errors = [f for f in lint_plan(plan) if f.kind == "target-unreadable"
              and f.message.startswith("2025")]
    assert len(errors) == 1 and "target 2024" in str(errors[0].text)


def test_the_lint_warns_when_a_comparison_spans_two_definitions() -> None:
    plan = plan_of(indicator(
        targets={2022: ">= 1.000", 2023: ">= 60%", 2024: "Aumento del 10% rispetto al target 2022",
                 2025: "+5%"},
        definitions=[YearDefinition(2023, "pratiche_online / pratiche", unit="percentuale")]))
    across = [f.message for f in lint_plan(plan) if f.kind == "growth-across-definitions"]
    # 2024 compares with the 2022 target, set for the count; 2025 with 2024, same formula
    assert across == ["2024: the target 'Aumento del 10% rispetto al target 2022' compares "
                      "with the 2022 target, set for another formula of the indicator"]


def test_the_explanation_shows_the_years_rule_and_unit() -> None:
    plan = plan_of(changing())
    values = {("accessi_spid", 2022): 1200, ("pratiche_online", 2023): 650,
              ("pratiche", 2023): 1000}
    compiled = compile_plan(plan)
    inputs = {k: D(str(v)) for k, v in values.items()}
    text23 = explain_text(plan, evaluate_plan(compiled, inputs, year=2023), "1.1.1")
    lines23 = text23.splitlines()
    assert lines23[3].endswith(": pratiche online / pratiche totali")  # the 2023 rule
    assert lines23[4].endswith(": pratiche_online / pratiche")
    assert any(line.endswith(": 65%") for line in lines23)  # a percentage from 2023
    text22 = explain_text(plan, evaluate_plan(compiled, inputs, year=2022), "1.1.1")
    lines22 = text22.splitlines()
    assert lines22[3].endswith(": accessi SPID") and lines22[4].endswith(": accessi_spid")
    assert any(line.endswith((": 1.200", ": 1,200")) for line in lines22)  # a count
