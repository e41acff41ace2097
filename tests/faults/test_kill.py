"""A process killed (SIGKILL) in the middle of an import or an upload changes nothing.

Real processes on a real database file (SQLite) or database (PostgreSQL, when
DATABASE_URL names one: a database of its own is created for the test and
dropped after). Each case:

1. fills the database with `cruscotto migrate`, `plan load-default`, `demo`;
2. records the content hashes of every table (those of `cruscotto backup`);
3. starts the import or upload in a worker (tests/faults/worker.py) that pauses
   right after a chosen number of writes inside the transaction, and kills it
   with SIGKILL there;
4. checks the content hashes are exactly as before;
5. starts `cruscotto serve` on the same database and checks it answers;
6. runs the same work to the end and checks it does change the hashes (so the
   killed run had something to lose).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CRUSCOTTO = str(Path(sys.executable).with_name("cruscotto"))
PG_URL = os.environ.get("DATABASE_URL", "").strip()
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL.startswith("postgres"), reason="DATABASE_URL names no PostgreSQL server"))]


def _pg_admin(url: str) -> Any:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    return psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                           password=cfg["PASSWORD"] or None, dbname="postgres",
                           autocommit=True)


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CRUSCOTTO_")}
    base.update({"CRUSCOTTO_DATA_DIR": str(tmp_path / "var"),
                 "DJANGO_SETTINGS_MODULE": "cruscotto.web.settings",
                 "PYTHONPATH": str(ROOT)})
    if request.param == "sqlite":
        base["DATABASE_URL"] = ""
        yield base
        return
    name = f"harden_faults_{uuid.uuid4().hex[:8]}"
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield base
    finally:
        with _pg_admin(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cruscotto(env: dict[str, str], *args: str) -> str:
    r = subprocess.run([CRUSCOTTO, *args], env=env, capture_output=True, text=True,
                       timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout


def worker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.faults.worker", *args], env=env,
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def hashes(env: dict[str, str]) -> dict[str, Any]:
    r = worker(env, "hashes")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def kill_mid_transaction(env: dict[str, str], *args: str) -> None:
    """Start the worker, wait until it pauses inside its transaction, SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults.worker", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the pause (or the end)
        assert line.startswith("PAUSED"), (line, proc.stderr.read() if proc.stderr else "")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serves(env: dict[str, str], path: str = "/") -> str:
    """Start `cruscotto serve` on the database, fetch ``path``, stop it."""
    port = free_port()
    proc = subprocess.Popen([CRUSCOTTO, "serve", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                    assert r.status == 200
                    return r.read().decode()
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def filled(env: dict[str, str]) -> dict[str, str]:
    cruscotto(env, "migrate", "--noinput", "-v0")
    cruscotto(env, "plan", "load-default")
    cruscotto(env, "demo")
    return env


def test_killed_plan_import_leaves_the_database_as_before(filled: dict[str, str],
                                                          tmp_path: Path) -> None:
    env = filled
    plan = tmp_path / "rivisto.yaml"
    assert worker(env, "make-plan", str(plan)).returncode == 0
    before = hashes(env)

    kill_mid_transaction(env, "import-plan", str(plan), "plans_indicator")

    assert hashes(env) == before
    assert "Piano della Performance" in serves(env)
    # the control: the same import, not killed, changes the indicators
    done = worker(env, "import-plan", str(plan), "0")
    assert done.returncode == 0, done.stderr
    after = hashes(env)
    assert after["tables"]["plans.indicator"] != before["tables"]["plans.indicator"]
    assert "(rivisto)" in serves(env, "/plans/cciaa-mimblo-2021-2023/indicators/1.1.1/")


def test_killed_values_upload_leaves_the_database_as_before(filled: dict[str, str],
                                                            tmp_path: Path) -> None:
    env = filled
    csv = tmp_path / "valori.csv"
    made = worker(env, "make-upload", str(csv), "demo-admin")
    assert made.returncode == 0, made.stderr
    assert int(made.stdout) >= 10
    before = hashes(env)

    kill_mid_transaction(env, "upload", str(csv), "demo-admin", "measurements_valueversion")

    assert hashes(env) == before
    assert "Piano della Performance" in serves(env)
    done = worker(env, "upload", str(csv), "demo-admin", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    after = hashes(env)
    for table in ("measurements.value", "measurements.valueversion",
                  "measurements.auditevent"):
        assert after["tables"][table] != before["tables"][table]
