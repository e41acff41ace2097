"""JSON written by other tools (tabs, escapes, no spaces, 2021.0) reads like ours."""

from __future__ import annotations

import json

from cruscotto.io.interchange import dumps, loads, plan_to_dict
from tests.io.test_interchange_malformed_json import PLAN


def test_it_reads_tabs_escapes_and_compact_json() -> None:
    ours = loads(PLAN, "json")
    data = json.loads(PLAN)
    for text in (
        json.dumps(data, indent="\t"),  # tab indentation
        json.dumps(data, separators=(",", ":")),  # everything on one line
        json.dumps(data, ensure_ascii=True),  # "Competitivit\u00e0"
        PLAN.replace('"Area Sviluppo"', '"Area\\/Sviluppo"').replace(
            '"area-sviluppo"', '"area\\/sviluppo"'),  # the JSON-only escape \/
    ):
        plan = loads(text, "json")
        assert plan.missions[0].name == "Competitività e sviluppo delle imprese"
        if "\\/" in text:
            assert plan.indicators[0].centres == ["Area/Sviluppo"]
        else:
            assert plan == ours


def test_it_reads_whole_numbers_written_with_a_decimal_point() -> None:
    text = PLAN.replace("[2021, 2022, 2023]", "[2021.0, 2022, 2.023e3]")
    plan = loads(text, "json")
    assert plan.years == [2021, 2022, 2023]
    assert all(type(y) is int for y in plan.years)
    assert plan_to_dict(plan)["years"] == [2021, 2022, 2023]


def test_it_writes_foreign_json_back_in_its_own_canonical_form() -> None:
    compact = json.dumps(json.loads(PLAN), separators=(",", ":"), ensure_ascii=True)
    ours = dumps(loads(compact, "json"), "json")
    assert dumps(loads(ours, "json"), "json") == ours
    assert "Competitività" in ours
