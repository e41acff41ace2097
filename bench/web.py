"""Page latency and throughput on a real server, with the imports and the upload.

``python -m bench web`` (part of ``make bench``); docs/performance.md has the
figures. On PostgreSQL (``DATABASE_URL``; without it the run is skipped with
a message): a database of its own (``<name>_bench``, made anew), migrated,
then, timed in this process, the seed plan read from its text (``plan
import-text``) and stored, and a 10,000-row values file uploaded (the
upload test's synthetic plan); then the demo people and values, and a
synthetic plan of 400 indicators (``bench.synth``) with one organisation's
values, validated. A gunicorn server (a few sync workers, production
settings) serves them on loopback; clients in threads request each page
with 1, 8 and 32 at a time, a bounded number of requests and seconds per
level, against two floors served by the same server: a static file, and a
minimal Django page (one query, one template: ``bench.floor_urls``).

Pages: the plan overview, an indicator page, the dashboard, the strategic
objective and centre pages, the report page and the public plan page of each
plan (where the URL exists); ``--pages`` picks among them. Also timed: saving
one value of the 400-indicator plan (the write recomputes the stored results).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.synth import Size, SynthPlan, generate

ROOT = Path(__file__).resolve().parent.parent
#: the page kinds a run can time, with the path for a plan key and an indicator code
PAGES: dict[str, Callable[[Any], str]] = {
    "overview": lambda t: f"/plans/{t.key}/",
    "indicator": lambda t: f"/plans/{t.key}/indicators/{t.code}/",
    "dashboard": lambda t: f"/plans/{t.key}/dashboard/",
    "objective": lambda t: f"/plans/{t.key}/strategic/{t.strategic}/",
    "centre": lambda t: f"/plans/{t.key}/centres/{t.centre}/",
    "report": lambda t: f"/plans/{t.key}/report/",
    "public": lambda t: f"/trasparenza/{t.key}/{t.year}/",
}
STATIC = "/static/vendor/htmx.min.js"
#: the framework floor: a minimal Django page of the same server (bench.floor_urls)
FLOOR = "/_bench/floor/"
FLOORS = ("static file (floor)", "Django page (floor)")


@dataclass(frozen=True)
class Served:
    """A plan the pages are timed on, and what its page URLs name."""

    key: str
    code: str
    strategic: str
    centre: str
    year: int


@dataclass
class Options:
    database_url: str
    concurrency: tuple[int, ...] = (1, 8, 32)
    #: requests per level: at least this many, and 4 per client
    requests: int = 200
    #: seconds per level at most (the level stops early, with what it has)
    seconds: float = 20.0
    workers: int = 4
    pages: tuple[str, ...] = tuple(PAGES)
    synth: Size = field(default_factory=lambda: Size(orgs=1, indicators=400, years=5))
    upload_rows: bool = True
    #: make the bench database anew (PostgreSQL); False: use the URL as it is
    fresh_database: bool = True


@dataclass
class Level:
    what: str
    path: str
    clients: int
    latencies: list[float]
    seconds: float
    errors: int

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


@dataclass
class Report:
    levels: list[Level] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# -- the database -------------------------------------------------------------------

def bench_database(url: str) -> str:
    """``url`` with the database name suffixed ``_bench``, made anew."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"{cfg['NAME']}_bench"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def _django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["CRUSCOTTO_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cruscotto.web.settings")
    import django

    django.setup()


def synthetic_core_plan(synth: SynthPlan) -> Any:
    """``synth`` as a plan Cruscotto stores: objectives, missions, centres, variables."""
    from cruscotto.core import plan as core
    from cruscotto.core.values import Variable, VariableKind

    inds = synth.indicators
    stras = sorted({i.strategic for i in inds}, key=int)
    ops = {i.operational: i for i in inds if i.operational}
    plan = core.Plan(
        organisation=core.Organisation(name="Ente sintetico", code="SYN"),
        title=f"Piano sintetico di {len(inds)} indicatori", years=list(synth.years),
        missions=[core.Mission(m, f"Missione {m}") for m in sorted({i.mission for i in inds})],
        strategic_objectives=[core.StrategicObjective(
            s, f"OBIETTIVO STRATEGICO {s}", mission_codes=sorted(
                {i.mission for i in inds if i.strategic == s})) for s in stras],
        operational_objectives=[core.OperationalObjective(
            code, i.strategic, f"Obiettivo operativo {code}", mission_code=i.mission)
            for code, i in ops.items()],
        indicators=[core.Indicator(
            i.code, f"Indicatore {i.code}", kind="efficacia", unit=i.unit,
            formula_text=i.formula, targets={y: t.text for y, t in i.targets.items()},
            centres=list(i.centres), strategic_code=i.strategic,
            operational_code=i.operational, mission_code=i.mission, formula=i.formula,
            polarity=i.polarity, weight=i.weight) for i in inds],
        variables=[Variable(name, name, kind=VariableKind.YES_NO if kind == "yes_no"
                            else VariableKind.NUMBER)
                   for name, kind in sorted(synth.variables.items())])
    plan.sync_registries()
    return plan


def store_values(synth: SynthPlan, db: Any, user: Any) -> dict[int, Any]:
    """The first organisation's values of ``synth`` stored in the plan ``db`` (each year
    end and the baseline, through the service, as ``user``); year -> its period."""
    from cruscotto.web.measurements import services

    periods = {p.year: p for p in services.ensure_periods(plan=db) if not p.is_interim}
    facts = synth.facts[0]
    for year, period in sorted(periods.items()):
        items = [services.ValueInput(i.code, var, facts[(var, year)])
                 for i in synth.indicators for var in (i.num, i.den)
                 if var and facts.get((var, year)) is not None]
        services.do_set_values(user=user, period=period,
                               items=list({it.variable: it for it in items}.values()))
    return periods


def served(key: str, code: str, year: int) -> Served:
    from cruscotto.web.plans import models as pm

    ind = pm.Indicator.objects.select_related("strategic").get(plan__key=key, code=code)
    centre = pm.ResponsibilityCentre.objects.filter(plan__key=key).order_by("position").first()
    assert centre is not None
    return Served(key, code, ind.strategic.code, centre.key, year)


def time_one_value(plan_key: str, code: str, variable: str, year: int, report: Report,
                   repeat: int = 21) -> None:
    """Saving one value of ``variable`` at the year end of ``year`` (the planning office,
    through the service), stored results recomputed in the same transaction: p50/p95."""
    from django.contrib.auth import get_user_model

    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements import services

    period = mm.Period.objects.get(plan__key=plan_key, year=year, kind="year_end")
    admin = get_user_model().objects.get(username="demo-admin")
    value = mm.Value.objects.get(period=period, variable=variable)
    base = value.number
    times = []
    cpu = []
    for i in range(repeat):
        item = services.ValueInput(code, variable, base + i + 1)
        start, start_cpu = time.perf_counter(), time.process_time()
        services.do_set_values(user=admin, period=period, items=[item])
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    times.sort()
    report.timings["synthetic: save one value, CPU of this process (p50)"] = (
        statistics.median(cpu))
    report.timings["synthetic: save one value, results recomputed (p50)"] = times[len(times) // 2]
    report.timings["synthetic: save one value, results recomputed (p95)"] = times[
        max(0, round(0.95 * len(times)) - 1)]


def prepare(opts: Options, report: Report) -> dict[str, Served]:
    """Migrate, import and time; the plans served: label -> what their URLs name."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cruscotto.data import DATA_DIR
    from cruscotto.io.seed_text import import_path
    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements import results
    from cruscotto.web.measurements.demo import load_demo
    from cruscotto.web.plans.services import set_published, write_plan

    call_command("migrate", verbosity=0, interactive=False)
    start = time.perf_counter()
    seed = import_path(DATA_DIR / "seed_piano_2021_2023.txt").plan
    report.timings["seed: import-text (read the plan's text)"] = time.perf_counter() - start
    start = time.perf_counter()
    stored = write_plan(plan=seed)
    report.timings["seed: store (write_plan)"] = time.perf_counter() - start
    from cruscotto.data import default_plan

    stored = write_plan(plan=default_plan())  # the served seed: with the engine's reading
    load_demo(plan=stored)
    set_published(plan=stored, published=True)  # the pages are read as the public reads them
    plans = {"seed": served(stored.key, "3.1.1", 2021)}
    time_reports(stored.key, report)
    if opts.upload_rows:
        report.timings["upload: 10,000 rows CSV (new values)"] = time_upload()

    synth = generate(opts.synth)
    core_plan = synthetic_core_plan(synth)
    start = time.perf_counter()
    db = write_plan(plan=core_plan)
    report.timings[f"synthetic: store {len(core_plan.indicators)} indicators"] = (
        time.perf_counter() - start)
    admin = get_user_model().objects.get(username="demo-admin")
    start = time.perf_counter()
    periods = store_values(synth, db, admin)
    report.timings["synthetic: store one organisation's values"] = time.perf_counter() - start
    middle = synth.indicators[len(synth.indicators) // 2]
    years = sorted(periods)
    # a year end a later year's growth targets read: its periods are recomputed too
    year = years[len(years) // 2]
    numeric = next(i for i in synth.indicators[len(synth.indicators) // 2:]
                   if i.num and isinstance(synth.facts[0].get((i.num, year)), Decimal))
    time_one_value(db.key, numeric.code, numeric.num, year, report)
    start = time.perf_counter()
    mm.Measurement.objects.filter(period__plan=db).update(state="certified")
    results.refresh(db.pk)  # the states were written around the services
    report.timings["synthetic: recompute every stored result (results refresh)"] = (
        time.perf_counter() - start)
    set_published(plan=db, published=True)
    plans[f"synthetic-{len(core_plan.indicators)}"] = served(
        db.key, middle.code, years[-1])
    # the Relazione of a big plan (issue 13: its PDF in under 10 s)
    first = min(y for y, p in periods.items() if p.kind == "year_end")
    time_reports(db.key, report, repeat=1, year=first,
                 label=f"report {first} of {len(core_plan.indicators)} indicators")
    return plans


def time_reports(key: str, report: Report, repeat: int = 3, *, year: int = 2021,
                 label: str = "report 2021") -> None:
    """The annual report of ``year``: built from the database (every state counted, the
    office's heaviest case), then each format rendered; the median of ``repeat`` runs."""
    import statistics

    from cruscotto.web.reports.data import build_report
    from cruscotto.web.reports.render import render

    def median(fn: Any) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    data = build_report(plan_key=key, year=year, basis="all")
    report.timings[f"{label}: build the data (database + engine)"] = median(
        lambda: build_report(plan_key=key, year=year, basis="all"))
    for fmt in ("pdf", "docx", "xlsx"):
        report.timings[f"{label}: render {fmt.upper()}"] = median(
            lambda fmt=fmt: render(data, fmt))


def time_upload() -> float:
    """The upload test's 10,000 rows (1,000 indicators × 2 inputs × 5 periods), as CSV."""
    from django.contrib.auth import get_user_model

    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements.services import ensure_periods
    from cruscotto.web.measurements.uploads import do_upload_values
    from cruscotto.web.plans import models as pm
    from cruscotto.web.plans.services import write_plan
    from tests.web.measurements.test_upload_large import CENTRE, as_csv, rows, synthetic_plan

    db_plan = write_plan(plan=synthetic_plan())
    periods = ensure_periods(plan=db_plan)
    officer = get_user_model().objects.create_user("bench-officer")
    mm.CentreMembership.objects.create(
        user=officer, role="officer",
        centre=pm.ResponsibilityCentre.objects.get(plan=db_plan, name=CENTRE))
    file = as_csv(rows(periods))
    start = time.perf_counter()
    report = do_upload_values(user=officer, plan_id=db_plan.pk, upload=file)
    took = time.perf_counter() - start
    if not report.accepted or report.stored != 10_000:
        raise RuntimeError(f"the upload was refused: {report.problems[:3]}")
    return took


# -- the server and the clients ------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn on loopback, production settings, started and stopped by this run."""

    def __init__(self, url: str, data_dir: str, workers: int) -> None:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "CRUSCOTTO_DATA_DIR": data_dir,
               "CRUSCOTTO_DEBUG": "0", "CRUSCOTTO_SECRET_KEY": "bench-only-" + "x" * 40,
               "CRUSCOTTO_ALLOWED_HOSTS": "127.0.0.1",
               "DJANGO_SETTINGS_MODULE": "cruscotto.web.settings"}
        # the application's settings plus the framework floor's URL (bench.floor_settings)
        env["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "cruscotto.web.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)

    def wait(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped: " + (
                    self.proc.stderr.read().decode() if self.proc.stderr else ""))
            try:
                if get(self.port, path)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer {path} in {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def get(port: int, path: str) -> tuple[int, int]:
    """One GET on a new connection (gunicorn's sync workers close each): status, bytes."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        con.request("GET", path, headers={"Accept-Language": "it"})
        r = con.getresponse()
        return r.status, len(r.read())
    finally:
        con.close()


def load(port: int, what: str, path: str, clients: int, requests: int,
         seconds: float) -> Level:
    """``clients`` threads requesting ``path`` until ``requests`` are done or time is up."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    issued = 0
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        nonlocal issued, errors
        while True:
            with lock:
                if issued >= requests or time.monotonic() > stop_at:
                    return
                issued += 1
            start = time.perf_counter()
            try:
                status, _n = get(port, path)
            except OSError:
                status = 0
            took = time.perf_counter() - start
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Level(what, path, clients, latencies or [float("nan")],
                 time.perf_counter() - start, errors)


def targets(plans: dict[str, Served], pages: Sequence[str]
            ) -> list[tuple[str, str]]:
    """(label, path) of every page to time; a page only where its URL resolves."""
    from django.urls import Resolver404, resolve

    out = []
    for label, served in plans.items():
        for page in pages:
            path = PAGES[page](served)
            try:
                resolve(path)
            except Resolver404:
                continue
            out.append((f"{page} ({label})", path))
    return out


def run(opts: Options) -> Report:
    report = Report()
    url = bench_database(opts.database_url) if opts.fresh_database else opts.database_url
    with tempfile.TemporaryDirectory(prefix="cruscotto-bench-") as data_dir:
        _django(url, data_dir)
        plans = prepare(opts, report)
        paths = targets(plans, opts.pages)
        skipped = [p for p in opts.pages if not any(w.startswith(p + " ") for w, _ in paths)]
        for p in skipped:
            report.notes.append(f"{p}: no such URL yet, not timed")
        server = Server(url, data_dir, opts.workers)
        try:
            server.wait(STATIC)
            server.wait(FLOOR)
            for _what, path in paths:  # one warm-up request each (templates, imports)
                for _ in range(opts.workers):
                    get(server.port, path)
            for clients in opts.concurrency:
                n = max(opts.requests, 4 * clients)
                for what, path in zip(FLOORS, (STATIC, FLOOR), strict=True):
                    report.levels.append(load(server.port, what, path, clients, n,
                                              opts.seconds))
                for what, path in paths:
                    report.levels.append(load(server.port, what, path, clients, n,
                                              opts.seconds))
        finally:
            server.stop()
    return report


def table(report: Report) -> str:
    static = {lv.clients: lv for lv in report.levels if lv.what == FLOORS[0]}
    django = {lv.clients: lv for lv in report.levels if lv.what == FLOORS[1]}
    lines = ["| page | clients | requests | p50 ms | p95 ms | req/s | p50 vs static "
             "| req/s vs static | p50 vs Django floor | req/s vs Django floor | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for lv in report.levels:
        s, d = static[lv.clients], django[lv.clients]
        lines.append(
            f"| {lv.what} | {lv.clients} | {len(lv.latencies)} | {lv.p50 * 1000:.1f} "
            f"| {lv.p95 * 1000:.1f} | {lv.rps:.1f} | {lv.p50 / s.p50:.1f}× "
            f"| {lv.rps / s.rps:.3f} | {lv.p50 / d.p50:.1f}× | {lv.rps / d.rps:.3f} "
            f"| {lv.errors} |")
    lines.append("")
    lines += [f"- {what}: {secs:.2f} s" for what, secs in report.timings.items()]
    lines += [f"- {n}" for n in report.notes]
    return "\n".join(lines)


def main_web(opts: Options | None = None) -> int:
    url = os.environ.get("DATABASE_URL", "").strip()
    if opts is None:
        if not url.startswith("postgres"):
            print("page latency: skipped, set DATABASE_URL to a PostgreSQL database "
                  "(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/cruscotto make bench);"
                  " the run uses <name>_bench, made anew")
            return 0
        opts = Options(database_url=url)
    start = time.perf_counter()
    report = run(opts)
    print(table(report))
    print(f"\n(page latency run: {time.perf_counter() - start:.0f} s; "
          f"gunicorn {opts.workers} sync workers; clients in threads of one process; "
          f"{Decimal(opts.seconds)} s or {opts.requests} requests per level)")
    errors = sum(lv.errors for lv in report.levels)
    return 1 if errors else 0
