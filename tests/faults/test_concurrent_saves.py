"""Issue 11, 6: two people save the same value at once: one succeeds, the other gets 409.

Two real processes on one real database: a SQLite file named by
``DATABASE_URL=sqlite:///...`` (main dropped the default's IMMEDIATE transactions,
WAL and timeout for such a URL, and the second save failed with a 500 "database is
locked"), and PostgreSQL when DATABASE_URL names a server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_kill import PG_URL, ROOT, _pg_admin, cruscotto

BACKENDS = ["sqlite-url", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL.startswith("postgres"), reason="DATABASE_URL names no PostgreSQL server"))]


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CRUSCOTTO_")}
    base.update({"CRUSCOTTO_DATA_DIR": str(tmp_path / "var"),
                 "DJANGO_SETTINGS_MODULE": "cruscotto.web.settings",
                 "PYTHONPATH": os.pathsep.join(
                     [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])})
    if request.param == "sqlite-url":
        base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'by-url.sqlite3'}"
        yield base
        return
    name = f"harden_conc_{uuid.uuid4().hex[:8]}"
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield base
    finally:
        with _pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sqlite_by_url_gets_the_defaults_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRUSCOTTO_")}
    env.update({"CRUSCOTTO_DATA_DIR": str(tmp_path / "var"),
                "PYTHONPATH": os.pathsep.join(
                    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
                "DJANGO_SETTINGS_MODULE": "cruscotto.web.settings"})
    code = ("from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(sorted(d['OPTIONS'].items()), d.get('CONN_MAX_AGE', 0))")
    out = {}
    for url in ("", f"sqlite:///{tmp_path / 'x.sqlite3'}"):
        r = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                           env={**env, "DATABASE_URL": url}, capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
        assert r.returncode == 0, r.stderr
        out[bool(url)] = r.stdout
    assert out[True] == out[False]
    assert "IMMEDIATE" in out[True] and "journal_mode=WAL" in out[True]


def test_two_concurrent_saves_give_one_success_and_one_conflict(env: dict[str, str]) -> None:
    cruscotto(env, "migrate", "--noinput", "-v0")
    cruscotto(env, "plan", "load-default")
    setup = (
        "import django; django.setup()\n"
        "from decimal import Decimal\n"
        "from django.contrib.auth import get_user_model\n"
        "from cruscotto.web.measurements import models as mm, services\n"
        "from cruscotto.web.plans import models as pm\n"
        "plan = pm.Plan.objects.get()\n"
        "services.ensure_periods(plan=plan)\n"
        "centre = pm.IndicatorCentre.objects.filter(indicator__plan=plan, "
        "indicator__code='3.1.1').first().centre\n"
        "for name in ('uno', 'due'):\n"
        "    u = get_user_model().objects.create_user(name, password='x')\n"
        "    mm.CentreMembership.objects.create(user=u, centre=centre, role='officer')\n"
        "period = mm.Period.objects.get(plan=plan, end_date='2021-12-31')\n"
        "services.do_set_values(user=u, period=period, items=[services.ValueInput("
        "'3.1.1', 'budget_innovazione', Decimal(1))])\n")
    r = subprocess.run([sys.executable, "-c", setup], env=env, capture_output=True,
                       text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    go = str(Path(env["CRUSCOTTO_DATA_DIR"]) / "go")
    second = subprocess.Popen([sys.executable, "-m", "tests.faults.save_worker", "due", "200",
                               "0", go], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT)
    first = None
    try:
        assert second.stdout is not None
        line = second.stdout.readline()  # set up and waiting for the go
        assert line.startswith("READY"), (line, second.stderr.read() if second.stderr else "")
        first = subprocess.Popen([sys.executable, "-m", "tests.faults.save_worker", "uno",
                                  "100", "3", go], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, cwd=ROOT)
        out_first, err_first = first.communicate(timeout=300)
        out_second, err_second = second.communicate(timeout=300)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert "HOLDING" in out_first, (out_first, err_first)
    statuses = sorted([out_first.strip().split()[-1], out_second.strip().split()[-1]])
    assert statuses == ["200", "409"], (out_first, err_first, out_second, err_second)
