"""The shipped default plan (36 indicators) survives export and import in both formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.core.plan import Plan
from cruscotto.io.interchange import dump_path, dumps, load_path, loads

data = pytest.importorskip("cruscotto.data")


@pytest.fixture(scope="module")
def plan() -> Plan:
    if not hasattr(data, "default_plan"):
        pytest.skip("cruscotto.data.default_plan() is not there yet")
    return data.default_plan()


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_it_writes_the_same_bytes_after_a_round_trip(plan: Plan, fmt: str) -> None:
    first = dumps(plan, fmt)
    again = loads(first, fmt, filename=f"piano.{fmt}")
    assert len(again.indicators) == 36
    assert again == plan
    assert dumps(again, fmt) == first


def test_it_converts_json_to_yaml_and_back_to_the_same_json(plan: Plan) -> None:
    as_json = dumps(plan, "json")
    as_yaml = dumps(loads(as_json, "json"), "yaml")
    assert dumps(loads(as_yaml, "yaml"), "json") == as_json


def test_it_saves_the_default_plan_to_files_and_reads_them_back(
    plan: Plan, tmp_path: Path,
) -> None:
    for name in ("piano.json", "piano.yaml"):
        dump_path(plan, tmp_path / name)
        assert load_path(tmp_path / name) == plan
