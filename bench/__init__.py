"""Benchmarks (not timed tests): ``make bench`` runs them; docs/performance.md reads them.

- :mod:`bench.synth`: synthetic plans and facts from a seeded RNG;
- :mod:`bench.engine_vs_duckdb`: the indicator engine against the same rules
  written in DuckDB SQL (:mod:`bench.engine`, :mod:`bench.floor`).
"""
