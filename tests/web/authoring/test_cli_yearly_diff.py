"""`plan import` prints per-year definitions and baselines added or changed, field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cruscotto.cli import main

from ..measurements.conftest import People


def test_plan_import_prints_definitions_and_baselines_by_year_and_date(
        people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = people.plan.key
    path = tmp_path / "piano.json"
    assert main(["plan", "export", "--plan", key, "--format", "json", "-o", str(path)]) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    ind = next(i for i in data["indicators"] if i["code"] == "6.4.1")
    ind["definitions"] = [{"from_year": 2022, "formula": "follower_social / 2",
                           "unit": "follower per canale"}]
    ind["baselines"] = [{"value": "20000", "date": "2021-11-30", "label": "monitoraggio"}]
    path.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()

    assert main(["plan", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "+ indicator 6.4.1 definitions.2022: follower_social / 2" in out
    assert "~ indicator 6.4.1 definitions.2022.unit: '' -> 'follower per canale'" in out
    assert "+ indicator 6.4.1 baselines.2021-11-30: 20000" in out
    assert "{" not in out

    ind["definitions"][0]["formula"] = "follower_social / 3"
    ind["baselines"] = []
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["plan", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("~ indicator 6.4.1 definitions.2022.formula: 'follower_social / 2' -> "
            "'follower_social / 3'") in out
    assert "- indicator 6.4.1 baselines.2021-11-30: 20000" in out
