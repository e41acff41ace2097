"""Public values (valore pubblico, PIAO) where the public meets the plan: the open data
package (a valori_pubblici table, the strategic objectives' link to it, the certified
roll-up per year) and the public page; the strategic objective page links its public
value on the overview."""

from __future__ import annotations

import csv
import html
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from frictionless import Package, validate

from cruscotto.cli import main
from cruscotto.core.workflow import Actor
from cruscotto.web.display import percent
from cruscotto.web.measurements.authoring import in_force
from cruscotto.web.measurements.selectors import evaluate_period
from tests.web.piao.plans import store_with_public_values

from .conftest import VALIDATED_ONLY, Demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def piao(demo: Demo) -> Demo:
    plan = in_force(demo.plan.pk)
    store_with_public_values(plan, demo.plan)
    return demo


def export(tmp_path: Path) -> Path:
    out = tmp_path / "od"
    assert main(["opendata", "export", str(out)]) == 0
    return out


def rows(out: Path, name: str, suffix: str = ".csv", **kw: str) -> list[dict[str, str]]:
    enc = "utf-8-sig" if suffix == "_it.csv" else "utf-8"
    with (out / f"{name}{suffix}").open(encoding=enc, newline="") as f:
        return list(csv.DictReader(f, **kw))  # type: ignore[arg-type]


def places(d: Decimal | None) -> Decimal | None:
    return None if d is None else d.quantize(Decimal("0.000001"))


def public_nodes(demo: Demo):
    return evaluate_period(
        plan_id=demo.plan.pk, period=demo.year_end, actor=Actor.public()
    ).evaluation


def test_the_package_has_the_public_values_and_stays_valid(piao: Demo, tmp_path: Path) -> None:
    out = export(tmp_path)
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    pvs = {r["codice"]: r for r in rows(out, "valori_pubblici")}
    assert pvs["VP1"]["titolo"] == "Imprese competitive"
    assert (pvs["VP1"]["bes"], pvs["VP1"]["sdg"]) == ("BES4", "SDG8;SDG9")
    assert pvs["VP1"]["obiettivi_strategici"] == "1;3"
    links = {r["codice"]: r["valore_pubblico"] for r in rows(out, "obiettivi_strategici")}
    assert (links["1"], links["3"], links["6"], links["2"]) == ("VP1", "VP1", "VP2", "")
    ev = public_nodes(piao)
    got = {(r["valore_pubblico"], r["anno"]): r for r in rows(out, "risultati_valori_pubblici")}
    vp1 = ev.public_values["VP1"]
    assert VALIDATED_ONLY not in vp1.counted  # certified only
    row = got[("VP1", "2021")]
    assert places(Decimal(row["raggiungimento_percentuale"])) == places(vp1.achievement)
    assert row["stato"] == vp1.status.value
    assert int(row["indicatori_conteggiati"]) == len(vp1.counted)
    # the Italian spreadsheet variant: the same figure with a decimal comma
    it = {
        r["valore_pubblico"]: r
        for r in rows(out, "risultati_valori_pubblici", "_it.csv", delimiter=";")
    }
    assert Decimal(it["VP1"]["raggiungimento_percentuale"].replace(",", ".")) == Decimal(
        row["raggiungimento_percentuale"]
    )


def test_the_italian_variants_read_as_the_same_values(piao: Demo, tmp_path: Path) -> None:
    package = Package(export(tmp_path) / "datapackage.json")
    for name in ("valori_pubblici", "risultati_valori_pubblici", "obiettivi_strategici"):
        plain = [r.to_dict() for r in package.get_resource(name).read_rows()]
        assert plain, name
        italian = [r.to_dict() for r in package.get_resource(f"{name}_it").read_rows()]
        assert italian == plain, name


def test_a_plan_without_public_values_exports_empty_tables(demo: Demo, tmp_path: Path) -> None:
    out = export(tmp_path)
    assert rows(out, "valori_pubblici") == []
    assert rows(out, "risultati_valori_pubblici") == []
    assert all(r["valore_pubblico"] == "" for r in rows(out, "obiettivi_strategici"))


def test_the_public_page_shows_the_certified_figure_of_each_public_value(piao: Demo) -> None:
    page = html.unescape(Client().get(f"/trasparenza/{piao.plan.key}/2021/").content.decode())
    assert 'id="public-values-table"' in page
    table = page[page.index('id="public-values-table"') :]
    table = table[: table.index("</table>")]
    vp1 = public_nodes(piao).public_values["VP1"]
    row = table[table.index("VP1 · Imprese competitive") :]
    row = row[: row.index("</tr>")]
    assert "BES4 Benessere economico; SDG8 Lavoro dignitoso e crescita economica" in row
    assert percent(vp1.achievement) in row
    assert "1, 3" in row


def test_the_english_public_page_names_the_references_in_english(piao: Demo) -> None:
    page = html.unescape(
        Client()
        .get(f"/trasparenza/{piao.plan.key}/2021/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    table = page[page.index('id="public-values-table"') :]
    table = table[: table.index("</table>")]
    assert "Achievement by public value" in table and "Public value" in table
    assert "BES4 Economic well-being; SDG8 Decent work and economic growth" in table
    assert "Benessere" not in table and "Grado" not in table


def test_the_public_page_of_a_plan_without_them_has_no_such_table(demo: Demo) -> None:
    page = Client().get(f"/trasparenza/{demo.plan.key}/2021/").content.decode()
    assert "public-values-table" not in page and "Valore pubblico" not in page


def test_the_strategic_objective_page_links_its_public_value(piao: Demo) -> None:
    client = Client()
    client.force_login(piao.viewer)
    page = html.unescape(client.get(f"/plans/{piao.plan.key}/strategic/3/").content.decode())
    assert (
        f'Valore pubblico: <a href="/plans/{piao.plan.key}/#pv-VP1">VP1 · Imprese competitive</a>'
    ) in page
    other = client.get(f"/plans/{piao.plan.key}/strategic/2/").content.decode()
    assert "public-value-of" not in other
