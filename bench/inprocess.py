"""In-process CPU time of the write and of the pages (``python -m bench.inprocess``).

What a request or a save costs in this process's own CPU time
(``time.process_time``), which other work on a shared machine disturbs much less
than wall-clock time: on a SQLite file of its own (made anew in a temporary
directory; the database's work is in the process too), the seed plan with its
demo people and values, and the generated 400-indicator plan of ``make bench``
(``bench.synth``) with one organisation's values over five years, then

- **save one value**: ``do_set_values`` of one value in a year end of the
  400-indicator plan, as the planning office (its stored results recomputed in
  the transaction), ``--saves`` times: median and p95;
- **pages**: each main page of the 400-indicator plan (and of the seed plan) as
  the planning office and as the public, through Django's test client,
  ``--requests`` times after a first request that fills the process's caches:
  median, against a minimal page of the same stack (the login page).

``--profile WHAT`` (``save``, or a page name) prints a cProfile of it instead.
Run it against another source tree (``PYTHONPATH=/elsewhere/src``) to compare two
versions of the code side by side: the script uses no API newer than the stored
results.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.synth import Size, generate
from bench.web import PAGES, served, store_values

FLOOR = "/accounts/login/"


def _setup(directory: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["CRUSCOTTO_DATA_DIR"] = directory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cruscotto.web.settings")
    import django

    django.setup()


def prepare(indicators: int) -> dict[str, Any]:
    """Migrate, store the seed plan with the demo and the synthetic plan with values."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.web import synthetic_core_plan
    from cruscotto.data import default_plan
    from cruscotto.web.measurements.demo import load_demo
    from cruscotto.web.plans.services import set_published, write_plan

    call_command("migrate", verbosity=0, interactive=False)
    seed = write_plan(plan=default_plan())
    load_demo(plan=seed)
    set_published(plan=seed, published=True)
    synth = generate(Size(orgs=1, indicators=indicators, years=5))
    db = write_plan(plan=synthetic_core_plan(synth))
    admin = get_user_model().objects.get(username="demo-admin")
    periods = store_values(synth, db, admin)
    facts = synth.facts[0]
    years = sorted(periods)
    year = years[len(years) // 2]
    numeric = next(i for i in synth.indicators[len(synth.indicators) // 2:]
                   if i.num and isinstance(facts.get((i.num, year)), Decimal))
    middle = synth.indicators[len(synth.indicators) // 2]
    set_published(plan=db, published=True)
    return {"seed": served(seed.key, "3.1.1", 2021), "db": db, "year": year,
            "save": (numeric.code, numeric.num),
            "synthetic": served(db.key, middle.code, years[-1])}


def save_one_value(ctx: dict[str, Any], repeat: int, profile: bool = False) -> list[float]:
    """CPU seconds of each of ``repeat`` saves of one value in a year end."""
    from django.contrib.auth import get_user_model

    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements import services

    code, variable = ctx["save"]
    period = mm.Period.objects.get(plan=ctx["db"], year=ctx["year"], kind="year_end")
    admin = get_user_model().objects.get(username="demo-admin")
    base = mm.Value.objects.get(period=period, variable=variable).number
    times = []
    prof = cProfile.Profile() if profile else None
    for i in range(repeat):
        item = services.ValueInput(code, variable, base + i + 1)
        if prof:
            prof.enable()
        start = time.process_time()
        services.do_set_values(user=admin, period=period, items=[item])
        times.append(time.process_time() - start)
        if prof:
            prof.disable()
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    return times


def certify(ctx: dict[str, Any]) -> None:
    """Every measurement of the synthetic plan certified (around the services, as the
    page benchmark does), its results recomputed: the public sees every figure."""
    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements import results

    mm.Measurement.objects.filter(period__plan=ctx["db"]).update(state="certified")
    results.refresh(ctx["db"].pk)


def page_times(path: str, client: Any, repeat: int, profile: bool = False) -> list[float]:
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code)
    times = []
    prof = cProfile.Profile() if profile else None
    for _ in range(repeat):
        if prof:
            prof.enable()
        start = time.process_time()
        response = client.get(path)
        times.append(time.process_time() - start)
        if prof:
            prof.disable()
        assert response.status_code == 200, path
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(
            "cruscotto|defaultfilters|templatetags", 40)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    ap.add_argument("--indicators", type=int, default=400)
    ap.add_argument("--saves", type=int, default=11)
    ap.add_argument("--requests", type=int, default=7)
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--plans", default="synthetic,seed")
    ap.add_argument("--profile", help="'save' or a page name (of the synthetic plan, "
                                      "office): a cProfile instead of the figures")
    ap.add_argument("--label", default="", help="a name for this run in the output")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        _setup(directory)
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import setup_test_environment

        import cruscotto

        setup_test_environment()
        print(f"# code: {Path(cruscotto.__file__).parent} {args.label}", flush=True)
        ctx = prepare(args.indicators)
        if args.profile == "save":
            save_one_value(ctx, args.saves, profile=True)
            return 0
        rows: list[tuple[str, list[float]]] = []
        if not args.profile:
            rows.append(("save one value (synthetic, office)", save_one_value(ctx, args.saves)))
        certify(ctx)
        office = Client()
        office.force_login(get_user_model().objects.get(username="demo-controllo"))
        public = Client()
        if args.profile:
            page_times(PAGES[args.profile](ctx["synthetic"]), office, args.requests,
                       profile=True)
            return 0
        rows.append(("login page (floor)", page_times(FLOOR, public, args.requests)))
        for label in args.plans.split(","):
            for page in args.pages.split(","):
                path = PAGES[page](ctx[label])
                for who, client in (("office", office), ("public", public)):
                    rows.append((f"{page} ({label}, {who})",
                                 page_times(path, client, args.requests)))
        floor = statistics.median(rows[1][1]) if len(rows) > 1 else 0.0
        print("| what | n | CPU median ms | CPU p95 ms | × floor |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for what, ts in rows:
            ts = sorted(ts)
            med = statistics.median(ts)
            p95 = ts[max(0, round(0.95 * len(ts)) - 1)]
            ratio = f"{med / floor:.1f}×" if floor and not what.startswith("save") else ""
            print(f"| {what} | {len(ts)} | {med * 1000:.1f} | {p95 * 1000:.1f} | {ratio} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
