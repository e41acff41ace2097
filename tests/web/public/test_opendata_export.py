"""`cruscotto opendata export DIR`: a valid Frictionless package whose figures are the
engine's, for published plans and certified values only."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import validate

from cruscotto.cli import main
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.workflow import Actor
from cruscotto.data import default_plan
from cruscotto.web.measurements.selectors import evaluate_indicator, evaluate_period
from cruscotto.web.plans.services import write_plan

from .conftest import UNCERTIFIED, VALIDATED_ONLY, Demo

pytestmark = pytest.mark.django_db

RESOURCES = {"piani", "missioni", "programmi", "obiettivi_strategici", "obiettivi_operativi",
             "centri_responsabilita", "indicatori", "target", "formule_per_anno",
             "risultati_indicatori", "risultati_aggregati", "valori_pubblici",
             "risultati_valori_pubblici"}


def export(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "od"
    assert main(["opendata", "export", str(out), *args]) == 0
    return out


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def places(d: Decimal | None) -> Decimal | None:
    return None if d is None else d.quantize(Decimal("0.000001"))


def test_the_package_validates_with_frictionless(demo: Demo, tmp_path: Path) -> None:
    out = export(tmp_path)
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    tabular = {r["name"]: r for r in descriptor["resources"] if r.get("format") == "csv"}
    # each table also in its Italian spreadsheet variant (tests: test_opendata_italian.py)
    assert set(tabular) == RESOURCES | {f"{name}_it" for name in RESOURCES}
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["publisher"] == "Camera di Commercio di Milano Monza Brianza Lodi"
    assert tabular["risultati_indicatori"]["schema"]["primaryKey"] == [
        "piano", "indicatore", "anno"]
    assert {"fields": ["piano", "indicatore"],
            "reference": {"resource": "indicatori", "fields": ["piano", "codice"]}} in (
        tabular["risultati_indicatori"]["schema"]["foreignKeys"])
    for name in RESOURCES:  # every CSV has its JSON twin with the same rows
        as_json = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert len(as_json) == len(rows(out, name)), name


def test_a_broken_row_is_caught_by_the_validation(demo: Demo, tmp_path: Path) -> None:
    out = export(tmp_path)
    path = out / "risultati_indicatori.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2021,", ",duemilaventuno,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not validate(out / "datapackage.json").valid


def test_indicator_results_are_the_engines_certified_figures(demo: Demo,
                                                              tmp_path: Path) -> None:
    out = export(tmp_path)
    got = {r["indicatore"]: r for r in rows(out, "risultati_indicatori")}
    certified = demo.certified
    assert set(got) == certified
    assert not (UNCERTIFIED | {VALIDATED_ONLY}) & set(got)
    assert len(got) > 25
    as_json = {r["indicatore"]: r for r in json.loads(
        (out / "risultati_indicatori.json").read_text(encoding="utf-8"))}
    for code in certified:
        r = evaluate_indicator(plan_id=demo.plan.pk, period=demo.year_end, code=code,
                               include_drafts=True)
        assert isinstance(r, IndicatorResult)
        row, js = got[code], as_json[code]
        assert row["anno"] == "2021" and row["data_rilevazione"] == "2021-12-31"
        assert row["stato"] == r.status.value == js["stato"], code
        assert places(Decimal(row["raggiungimento_percentuale"])) == places(r.achievement)
        assert places(Decimal(str(js["raggiungimento_percentuale"]))) == places(
            r.achievement)
        if isinstance(r.value, bool):
            assert row["valore_si_no"] == ("true" if r.value else "false")
            assert js["valore_si_no"] is r.value and js["valore"] is None
        else:
            assert places(Decimal(row["valore"])) == places(r.value), code
            assert isinstance(js["valore"], int | float)  # a number, not a string


def test_roll_up_results_count_certified_indicators_only(demo: Demo,
                                                          tmp_path: Path) -> None:
    out = export(tmp_path)
    got = {(r["livello"], r["codice"]): r for r in rows(out, "risultati_aggregati")}
    ev = evaluate_period(plan_id=demo.plan.pk, period=demo.year_end,
                         actor=Actor.public()).evaluation
    org = got[("organisation", "CCIAA-MIMBLO")]
    assert places(Decimal(org["raggiungimento_percentuale"])) == places(
        ev.organisation.achievement)
    assert int(org["indicatori_conteggiati"]) == len(demo.certified)
    for code, node in ev.strategic.items():
        assert got[("strategic", code)]["stato"] == node.status.value
    # the signed-in viewer's roll-up counts the validated indicator too: not published
    viewer = evaluate_period(plan_id=demo.plan.pk, period=demo.year_end,
                             actor=Actor.of()).evaluation
    assert VALIDATED_ONLY in viewer.organisation.counted
    assert VALIDATED_ONLY not in ev.organisation.counted


def test_structure_and_targets(demo: Demo, tmp_path: Path) -> None:
    out = export(tmp_path)
    plan = default_plan()
    inds = {r["codice"]: r for r in rows(out, "indicatori")}
    assert len(inds) == len(plan.indicators) == 36
    i = plan.indicator("3.1.1")
    assert inds["3.1.1"]["algoritmo_calcolo"] == i.formula_text
    assert inds["3.1.1"]["unita_misura"] == i.unit
    assert inds["3.1.1"]["polarita"] == i.polarity.value
    budgets = {(r["missione"], r["codice"]): Decimal(r["budget_euro"])
               for r in rows(out, "programmi")}
    assert budgets == {(m.code, p.code): p.budget for m in plan.missions
                       for p in m.programmes}
    assert budgets[("011", "005")] == 19350072
    targets = {(r["indicatore"], r["anno"]): r for r in rows(out, "target")}
    assert targets[("3.1.1", "2021")]["target_originale"] == i.targets[2021]
    assert targets[("3.1.1", "2021")]["target_rimodulato"] == ""
    published = rows(out, "piani")[0]["pubblicato_il"]
    assert published == demo.plan.published_at.date().isoformat()


def test_a_revised_target_is_exported_beside_the_original(demo: Demo,
                                                          tmp_path: Path) -> None:
    from cruscotto.web.measurements.services import do_revise_target

    do_revise_target(user=demo.planning, plan_id=demo.plan.pk, indicator="3.1.1",
                     year=2022, text=">=85%", justification="Minori risorse disponibili")
    out = export(tmp_path)
    t = {(r["indicatore"], r["anno"]): r for r in rows(out, "target")}[("3.1.1", "2022")]
    assert (t["target_originale"], t["target_rimodulato"], t["motivazione_rimodulazione"]
            ) == (">=90%", ">=85%", "Minori risorse disponibili")


def test_an_unpublished_plan_is_never_exported(demo: Demo, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    other = write_plan(plan=_other_years())
    out = export(tmp_path)
    assert [r["piano"] for r in rows(out, "piani")] == [demo.plan.key]
    for name in RESOURCES:
        assert other.key not in (out / f"{name}.csv").read_text(encoding="utf-8")
        assert other.key not in (out / f"{name}.json").read_text(encoding="utf-8")
    assert main(["opendata", "export", str(tmp_path / "x"), "--plan", other.key]) == 2
    assert "no published plan" in capsys.readouterr().err


def _other_years():  # type: ignore[no-untyped-def]
    plan = default_plan()
    plan.years = [2024, 2025, 2026]
    for ind in plan.indicators:
        ind.targets = {y + 3: t for y, t in ind.targets.items()}
    return plan
