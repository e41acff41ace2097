"""Cruscotto's engine on a synthetic plan: compile once, then collect, fetch, evaluate."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bench.synth import SynthPlan
from cruscotto.core.rollup import Placement, PlanEvaluation, evaluate, needs
from cruscotto.core.scoring import IndicatorSpec, compile_indicator

__all__ = ["Compiled", "Results", "compile_plan", "run_engine"]

#: (organisation, year) -> what the comparison needs of one evaluation
Key = tuple[int, int]


@dataclass
class Compiled:
    specs: list[IndicatorSpec]
    placements: list[Placement]
    seconds: float


@dataclass
class Results:
    """Indicator outcomes and achievements, and node achievements, by organisation and year."""

    #: (org, year, indicator) -> (outcome, achievement)
    indicators: dict[tuple[int, int, str], tuple[str, Decimal | None]] = field(
        default_factory=dict)
    #: (org, year, level, code) -> achievement
    nodes: dict[tuple[int, int, str, str], Decimal | None] = field(default_factory=dict)

    def add(self, org: int, year: int, ev: PlanEvaluation) -> None:
        for code, r in ev.indicators.items():
            self.indicators[(org, year, code)] = (r.outcome.value, r.achievement)
        for level, table in (("operational", ev.operational), ("strategic", ev.strategic),
                             ("mission", ev.missions), ("centre", ev.centres)):
            for code, node in table.items():
                self.nodes[(org, year, level, code)] = node.achievement
        self.nodes[(org, year, "organisation", "")] = ev.organisation.achievement


def compile_plan(plan: SynthPlan) -> Compiled:
    """Parse every formula and target once (timed)."""
    t0 = time.perf_counter()
    specs = [
        compile_indicator(code=i.code, formula=i.formula,
                          targets={y: t.text for y, t in i.targets.items()},
                          unit=i.unit, polarity=i.polarity)
        for i in plan.indicators
    ]
    seconds = time.perf_counter() - t0
    placements = [
        Placement(indicator=i.code, strategic=i.strategic, operational=i.operational,
                  mission=i.mission, centres=i.centres, weight=i.weight)
        for i in plan.indicators
    ]
    return Compiled(specs, placements, seconds)


def run_engine(plan: SynthPlan, compiled: Compiled, *, collect: bool = False,
               orgs: Sequence[int] | None = None) -> tuple[float, Results | None]:
    """Evaluate every organisation and year; the seconds spent, and the results if asked.

    Timed per organisation-year: ``needs`` (collect), the look-up of those
    keys in the organisation's facts (fetch, from memory here) and
    ``evaluate`` (score every indicator and roll up). Copying results out
    for the comparison is not timed.
    """
    specs, placements = compiled.specs, compiled.placements
    results = Results() if collect else None
    total = 0.0
    for org in (range(len(plan.facts)) if orgs is None else orgs):
        facts = plan.facts[org]
        for year in plan.years:
            t0 = time.perf_counter()
            keys = needs(specs, year)
            inputs = {k: facts.get(k) for k in keys}
            ev = evaluate(specs, placements, inputs, year=year)
            total += time.perf_counter() - t0
            if results is not None:
                results.add(org, year, ev)
    return total, results
