"""``python -m bench``: run the benchmarks (``make bench``); see docs/performance.md."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from bench.engine_vs_duckdb import main_run
from bench.synth import Size
from bench.web import PAGES, Options, main_web

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
    ap.add_argument("--only", choices=("engine", "web", "inprocess"),
                    help="one benchmark: the engine against DuckDB, page latency, or the "
                         "in-process CPU time of saving a value and of the pages")
    web = ap.add_argument_group("page latency (PostgreSQL: DATABASE_URL)")
    web.add_argument("--pages", default=",".join(PAGES),
                     help="pages to time, comma-separated (default: %(default)s; the "
                          "dashboard only where its URL exists)")
    web.add_argument("--clients", default="1,8,32", help="concurrency levels (%(default)s)")
    web.add_argument("--requests", type=int, default=200,
                     help="requests per page and level, at least 4 per client (%(default)s)")
    web.add_argument("--seconds", type=float, default=20.0,
                     help="seconds per page and level at most (%(default)s)")
    web.add_argument("--workers", type=int, default=4, help="gunicorn workers (%(default)s)")
    web.add_argument("--synthetic", type=int, default=400,
                     help="indicators of the synthetic plan (%(default)s)")
    web.add_argument("--no-upload", action="store_true", help="skip the 10,000-row upload")
    web.add_argument("--database", metavar="URL",
                     help="use this database as it is (the smoke test's SQLite file) "
                          "instead of DATABASE_URL's <name>_bench made anew")
    args = ap.parse_args(argv)
    status = 0
    if args.only in (None, "inprocess"):
        # CPU time in a process of its own (its own SQLite database; Django set up
        # there, not here): what a shared machine disturbs least; the save of one value
        # and each page (bench/inprocess.py)
        status = subprocess.run([sys.executable, "-m", "bench.inprocess", "--indicators",
                                 str(args.synthetic)], check=False).returncode or status
        if args.only == "inprocess":
            return status
    if args.only != "engine":
        url = args.database or os.environ.get("DATABASE_URL", "").strip()
        opts = None
        if args.database or url.startswith("postgres"):
            opts = Options(database_url=url, pages=tuple(args.pages.split(",")),
                           concurrency=tuple(int(c) for c in args.clients.split(",")),
                           requests=args.requests, seconds=args.seconds,
                           workers=args.workers, upload_rows=not args.no_upload,
                           synth=Size(orgs=1, indicators=args.synthetic, years=5),
                           fresh_database=not args.database)
        status = main_web(opts)
        if args.only == "web":
            return status
    base = QUICK if args.quick else Size()
    size = Size(orgs=args.orgs or base.orgs, indicators=args.indicators or base.indicators,
                years=args.years or base.years, seed=args.seed)
    reps = args.reps or (2 if args.quick else 5)
    return main_run(size, engine_reps=reps, floor_reps=args.floor_reps,
                    profile=args.profile) or status


if __name__ == "__main__":
    sys.exit(main())
