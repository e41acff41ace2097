"""Smoke test of the engine benchmark (no timing): tiny data, both evaluators, full agreement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bench.__main__ import main
from bench.engine import Results, compile_plan, run_engine
from bench.engine_vs_duckdb import compare
from bench.floor import Floor
from bench.synth import Size, SynthPlan, generate

TINY = Size(orgs=4, indicators=60, years=5, seed=1)


@pytest.fixture(scope="module")
def plan() -> SynthPlan:
    return generate(TINY)


@pytest.fixture(scope="module")
def engine_results(plan: SynthPlan) -> Results:
    _secs, results = run_engine(plan, compile_plan(plan), collect=True)
    assert results is not None
    return results


def test_generator_is_deterministic(plan: SynthPlan) -> None:
    again = generate(TINY)
    assert again.indicators == plan.indicators
    assert again.facts == plan.facts
    assert generate(Size(orgs=4, indicators=60, years=5, seed=2)).facts != plan.facts


def test_mix_has_every_kind_and_every_outcome(plan: SynthPlan,
                                              engine_results: Results) -> None:
    assert {i.kind for i in plan.indicators} == {
        "ratio", "ratio_lower", "growth", "reduction", "count", "milestone"}
    outcomes = {o for o, _a in engine_results.indicators.values()}
    assert outcomes == {"scored", "not_measured", "not_computable", "no_target"}
    assert len(engine_results.indicators) == plan.evaluations


def test_missing_and_zero_are_never_scored_as_zero(plan: SynthPlan,
                                                   engine_results: Results) -> None:
    seen = 0
    for ind in plan.indicators:
        for org, facts in enumerate(plan.facts):
            for year in plan.years:
                if ind.targets[year].kind == "none":
                    continue
                outcome, ach = engine_results.indicators[(org, year, ind.code)]
                if facts.get((ind.num, year)) is None or (
                        ind.den and facts.get((ind.den, year)) is None):
                    assert (outcome, ach) == ("not_measured", None)
                    seen += 1
                elif ind.den and facts[(ind.den, year)] == Decimal(0):
                    assert (outcome, ach) == ("not_computable", None)
                    seen += 1
    assert seen > 0


def test_duckdb_agrees_with_the_engine_on_every_figure(plan: SynthPlan,
                                                       engine_results: Results) -> None:
    floor = Floor(plan)
    try:
        floor.run()
        inds, nodes = compare(engine_results, floor.results())
    finally:
        floor.close()
    for agreement in (inds, nodes):
        assert agreement.ok, agreement.line() + "\n" + "\n".join(agreement.examples)
        assert agreement.compared > 0
        # not only within 0.01: the same figure, cent for cent
        assert agreement.exact == agreement.achievements, agreement.line()
    assert inds.compared == plan.evaluations


def test_command_line_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "engine", "--orgs", "2", "--indicators", "30", "--reps", "1",
                 "--floor-reps", "1"]) == 0
    out = capsys.readouterr().out
    assert "evaluations/s" in out
    assert "DISAGREE" not in out
