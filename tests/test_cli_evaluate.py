"""`cruscotto evaluate` and `cruscotto values template`, as an office runs them.

Figures are the demonstration values' (src/cruscotto/data/demo_values_2021.csv),
worked out by hand in tests/core/test_evaluate_plan.py; here we check what the
user reads in each format.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.data import DATA_DIR, default_plan
from cruscotto.io.values_csv import write_template

DEMO = str(DATA_DIR / "demo_values_2021.csv")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def evaluate(capsys: pytest.CaptureFixture[str], *args: str, values: str = DEMO
             ) -> tuple[int, str, str]:
    return run(capsys, "evaluate", "--year", "2021", "--values", values, *args)


def row_of(table: str, code: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(code + " "))


# -- the table -----------------------------------------------------------------------

def test_it_prints_a_table_in_italian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = evaluate(capsys)
    assert code == 0 and err == ""
    assert out.splitlines()[1] == "Anno 2021 (fine anno)"
    assert "96,39%" in row_of(out, "1.2.1") and "giallo" in row_of(out, "1.2.1")
    assert "17.350" in row_of(out, "1.2.1") and "almeno 18.000" in row_of(out, "1.2.1")
    assert "0%" in row_of(out, "4.2.2") and "rosso" in row_of(out, "4.2.2")
    assert "94,74%" in row_of(out, "6.0.2") and "al massimo 36%" in row_of(out, "6.0.2")
    assert "47.380 (+15%)" in row_of(out, "6.4.1")
    assert "98,69%" in row_of(out, "6.5.4")
    assert out.rstrip().splitlines()[-1] == (
        "Ente: 94,96% (giallo); 36 indicatori considerati, 0 esclusi")


def test_the_table_names_what_is_left_out(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "valori.csv"
    values.write_text("".join(line for line in Path(DEMO).read_text("utf-8").splitlines(True)
                              if not line.startswith("6.4.1,follower_social,2021")), "utf-8")
    code, out, _ = evaluate(capsys, values=str(values))
    assert code == 0
    assert "non misurato" in row_of(out, "6.4.1")
    assert "n.d." in row_of(out, "6.4.1")
    assert out.rstrip().splitlines()[-1].endswith("35 indicatori considerati, 1 esclusi (6.4.1)")


# -- csv -----------------------------------------------------------------------------

def test_csv_has_one_row_per_indicator_and_per_node(capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    code, out, _ = evaluate(capsys, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    plan = default_plan()
    expected = [("indicator", i.code) for i in plan.indicators]
    expected += [("operational", o.code) for o in plan.operational_objectives]
    expected += [("strategic", s.code) for s in plan.strategic_objectives]
    expected += [("mission", m.code) for m in plan.missions]
    expected += [("centre", c.name) for c in plan.centres]
    expected += [("organisation", "")]
    assert sorted((r["level"], r["code"]) for r in rows) == sorted(expected)
    by = {(r["level"], r["code"]): r for r in rows}
    assert by[("indicator", "1.1.1")]["value"] == "0.86"  # plain decimals for programs
    assert by[("indicator", "1.1.1")]["achievement"] == "100"
    assert by[("indicator", "4.2.2")]["value"] == "false"
    assert by[("indicator", "4.2.2")]["status"] == "red"
    assert (by[("operational", "4.2")]["achievement"], by[("operational", "4.2")]["status"]) == (
        "50", "red")
    assert by[("organisation", "")]["achievement"] == "94.96"


# -- json ----------------------------------------------------------------------------

def test_json_carries_the_derivation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = evaluate(capsys, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["year"] == 2021 and data["period"] is None
    assert data["plan"] == "Piano della Performance 2021-2023"
    first = data["indicators"]["1.1.1"]
    assert first["formula"]["text"] == "contabilizzato_ri / budget_ri"
    assert {(i["name"], i["value"], i["source"]) for i in first["formula"]["inputs"]} == {
        ("budget_ri", "1200000", "Controllo di gestione"),
        ("contabilizzato_ri", "1032000", "Controllo di gestione")}
    assert first["assessment"]["rule"] == "at_least_proportional"
    assert first["target"]["threshold"] == "0.8"
    growth = data["indicators"]["6.4.1"]
    assert growth["previous_year"]["value"] == "41200"
    assert growth["achievement"] == "75"
    assert data["organisation"]["achievement"] == "94.96"
    assert data["operational"]["4.2"]["achievement"] == "50"


# -- explain -------------------------------------------------------------------------

def test_explain_names_the_inputs_their_sources_the_target_and_the_rule(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = evaluate(capsys, "--explain", "6.5.4")
    assert code == 0
    assert out.startswith("6.5.4 Rispetto del piano di manutenzione")
    assert "Formula: piano_manutenzione_rispettato" in out
    assert "piano_manutenzione_rispettato (2021) = sì" in out
    assert "spesa_gestione_immobili (2021) = 4.350.000" in out
    assert out.count("[fonte: Facility management]") == 2
    assert "Target 2021: «sì max € 4.293.180»" in out
    assert "Regola: più parti, conta la più bassa" in out
    assert "Raggiungimento: 98,69%; stato giallo; target mancato" in out
    assert "obiettivo operativo 6.5: 99,67%" in out  # (100 + 100 + 100 + 98.69) / 4


def test_explain_in_json_is_the_indicator_s_derivation(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    code, out, _ = evaluate(capsys, "--explain", "6.5.4", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["code"] == "6.5.4" and data["achievement"] == "98.69"
    assert data["measures"]["spesa"]["inputs"][0]["name"] == "spesa_gestione_immobili"


def test_explain_of_an_unknown_indicator_is_one_error_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = evaluate(capsys, "--explain", "9.9.9")
    assert code == 2 and out == ""
    assert err == "cruscotto: error: --explain: no indicator '9.9.9' in the plan\n"


def test_a_year_outside_the_plan_is_one_error_line(capsys: pytest.CaptureFixture[str]
                                                   ) -> None:
    code, out, err = run(capsys, "evaluate", "--year", "2020", "--values", DEMO)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--year 2020 is not a year of the plan" in err


# -- interim periods -----------------------------------------------------------------

INTERIM = """indicator,variable,year,value,period
6.4.1,follower_social,2020,41200,
6.4.1,follower_social,2020,39000,30/06/2020
6.4.1,follower_social,2021,47380,
6.4.1,follower_social,2021,45320,30/06/2021
"""


def test_an_interim_period_reads_its_rows_for_the_year_and_year_end_rows_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "valori.csv"
    values.write_text(INTERIM, "utf-8")
    code, out, _ = evaluate(capsys, "--period", "30/06/2021", "--format", "json",
                            "--explain", "6.4.1", values=str(values))
    assert code == 0
    r = json.loads(out)
    # (45320 - 41200) / 41200 = 10% against +20%: 50; not 39000 (30/06/2020)
    assert r["value"] == "45320" and r["previous_year"]["value"] == "41200"
    assert r["achievement"] == "50"
    code, out, _ = evaluate(capsys, "--period", "30/06/2021", values=str(values))
    assert out.splitlines()[1] == "Anno 2021 (al 30/06/2021)"
    assert "45.320 (+10%)" in row_of(out, "6.4.1")


def test_without_period_the_year_end_rows_count(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "valori.csv"
    values.write_text(INTERIM, "utf-8")
    code, out, _ = evaluate(capsys, "--explain", "6.4.1", "--format", "json",
                            values=str(values))
    assert code == 0 and json.loads(out)["achievement"] == "75"


def test_a_period_the_file_does_not_have_is_one_error_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "valori.csv"
    values.write_text(INTERIM, "utf-8")
    code, out, err = evaluate(capsys, "--period", "30/09/2021", values=str(values))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "no values for the period 30/09/2021" in err and "30/06/2021" in err


def test_a_period_that_is_not_a_date_is_one_error_line(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    code, _, err = evaluate(capsys, "--period", "fine giugno")
    assert code == 2 and err.count("\n") == 1 and "is not a date" in err


# -- values template -----------------------------------------------------------------

def test_values_template_prints_the_rows_to_fill(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "values", "template", "--year", "2021")
    assert code == 0 and err == ""
    assert out == write_template(default_plan(), 2021)
    assert "6.5.4,spesa_gestione_immobili,2021,," in out.splitlines()


def test_values_template_for_a_year_outside_the_plan_is_one_error_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "values", "template", "--year", "2030")
    assert code == 2 and out == "" and err.count("\n") == 1


def few_values(tmp_path: Path) -> str:
    path = tmp_path / "valori.csv"
    path.write_text("indicator,variable,year,value\n1.1.1,budget_ri,2021,100\n", "utf-8")
    return str(path)


def test_explain_and_table_in_english_on_request(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    code, out, _ = evaluate(capsys, "--explain", "6.5.4", "--lang", "en")
    assert code == 0
    assert "Target 2021: “sì max € 4.293.180” — " in out
    assert "Achievement: 98,69%; status yellow; target missed" in out
    assert "operational objective 6.5: 99,67%" in out
    for italian in ("Raggiungimento", "obiettivo", "stato", "Calcolo", "fonte:", "mancato"):
        assert italian not in out, italian
    code, out, _ = evaluate(capsys, "--lang", "en", values=few_values(tmp_path))
    assert code == 0
    assert "not measured: missing" in out
    assert not any(w in out for w in ("non misurato", "manca", "Raggiungimento", "Codice"))


def test_reasons_read_in_italian_by_default(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    code, out, _ = evaluate(capsys, values=few_values(tmp_path))
    assert code == 0
    assert "non misurato: manca" in out
    assert not any(w in out for w in ("not measured", "missing", "Achievement"))
