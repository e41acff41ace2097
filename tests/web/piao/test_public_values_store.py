"""Public values (valore pubblico) through the store: YAML/JSON/XLSX → import → export
gives the same document; a plan without them is stored and exported as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.core.plan import Plan, PublicValue
from cruscotto.data import default_plan
from cruscotto.io.interchange import dumps
from cruscotto.io.plan_xlsx import dump_xlsx, load_xlsx
from cruscotto.web.measurements.authoring import roll_plan
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan
from cruscotto.web.plans.services import write_plan

pytestmark = pytest.mark.django_db


def grouped_plan() -> Plan:
    plan = default_plan()
    plan.public_values = [
        PublicValue(
            "VP1",
            "Imprese competitive",
            "Più imprese innovative e internazionali",
            bes=["BES4", "BES11"],
            sdgs=["SDG8", "SDG9"],
            strategic_codes=["1", "3"],
        ),
        PublicValue("VP2", "Un ente efficiente", bes=["BES12"], strategic_codes=["6"]),
    ]
    return plan


def test_the_store_reads_back_the_public_values_it_wrote() -> None:
    plan = grouped_plan()
    stored = write_plan(plan=plan)
    assert read_plan(stored.pk).public_values == plan.public_values
    assert read_plan(stored.pk) == plan


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_file_imported_and_exported_is_the_same_file(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / f"piano.{fmt}"
    original.write_text(dumps(grouped_plan(), fmt), "utf-8")  # type: ignore[arg-type]
    assert main(["plan", "import", str(original), "--as", "piao"]) == 0
    exported = tmp_path / f"export.{fmt}"
    assert main(["plan", "export", "--plan", "piao", "--format", fmt, "-o", str(exported)]) == 0
    assert exported.read_text("utf-8") == original.read_text("utf-8")


def test_a_workbook_imported_and_exported_gives_the_same_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "piano.xlsx"
    dump_xlsx(grouped_plan(), original)
    assert main(["plan", "import", str(original), "--as", "piao"]) == 0
    exported = tmp_path / "export.xlsx"
    assert main(["plan", "export", "--plan", "piao", "--format", "xlsx", "-o", str(exported)]) == 0
    assert dumps(load_xlsx(exported), "json") == dumps(load_xlsx(original), "json")
    assert dumps(load_xlsx(exported), "json") == dumps(grouped_plan(), "json")


def test_a_plan_without_public_values_exports_as_before(tmp_path: Path) -> None:
    stored = write_plan(plan=default_plan())
    assert pm.Plan.objects.get(pk=stored.pk).public_values == []
    assert dumps(read_plan(stored.pk), "yaml") == dumps(default_plan(), "yaml")
    assert "public_values" not in dumps(read_plan(stored.pk), "yaml")


def test_rolling_the_plan_carries_its_public_values() -> None:
    stored = write_plan(plan=grouped_plan())
    new = roll_plan(plan=stored, years=[2022, 2023, 2024]).plan
    assert read_plan(new.pk).public_values == grouped_plan().public_values
