"""The 'Done when' of issue 16 from the command line: export, change in Excel, import back."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm

from ..measurements.conftest import People
from .workbook import changed, set_cell


def test_an_adopted_plan_exported_changed_and_imported_back_shows_its_diff(
        people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = people.plan.key
    assert main(["plan", "adopt", key, "--act", "Delibera n. 45/2021",
                 "--date", "31/01/2021"]) == 0
    original = tmp_path / "piano.xlsx"
    assert main(["plan", "export", "--plan", key, "--format", "xlsx", "-o", str(original)]) == 0

    def edit(wb: object) -> None:
        set_cell(wb, "Indicatori", "6.4.1", "Nome", "Follower sui social")
        set_cell(wb, "Indicatori", "6.4.1", "Target 2023", "+25%")

    edited = tmp_path / "piano-modificato.xlsx"
    edited.write_bytes(changed(original.read_bytes(), edit))
    capsys.readouterr()

    assert main(["plan", "import", str(edited)]) == 2
    assert "richiede una motivazione (6.4.1 2023)" in capsys.readouterr().err
    assert pm.Indicator.objects.get(plan=people.plan, code="6.4.1").name != "Follower sui social"

    assert main(["plan", "import", str(edited), "--reason", "nuovi canali"]) == 0
    out = capsys.readouterr().out
    assert "2 change(s):" in out
    assert "~ indicator 6.4.1 name:" in out and "'Follower sui social'" in out
    assert "~ indicator 6.4.1 targets.2023: '+20%' -> '+25%'" in out
    assert "version 2 of the adopted plan; 1 target revision(s)" in out
    assert mm.TargetRevision.objects.get(indicator__plan=people.plan).justification == (
        "nuovi canali")

    assert main(["plan", "versions", key]) == 0
    assert "version 2: import" in capsys.readouterr().out
