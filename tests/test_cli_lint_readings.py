"""`cruscotto plan lint` on a plan file with structured readings, in Italian and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.core.target_structure import TargetReading
from cruscotto.data import default_plan
from cruscotto.io.interchange import dump_path

TEXT = "Almeno 125 amministrazioni e almeno 2.800 soggetti"


def _lint(tmp_path: Path, capsys: pytest.CaptureFixture[str], *lang: str) -> tuple[int, str]:
    plan = default_plan()
    ind = plan.indicator("3.1.1")
    ind.targets[2022] = TEXT
    ind.readings[2022] = TargetReading.from_data({"operator": "compound", "parts": [
        {"operator": "at_least", "value": "90", "unit": "percent"},
        {"operator": "at_least", "value": "2800", "measure": "budget_innovazione",
         "label": "soggetti"}]})
    ind.readings[2023] = TargetReading.from_data(
        {"operator": "at_least", "value": "85", "unit": "percent"})  # the text says 90%
    path = tmp_path / "piano.yaml"
    dump_path(plan, path)
    code = main(["plan", "lint", str(path), *lang])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def test_the_lint_says_which_reading_is_in_force_in_italian(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _lint(tmp_path, capsys)
    assert code == 0  # the partly-read target has a reading: no error left
    assert "target-partly-read" not in out
    assert (f"nota: target-reading-set: 2022: target «{TEXT}»: lettura impostata nel piano: "
            "almeno 90% e almeno 2.800 soggetti (misura «budget_innovazione») [3.1.1]") in out
    assert ("avvertenza: target-reading-disagrees: 2023: il testo «>=90%» si legge "
            "diversamente dalla lettura impostata accanto (almeno 85%): si valuta la lettura "
            "impostata [3.1.1]") in out


def test_the_lint_says_which_reading_is_in_force_in_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _lint(tmp_path, capsys, "--lang", "en")
    assert code == 0
    assert (f"note: target-reading-set: 2022: target “{TEXT}”: reading set in the plan: "
            "at least 90% and at least 2.800 soggetti (measure “budget_innovazione”) "
            "[3.1.1]") in out
    assert ("warning: target-reading-disagrees: 2023: the text “>=90%” reads otherwise than "
            "the reading set beside it (at least 85%): the reading set is scored [3.1.1]") in out
    assert "lettura impostata" not in out and "si legge" not in out
