"""The shipped plan is fully encoded and its lint says exactly what a person must still check.

The sets below are the known state of the default plan: a new warning (or a
lost one) is a change someone has to look at, so the test names it.
"""

from __future__ import annotations

from cruscotto.core.evaluation import compile_plan, indicator_inputs
from cruscotto.core.findings import Severity
from cruscotto.core.formula import parse
from cruscotto.core.lint import lint_plan
from cruscotto.data import default_plan

POLARITY_INFERRED = {"1.2.1", "1.2.2", "1.3.1", "2.2.1", "2.2.2", "4.1.2",
                     "6.0.1", "6.0.2", "6.0.3", "6.1.1", "6.3.1"}
#: milestones with targets in some plan years only
ONE_OFF = {"1.3.2", "4.2.1", "4.2.2", "5.2.1", "6.2.1", "6.4.2", "6.5.2", "6.5.3"}


def test_it_gives_every_one_of_the_36_indicators_a_formula_the_engine_reads() -> None:
    plan = default_plan()
    assert len(plan.indicators) == 36
    assert [i.code for i in plan.indicators if not i.formula.strip()] == []
    for ind in plan.indicators:
        parse(ind.formula)  # raises with the column if it cannot be read
    compiled = compile_plan(plan)
    assert dict(compiled.errors) == {}
    assert len(compiled.specs) == 36


def test_it_declares_every_input_a_formula_reads_with_its_source() -> None:
    plan = default_plan()
    declared = {v.name: v for v in plan.variables}
    read = set().union(*indicator_inputs(plan).values())
    assert read - set(declared) == set()
    assert [n for n in sorted(read) if not declared[n].source] == []
    # and nothing is declared that no formula reads
    assert set(declared) - read == set()


def test_it_reads_the_spending_cap_of_6_5_4_from_its_own_input() -> None:
    ind = default_plan().indicator("6.5.4")
    assert ind.measures == {"spesa": "spesa_gestione_immobili"}


def test_it_has_no_errors_and_only_the_known_warnings() -> None:
    findings = lint_plan(default_plan())
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    assert sorted(f.subject for f in warnings if f.kind == "polarity-inferred") == sorted(
        POLARITY_INFERRED)
    unit = [f for f in warnings if f.kind == "unit-target-mismatch"]
    assert {f.subject for f in unit} == {"2.1.1"}
    assert sorted(f.message.split(":")[0] for f in unit) == ["2021", "2022", "2023"]
    assert len(warnings) == len(POLARITY_INFERRED) + 3


def test_it_says_why_2_1_1_s_targets_are_read_as_percentages() -> None:
    findings = [f for f in lint_plan(default_plan()) if f.kind == "unit-target-mismatch"]
    assert len(findings) == 3
    assert all("'>=90'" in f.message and "read as 90%" in f.message for f in findings)


def test_it_notes_the_one_off_milestones() -> None:
    notes = {(f.kind, f.subject) for f in lint_plan(default_plan())
             if f.severity is Severity.INFO}
    assert notes == {("target-one-off", code) for code in ONE_OFF}


def test_it_points_each_finding_at_the_seed_line() -> None:
    plan = default_plan()
    for f in lint_plan(plan):
        assert f.line == plan.indicator(f.subject).source.line
