"""``python -m bench``: run the benchmarks (``make bench``); see docs/performance.md."""

from __future__ import annotations

import argparse
import sys

from bench.engine_vs_duckdb import main_run
from bench.synth import Size

QUICK = Size(orgs=10, indicators=80, years=5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true",
                    help=f"a smoke run: {QUICK.orgs} organisations × {QUICK.indicators} "
                         "indicators, 2 engine runs")
    ap.add_argument("--orgs", type=int, help="organisations (default 100)")
    ap.add_argument("--indicators", type=int, help="indicators per plan (default 400)")
    ap.add_argument("--years", type=int, help="evaluated years (default 5)")
    ap.add_argument("--seed", type=int, default=Size().seed, help="RNG seed")
    ap.add_argument("--reps", type=int, help="engine runs (default 5, quick 2)")
    ap.add_argument("--floor-reps", type=int, default=5, help="DuckDB runs (default 5)")
    ap.add_argument("--profile", action="store_true",
                    help="also print a cProfile of the engine over 5 organisations")
    args = ap.parse_args(argv)
    base = QUICK if args.quick else Size()
    size = Size(orgs=args.orgs or base.orgs, indicators=args.indicators or base.indicators,
                years=args.years or base.years, seed=args.seed)
    reps = args.reps or (2 if args.quick else 5)
    return main_run(size, engine_reps=reps, floor_reps=args.floor_reps, profile=args.profile)


if __name__ == "__main__":
    sys.exit(main())
