"""The open data say which formula is in force each year where an indicator's definition
changes during the plan; the package stays valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from frictionless import Package, validate

from cruscotto.core.plan import Polarity, YearDefinition
from cruscotto.web.plans.selectors import stored_plan
from cruscotto.web.plans.services import write_plan

from .conftest import Demo
from .test_opendata_export import export, rows

pytestmark = pytest.mark.django_db


def test_the_formula_in_force_each_year_is_exported(demo: Demo, tmp_path: Path) -> None:
    assert rows(export(tmp_path / "before"), "formule_per_anno") == []  # none changes yet

    plan = stored_plan(demo.plan.pk)
    ind = plan.indicator("3.1.1")
    own = ind.formula
    ind.definitions = [YearDefinition(2022, "speso_innovazione * 2",
                                      formula_text="Spesa raddoppiata", unit="euro",
                                      polarity=Polarity.LOWER_IS_BETTER)]
    write_plan(plan=plan, key=demo.plan.key)

    out = export(tmp_path / "after")
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    got = {r["anno"]: r for r in rows(out, "formule_per_anno")}
    assert set(got) == {"2021", "2022", "2023"}
    assert (got["2021"]["formula"], got["2021"]["in_vigore_dal"],
            got["2021"]["unita_misura"]) == (own, "", ind.unit)
    for year in ("2022", "2023"):
        assert (got[year]["formula"], got[year]["in_vigore_dal"], got[year]["algoritmo_calcolo"],
                got[year]["unita_misura"], got[year]["polarita"]) == (
            "speso_innovazione * 2", "2022", "Spesa raddoppiata", "euro", "lower")
    assert {r["indicatore"] for r in rows(out, "formule_per_anno")} == {"3.1.1"}
    # the Italian spreadsheet variant reads as the same values
    package = Package(out / "datapackage.json")
    plain = [r.to_dict() for r in package.get_resource("formule_per_anno").read_rows()]
    assert len(plain) == 3
    assert [r.to_dict() for r in package.get_resource("formule_per_anno_it").read_rows()
            ] == plain
