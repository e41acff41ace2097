"""The floor: the same computations written directly in DuckDB SQL.

Facts are one long table ``facts(org, variable, year, value)`` (variable
names are plan-wide, docs/engine.md, so the plan's ``indicators`` table says
which variables each indicator reads); the plan is three small tables. The
timed part is :data:`EVALUATE`: indicator values, outcome (not measured, not
computable, no target), comparison with the target, achievement, and the
weighted-average roll-up to operational objective, strategic objective,
mission, responsibility centre and organisation, materialised as tables.

The achievement rules are those of ``cruscotto.core.scoring`` (docs/engine.md,
"Achievement rules"): at least ``t``: ``100 × v / t`` capped at 100; at most
``t``: 100 when met, else ``100 × t / v``; a bound of 0 or less (or a
negative value) is 100 or 0; growth ``r``: ``g = (v - p) / |p|``, ``100 × g /
r`` within 0-100, met when ``g >= r`` (``g <= r`` for a reduction); a
milestone 100 or 0. 100 only when met. The figure shown is rounded half up to
cents but never onto a threshold (the yellow band at 70, green and 100 at 100)
the exact value does not reach (decision 0008): ``shown_c``, after dropping the
floating-point noise (``89.999...`` from ``0.81 / 0.9``). The roll-up averages
the exact achievements, as the engine's does.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import duckdb

from bench.synth import SynthPlan

__all__ = ["EVALUATE", "Floor", "FloorResults"]

SCHEMA = """
CREATE TABLE indicators (
    indicator VARCHAR PRIMARY KEY, num_var VARCHAR NOT NULL, den_var VARCHAR,
    weight DOUBLE NOT NULL, strategic VARCHAR NOT NULL, operational VARCHAR NOT NULL,
    mission VARCHAR NOT NULL);
CREATE TABLE indicator_centres (indicator VARCHAR, centre VARCHAR);
CREATE TABLE targets (indicator VARCHAR, year INTEGER, kind VARCHAR, threshold DOUBLE);
CREATE TABLE orgs (org INTEGER);
CREATE TABLE facts (org INTEGER, variable VARCHAR, year INTEGER, value DOUBLE);
CREATE MACRO round_c(x) AS round(round(x * 100, 6)) / 100;
CREATE MACRO shown_c(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN round(x, 9) < 100 AND round_c(x) >= 100 THEN 99.99
    WHEN round(x, 9) < 70 AND round_c(x) >= 70 THEN 69.99
    ELSE round_c(x) END;
"""

EVALUATE = [
    # one row per organisation, indicator and year: value, outcome, achievement
    """
CREATE OR REPLACE TABLE indicator_result AS
WITH cells AS (
    SELECT o.org, t.indicator, t.year, t.kind, t.threshold,
           i.den_var IS NOT NULL AS is_ratio,
           n.value AS num, d.value AS den, p.value AS prev
    FROM orgs o
    CROSS JOIN targets t
    JOIN indicators i ON i.indicator = t.indicator
    LEFT JOIN facts n ON n.org = o.org AND n.variable = i.num_var AND n.year = t.year
    LEFT JOIN facts d ON d.org = o.org AND d.variable = i.den_var AND d.year = t.year
    LEFT JOIN facts p ON p.org = o.org AND p.variable = i.num_var AND p.year = t.year - 1
                     AND t.kind = 'growth'
), judged AS (
    SELECT *,
        CASE
            WHEN kind = 'none' THEN 'no_target'
            WHEN num IS NULL OR (is_ratio AND den IS NULL)
                 OR (kind = 'growth' AND prev IS NULL) THEN 'not_measured'
            WHEN (is_ratio AND den = 0) OR (kind = 'growth' AND prev = 0) THEN 'not_computable'
            ELSE 'scored'
        END AS outcome,
        CASE WHEN is_ratio THEN num / NULLIF(den, 0) ELSE num END AS value
    FROM cells
), compared AS (
    SELECT *,
        CASE WHEN kind = 'growth' THEN (value - prev) / NULLIF(abs(prev), 0) ELSE value END
            AS cmp
    FROM judged
)
SELECT org, indicator, year, outcome, value, cmp AS compared,
    shown_c(exact) AS achievement, exact
FROM (SELECT *, CASE
        WHEN outcome <> 'scored' THEN NULL
        WHEN kind = 'milestone' THEN 100 * value
        WHEN kind = 'at_least' THEN CASE
            WHEN cmp >= threshold THEN 100
            WHEN threshold <= 0 OR cmp < 0 THEN 0
            ELSE 100 * cmp / threshold END
        WHEN kind = 'at_most' THEN CASE
            WHEN cmp <= threshold THEN 100
            WHEN threshold <= 0 THEN 0
            ELSE 100 * threshold / cmp END
        WHEN kind = 'growth' THEN CASE
            WHEN (threshold > 0 AND cmp >= threshold)
                 OR (threshold < 0 AND cmp <= threshold) THEN 100
            ELSE greatest(0, least(100, 100 * cmp / threshold)) END
    END AS exact FROM compared)
""",
    # the weighted averages: every level is over the scored indicators below it
    """
CREATE OR REPLACE TABLE node_result AS
WITH rated AS (
    SELECT r.org, r.year, r.exact AS achievement, i.weight, i.strategic, i.operational,
           i.mission,
           i.indicator
    FROM indicator_result r JOIN indicators i ON i.indicator = r.indicator
), per_centre AS (
    SELECT r.org, r.year, r.achievement, r.weight, c.centre
    FROM rated r JOIN indicator_centres c ON c.indicator = r.indicator
), levels AS (
    SELECT org, year, 'operational' AS level, operational AS code,
           sum(weight * achievement) AS num,
           sum(weight) FILTER (WHERE achievement IS NOT NULL) AS den
    FROM rated WHERE operational <> '' GROUP BY org, year, operational
    UNION ALL
    SELECT org, year, 'strategic', strategic, sum(weight * achievement),
           sum(weight) FILTER (WHERE achievement IS NOT NULL)
    FROM rated GROUP BY org, year, strategic
    UNION ALL
    SELECT org, year, 'mission', mission, sum(weight * achievement),
           sum(weight) FILTER (WHERE achievement IS NOT NULL)
    FROM rated WHERE mission <> '' GROUP BY org, year, mission
    UNION ALL
    SELECT org, year, 'centre', centre, sum(weight * achievement),
           sum(weight) FILTER (WHERE achievement IS NOT NULL)
    FROM per_centre GROUP BY org, year, centre
    UNION ALL
    SELECT org, year, 'organisation', '', sum(weight * achievement),
           sum(weight) FILTER (WHERE achievement IS NOT NULL)
    FROM rated GROUP BY org, year
)
SELECT org, year, level, code, shown_c(num / NULLIF(den, 0)) AS achievement, den AS weight
FROM levels
""",
]


NULL = "\\N"


def _csv_value(v: object) -> object:
    if v is None:
        return NULL
    if isinstance(v, bool):
        return 1 if v else 0
    if isinstance(v, Decimal):
        return format(v, "f")
    return v


def _load(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Sequence[object]],
          folder: str) -> None:
    path = os.path.join(folder, f"{table}.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for row in rows:
            w.writerow([_csv_value(v) for v in row])
    # columns typed as the table's; \\N is NULL, an empty field an empty text
    cols = con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                       "WHERE table_name = ? ORDER BY column_index", [table]).fetchall()
    spec = ", ".join(f"'{name}': '{kind}'" for name, kind in cols)
    con.execute(f"INSERT INTO {table} SELECT * FROM read_csv(?, header = false, "
                f"nullstr = '{NULL}', columns = {{{spec}}})", [path])


FloorResults = tuple[
    dict[tuple[int, int, str], tuple[str, float | None]],
    dict[tuple[int, int, str, str], float | None],
]


class Floor:
    """An in-memory DuckDB database holding one synthetic plan and its facts."""

    def __init__(self, plan: SynthPlan, *, threads: int | None = None) -> None:
        self.plan = plan
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        row = self.con.execute("SELECT current_setting('threads')").fetchone()
        self.threads = int(row[0]) if row else 0
        self.con.execute(SCHEMA)
        inds = plan.indicators
        with tempfile.TemporaryDirectory(prefix="cruscotto-bench-") as folder:
            _load(self.con, "indicators",
                  ((i.code, i.num, i.den, i.weight, i.strategic, i.operational, i.mission)
                   for i in inds), folder)
            _load(self.con, "indicator_centres",
                  ((i.code, c) for i in inds for c in i.centres), folder)
            _load(self.con, "targets",
                  ((i.code, y, t.kind, t.threshold) for i in inds
                   for y, t in sorted(i.targets.items())), folder)
            _load(self.con, "orgs", ((o,) for o in range(len(plan.facts))), folder)
            _load(self.con, "facts",
                  ((org, name, year, value) for org, facts in enumerate(plan.facts)
                   for (name, year), value in facts.items()), folder)

    def run(self) -> float:
        """Evaluate everything (timed); the seconds it took."""
        t0 = time.perf_counter()
        for sql in EVALUATE:
            self.con.execute(sql)
        return time.perf_counter() - t0

    def results(self) -> FloorResults:
        inds: dict[tuple[int, int, str], tuple[str, float | None]] = {}
        for org, year, code, outcome, ach in self._rows(
                "SELECT org, year, indicator, outcome, achievement FROM indicator_result"):
            inds[(org, year, code)] = (outcome, ach)
        nodes: dict[tuple[int, int, str, str], float | None] = {}
        for org, year, level, code, ach in self._rows(
                "SELECT org, year, level, code, achievement FROM node_result"):
            nodes[(org, year, level, code)] = ach
        return inds, nodes

    def _rows(self, sql: str) -> list[Any]:
        return self.con.execute(sql).fetchall()

    def close(self) -> None:
        self.con.close()
