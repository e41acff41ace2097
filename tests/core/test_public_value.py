"""The PIAO's valore pubblico: a level above strategic objectives, in the model, the
lint and the roll-up; a plan without it computes exactly what it did."""

from __future__ import annotations

from decimal import Decimal

from cruscotto.core.evaluation import compile_plan, evaluate_plan
from cruscotto.core.lint import lint_plan
from cruscotto.core.piao import BES_DOMAINS, SDGS, reference_name
from cruscotto.core.plan import Plan, PublicValue, validate_plan
from cruscotto.core.rollup import Level, PlanEvaluation
from cruscotto.data import DATA_DIR, default_plan
from cruscotto.io.values_csv import read_values_text

DEMO = DATA_DIR / "demo_values_2021.csv"


def evaluate(plan: Plan) -> PlanEvaluation:
    inputs, direct = read_values_text(DEMO.read_text("utf-8"), plan).select(2021)
    return evaluate_plan(compile_plan(plan), inputs, year=2021, direct=direct)


def with_public_values(plan: Plan) -> Plan:
    plan.public_values = [
        PublicValue(
            "VP1",
            "Imprese competitive",
            bes=["BES4"],
            sdgs=["SDG8", "SDG9"],
            strategic_codes=["1", "3"],
        ),
        PublicValue(
            "VP2", "Una pubblica amministrazione efficiente", bes=["BES12"], strategic_codes=["6"]
        ),
    ]
    return plan


def test_the_closed_lists_hold_the_12_bes_domains_and_the_17_sdgs() -> None:
    assert [r.code for r in BES_DOMAINS] == [f"BES{n}" for n in range(1, 13)]
    assert [r.code for r in SDGS] == [f"SDG{n}" for n in range(1, 18)]
    assert reference_name("SDG4", "it") == "SDG4 Istruzione di qualità"
    assert reference_name("SDG4", "en") == "SDG4 Quality education"
    assert reference_name("BES12", "it") == "BES12 Qualità dei servizi"


def test_a_plan_without_public_values_gives_the_same_figures_as_before() -> None:
    plain = evaluate(default_plan())
    assert plain.public_values == {}
    assert "public_values" not in plain.as_dict()
    grouped = evaluate(with_public_values(default_plan()))
    # the level adds its nodes and changes nothing else
    data = grouped.as_dict()
    data.pop("public_values")
    assert data == plain.as_dict()


def test_a_public_value_averages_the_indicators_of_its_objectives() -> None:
    ev = evaluate(with_public_values(default_plan()))
    node = ev.node(Level.PUBLIC_VALUE, "VP1")
    assert [c.code for c in node.children] == ["1", "3"]
    assert all(c.level is Level.STRATEGIC for c in node.children)
    # the same weighted average as any level: Σ w·a / Σ w over its scored indicators
    counted = [*ev.strategic["1"].counted, *ev.strategic["3"].counted]
    assert sorted(node.counted) == sorted(counted)
    weight = ev.strategic["1"].weight + ev.strategic["3"].weight
    assert node.weight == weight
    s1, s3 = ev.strategic["1"], ev.strategic["3"]
    assert s1.achievement is not None and s3.achievement is not None
    expected = (s1.achievement * s1.weight + s3.achievement * s3.weight) / weight
    assert node.achievement is not None
    assert abs(node.achievement - expected) < Decimal("0.02")
    # objectives under no public value roll up to none
    assert set(ev.public_values) == {"VP1", "VP2"}
    assert ev.public_values["VP2"].counted == ev.strategic["6"].counted


def test_the_lint_reports_an_objective_under_two_public_values() -> None:
    plan = with_public_values(default_plan())
    plan.public_values[1].strategic_codes.append("3")
    found = [f for f in lint_plan(plan) if f.kind == "public-value-objective-twice"]
    assert len(found) == 1
    assert found[0].severity.value == "error"
    assert "3" in found[0].message and "VP1" in found[0].message
    assert found[0].subject == "VP2"


def test_the_lint_reports_a_bes_or_sdg_code_not_in_the_lists() -> None:
    plan = with_public_values(default_plan())
    plan.public_values[0].bes.append("BES13")
    plan.public_values[0].sdgs.append("SDG18")
    found = sorted(f.message for f in lint_plan(plan) if f.kind == "public-value-reference-unknown")
    assert len(found) == 2
    assert "'BES13'" in found[0] and "'SDG18'" in found[1]
    clean = with_public_values(default_plan())
    assert not [f for f in lint_plan(clean) if f.kind.startswith("public-value")]


def test_a_public_value_naming_an_unknown_objective_is_a_structural_problem() -> None:
    plan = with_public_values(default_plan())
    plan.public_values[0].strategic_codes.append("9")
    plan.public_values.append(PublicValue("VP1", "Doppione"))
    problems = validate_plan(plan)
    assert "public value VP1: unknown strategic objective '9'" in problems
    assert "duplicate public value code 'VP1'" in problems
