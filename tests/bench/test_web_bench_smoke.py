"""Smoke test of the page-latency benchmark (no timing asserted): the harness run tiny.

``python -m bench --only web`` on an SQLite file (the real run wants PostgreSQL),
a synthetic plan of 20 indicators, two concurrency levels of two requests: the
server starts, every page and both floors (a static file, a minimal Django page) answer
200, the table and the import and write timings print.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_latency_harness_runs_tiny(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "web",
         "--database", f"sqlite:///{tmp_path / 'bench.sqlite3'}",
         "--clients", "1,2", "--requests", "2", "--seconds", "10", "--workers", "1",
         "--synthetic", "20", "--no-upload", "--pages", "overview,indicator,dashboard,public"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for page in ("static file (floor)", "Django page (floor)", "overview (seed)",
                 "indicator (seed)", "overview (synthetic-20)", "indicator (synthetic-20)",
                 "public (seed)", "public (synthetic-20)"):
        rows = [line for line in out.splitlines() if line.startswith(f"| {page} |")]
        assert len(rows) == 2, f"{page}: {rows}\n{out}"
        assert rows[0].rstrip().endswith("| 0 |"), rows  # no errors
    assert "seed: import-text" in out and "seed: store" in out
    assert "report 2021: render PDF" in out
    assert "synthetic: save one value, results recomputed (p50)" in out
    assert "dashboard" in out  # timed when its URL exists, else said so


def test_without_postgresql_the_run_says_how_to_get_it() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-m", "bench", "--only", "web"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "skipped, set DATABASE_URL to a PostgreSQL database" in result.stdout
