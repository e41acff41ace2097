"""The engine's working, shown to people in Italian: Italian words, Italian numbers."""

from __future__ import annotations

import re

from cruscotto.core.evaluation import compile_plan, evaluate_plan
from cruscotto.core.scoring import IndicatorResult
from cruscotto.data import DATA_DIR, default_plan
from cruscotto.io.evaluation_out import working_text
from cruscotto.io.values_csv import read_values

ENGLISH = re.compile(r"\b(met|capped|growth|milestone|reached|every|part|lowest|band|"
                     r"inside|below|above|at most|at least|spending)\b")


def results() -> list[IndicatorResult]:
    plan = default_plan()
    inputs, direct = read_values(DATA_DIR / "demo_values_2021.csv", plan).select(2021)
    ev = evaluate_plan(compile_plan(plan), inputs, year=2021, direct=direct)
    return [r for r in ev.indicators.values() if isinstance(r, IndicatorResult)]


def test_no_english_is_left_in_the_italian_working_of_the_demo_year() -> None:
    texts = {r.code: working_text(r, "it") for r in results()}
    leftovers = {c: t for c, t in texts.items() if ENGLISH.search(t)}
    assert leftovers == {}
    assert texts["1.1.1"] == "100 × 86% / 80% = 107,5 → limitato a 100"
    assert texts["1.2.1"] == "100 × 17.350 / 18.000 = 96,39"
    assert texts["6.5.4"].startswith("ogni parte deve essere raggiunta; conta la più bassa: ")
    assert "€ 4.293.180" in texts["6.5.4"] and "98,69" in texts["6.5.4"]


def test_english_keeps_the_engine_s_own_text() -> None:
    r = next(r for r in results() if r.code == "1.1.1")
    assert working_text(r, "en") == "100 × 86% / 80% = 107.5 → capped at 100"
