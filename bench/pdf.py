"""The Relazione's PDF of the 400-indicator plan, alone: ``python -m bench.pdf``.

``python -m bench.pdf html OUT.html``: a database of its own (``DATABASE_URL``'s
``<name>_bench``, made anew, as ``make bench``), the seed plan's demo people, the
synthetic plan (``bench.synth``, 400 indicators, one organisation's values, every
state certified), then the first year's Relazione written as the HTML the PDF is
made from (``render.to_html``).

``python -m bench.pdf time A.html B.html ...``: each HTML rendered to PDF by
WeasyPrint, in turn, ``--repeat`` times (median), with its page count; so the HTML
of two versions of the templates (kept from a run of each) are timed in one run, on
the same machine under the same load; the CPU time of the process is printed too (on
a shared machine the wall time is partly the other processes'). ``--profile`` prints
a cProfile of one render.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def build_html(out: Path, reuse: bool = False) -> None:
    from bench.synth import Size, generate
    from bench.web import _django, bench_database, store_values, synthetic_core_plan

    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL (PostgreSQL) is needed")
    bench_url = (url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_bench" if reuse
                 else bench_database(url))
    _django(bench_url, tempfile.mkdtemp(prefix="cruscotto-bench-pdf-"))

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cruscotto.data import default_plan
    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements import results
    from cruscotto.web.measurements.demo import load_demo
    from cruscotto.web.plans import models as pm
    from cruscotto.web.plans.services import write_plan

    if reuse:  # the database of an earlier run, as it is
        db = pm.Plan.objects.get(title__startswith="Piano sintetico")
        first = mm.Period.objects.filter(plan=db, kind="year_end").order_by("year").first()
        assert first is not None
        write(out, db.key, first.year)
        return
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(plan=write_plan(plan=default_plan()))  # the demo people
    synth = generate(Size(orgs=1, indicators=400, years=5))
    db = write_plan(plan=synthetic_core_plan(synth))
    admin = get_user_model().objects.get(username="demo-admin")
    periods = store_values(synth, db, admin)
    mm.Measurement.objects.filter(period__plan=db).update(state="certified")
    results.refresh(db.pk)
    write(out, db.key, min(y for y, p in periods.items() if p.kind == "year_end"))


def write(out: Path, key: str, year: int) -> None:
    from django.utils import translation

    from cruscotto.web.reports.data import build_report
    from cruscotto.web.reports.render import to_html

    with translation.override("it"):
        html = to_html(build_report(plan_key=key, year=year, basis="all"))
    out.write_text(html, encoding="utf-8")
    print(f"{out}: {len(html):,} characters")


def time_html(paths: list[Path], repeat: int, profile: bool) -> None:
    from weasyprint import HTML

    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    times: dict[Path, list[float]] = {p: [] for p in paths}
    cpu: dict[Path, list[float]] = {p: [] for p in paths}
    pages: dict[Path, int] = {}
    HTML(string="<p>warm</p>").write_pdf()  # load fonts once, outside the timings
    for _ in range(repeat):
        for p in paths:
            start, start_cpu = time.perf_counter(), time.process_time()
            doc = HTML(string=texts[p]).render()
            doc.write_pdf()
            times[p].append(time.perf_counter() - start)
            cpu[p].append(time.process_time() - start_cpu)
            pages[p] = len(doc.pages)
    for p in paths:
        runs = ", ".join(f"{t:.2f}" for t in times[p])
        print(f"{p.name}: median {statistics.median(times[p]):.2f} s ({runs}), "
              f"CPU {statistics.median(cpu[p]):.2f} s, {pages[p]} pages")
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        HTML(string=texts[paths[-1]]).write_pdf()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pdf", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("html", help="build the 400-indicator Relazione's HTML")
    h.add_argument("out", type=Path)
    h.add_argument("--reuse", action="store_true",
                   help="read the bench database of an earlier run as it is")
    t = sub.add_parser("time", help="render HTML files to PDF, timed")
    t.add_argument("html", type=Path, nargs="+")
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "html":
        build_html(args.out, args.reuse)
    else:
        time_html(args.html, args.repeat, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
