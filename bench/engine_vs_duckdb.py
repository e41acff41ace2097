"""Engine vs DuckDB: Cruscotto's indicator engine against the same rules in SQL.

An *evaluation* is one indicator scored for one organisation and year,
together with its share of the roll-up (operational and strategic
objectives, missions, centres, organisation). Both sides evaluate every
organisation, indicator and year of the same synthetic data; the DuckDB
results must agree with the engine's (outcome exactly, achievement within
0.01) or the run fails: a floor that computes something else is worthless.
See docs/performance.md for how to read the figures.
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import resource
import statistics
import sys
import tracemalloc
from dataclasses import dataclass, field
from decimal import Decimal

from bench.engine import Compiled, Results, compile_plan, run_engine
from bench.floor import Floor, FloorResults
from bench.synth import Size, SynthPlan, generate
from cruscotto.core.rollup import evaluate, needs

__all__ = ["Agreement", "Run", "Timing", "compare", "engine_and_floor", "main_run"]

TOLERANCE = 0.01
EPS = 1e-9


@dataclass
class Agreement:
    """How far the floor's results agree with the engine's, for one kind of figure."""

    what: str
    compared: int = 0
    #: keys one side has and the other not
    unmatched: int = 0
    outcome_mismatch: int = 0
    #: achievements given by both sides
    achievements: int = 0
    exact: int = 0
    within: int = 0
    max_diff: float = 0.0
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.unmatched == 0 and self.outcome_mismatch == 0
                and self.within == self.achievements)

    def note(self, text: str) -> None:
        if len(self.examples) < 5:
            self.examples.append(text)

    def line(self) -> str:
        verdict = "agree" if self.ok else "DISAGREE"
        return (f"{self.what}: {verdict}: {self.compared:,} compared, "
                f"{self.achievements:,} achievements, {self.exact:,} identical, "
                f"{self.within:,} within {TOLERANCE}, max difference {self.max_diff:.4f}; "
                f"outcome mismatches {self.outcome_mismatch}, unmatched {self.unmatched}")


def _achievement(agr: Agreement, key: object, mine: Decimal | None,
                 theirs: float | None) -> None:
    if (mine is None) != (theirs is None):
        agr.outcome_mismatch += 1
        agr.note(f"{key}: engine {mine}, DuckDB {theirs}")
        return
    if mine is None or theirs is None:
        return
    agr.achievements += 1
    diff = abs(float(mine) - theirs)
    agr.max_diff = max(agr.max_diff, diff)
    if diff < EPS:
        agr.exact += 1
    if diff <= TOLERANCE + EPS:
        agr.within += 1
    else:
        agr.note(f"{key}: engine {mine}, DuckDB {theirs}")


def compare(engine: Results, floor: FloorResults) -> tuple[Agreement, Agreement]:
    """Every indicator-year and every node, engine against floor."""
    f_inds, f_nodes = floor
    inds = Agreement("indicators (outcome, achievement)")
    for key, (outcome, ach) in engine.indicators.items():
        inds.compared += 1
        other = f_inds.get(key)
        if other is None:
            inds.unmatched += 1
            inds.note(f"{key}: missing from DuckDB")
            continue
        if outcome != other[0]:
            inds.outcome_mismatch += 1
            inds.note(f"{key}: engine {outcome}, DuckDB {other[0]}")
            continue
        _achievement(inds, key, ach, other[1])
    inds.unmatched += len(set(f_inds) - set(engine.indicators))
    nodes = Agreement("roll-up (objectives, missions, centres, organisation)")
    for node, ach in engine.nodes.items():
        nodes.compared += 1
        if node not in f_nodes:
            nodes.unmatched += 1
            nodes.note(f"{node}: missing from DuckDB")
            continue
        _achievement(nodes, node, ach, f_nodes[node])
    nodes.unmatched += len(set(f_nodes) - set(engine.nodes))
    return inds, nodes


@dataclass
class Timing:
    name: str
    seconds: list[float]
    evaluations: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rate(self) -> float:
        return self.evaluations / self.median


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    import duckdb

    return (f"{platform.system()} {platform.machine()}, {_cpu_model()}, "
            f"{os.cpu_count()} CPUs; Python {platform.python_version()} "
            f"({platform.python_implementation()}); DuckDB {duckdb.__version__}")


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def one_evaluation_peak_mb(plan: SynthPlan, compiled: Compiled) -> float:
    """Python memory allocated at peak by one organisation-year (collect, fetch, evaluate)."""
    facts, year = plan.facts[0], plan.years[-1]
    tracemalloc.start()
    try:
        keys = needs(compiled.specs, year)
        inputs = {k: facts.get(k) for k in keys}
        ev = evaluate(compiled.specs, compiled.placements, inputs, year=year)
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del ev
    return peak / (1024 * 1024)


@dataclass
class Run:
    """One run of both sides on one plan."""

    engine: Timing
    floors: list[Timing]
    compile_seconds: float
    rss_engine_mb: float
    rss_end_mb: float
    one_org_year_mb: float
    indicators: Agreement
    nodes: Agreement
    results: Results

    @property
    def agree(self) -> bool:
        return self.indicators.ok and self.nodes.ok


def engine_and_floor(plan: SynthPlan, *, engine_reps: int, floor_reps: int,
                     verbose: bool = False) -> Run:
    """Run both sides on ``plan``: the timings, the memory and the agreement."""
    def say(text: str) -> None:
        if verbose:
            print(text, flush=True)

    n = plan.evaluations
    compiled = compile_plan(plan)
    say(f"compiled {len(compiled.specs)} indicators in {compiled.seconds:.3f} s")

    engine_secs: list[float] = []
    results: Results | None = None
    for rep in range(engine_reps):
        secs, res = run_engine(plan, compiled, collect=rep == 0)
        if res is not None:
            results = res
        engine_secs.append(secs)
        say(f"engine run {rep + 1}/{engine_reps}: {secs:.2f} s, {n / secs:,.0f} evaluations/s")
    assert results is not None
    rss_engine = _peak_rss_mb()
    one_peak = one_evaluation_peak_mb(plan, compiled)

    floors: list[Timing] = []
    floor_results: FloorResults | None = None
    for threads in (None, 1):
        fl = Floor(plan, threads=threads)
        secs_list = [fl.run() for _ in range(floor_reps)]
        label = f"DuckDB SQL ({fl.threads} thread{'s' if fl.threads != 1 else ''})"
        floors.append(Timing(label, secs_list, n))
        say(f"{label}: median {statistics.median(secs_list):.3f} s over {floor_reps} runs")
        if floor_results is None:
            floor_results = fl.results()
        fl.close()
    assert floor_results is not None
    inds, nodes = compare(results, floor_results)
    return Run(engine=Timing("Cruscotto engine (1 thread)", engine_secs, n), floors=floors,
               compile_seconds=compiled.seconds, rss_engine_mb=rss_engine,
               rss_end_mb=_peak_rss_mb(), one_org_year_mb=one_peak, indicators=inds,
               nodes=nodes, results=results)


def profile_engine(plan: SynthPlan, orgs: int = 5, top: int = 25) -> str:
    """cProfile of the engine over the first ``orgs`` organisations (every year)."""
    compiled = compile_plan(plan)
    prof = cProfile.Profile()
    prof.enable()
    run_engine(plan, compiled, orgs=range(min(orgs, len(plan.facts))))
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def main_run(size: Size, *, engine_reps: int, floor_reps: int, profile: bool) -> int:
    """Generate, run both sides, print the table; 0 when the floor agrees with the engine."""
    print(f"== Engine vs DuckDB: {size.orgs} organisations × {size.indicators} indicators × "
          f"{size.years} years (seed {size.seed})", flush=True)
    plan = generate(size)
    n_facts = sum(len(f) for f in plan.facts)
    print(f"generated {n_facts:,} facts; {plan.evaluations:,} evaluations per pass", flush=True)
    r = engine_and_floor(plan, engine_reps=engine_reps, floor_reps=floor_reps, verbose=True)
    engine = r.engine
    outcomes: dict[str, int] = {}
    for outcome, _a in r.results.indicators.values():
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    print()
    print(f"machine: {machine()}")
    print(f"evaluations per pass: {plan.evaluations:,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(outcomes.items()))})")
    print()
    print(f"| {'evaluator':<28} | {'runs':>4} | {'median s':>9} | {'evaluations/s':>13} "
          f"| {'vs engine':>9} |")
    print(f"| {'-' * 28} | {'-' * 4}:| {'-' * 9}:| {'-' * 13}:| {'-' * 9}:|")
    for t in (engine, *r.floors):
        print(f"| {t.name:<28} | {len(t.seconds):>4} | {t.median:>9.3f} | {t.rate:>13,.0f} "
              f"| {t.rate / engine.rate:>8.1f}× |")
    print()
    print(f"compile (parse {len(plan.indicators)} formulas and their targets, once): "
          f"{r.compile_seconds:.3f} s")
    print(f"peak memory: process RSS {r.rss_engine_mb:,.0f} MB after the engine runs "
          f"(data and results included), {r.rss_end_mb:,.0f} MB at the end; "
          f"Python allocations at peak for one organisation-year "
          f"({len(plan.indicators)} indicators): {r.one_org_year_mb:,.1f} MB (tracemalloc)")
    print(f"agreement (DuckDB vs engine, tolerance {TOLERANCE}):")
    for a in (r.indicators, r.nodes):
        print(f"  {a.line()}")
        for e in a.examples:
            print(f"    e.g. {e}")
    if profile:
        print()
        print("== cProfile of the engine, first 5 organisations")
        print(profile_engine(plan))
    return 0 if r.agree else 1
