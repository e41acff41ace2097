"""Wherever a target is shown, the reading in force is said when it is not the text's own
full reading: a structured reading set by the planning office (signed-in readers see who
set it and when, the public only when) or a text read only in part (not scored). The
dashboard and the objective and centre pages, the public section, the Relazione (HTML/PDF,
DOCX, XLSX) and the API."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from cruscotto.web.measurements import authoring
from cruscotto.web.measurements.services import (
    ValueInput,
    do_certify,
    do_set_value,
    do_submit,
    do_validate,
)
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.render import to_html
from cruscotto.web.reports.tables import indicator_cells
from cruscotto.web.reports.workbook import to_xlsx

from ..measurements.conftest import People
from .test_reading import FORM, TWO_CATALOGUES

SET, PARTLY = "3.1.1", "4.2.2"


def _client(user: object = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def readings(people: People) -> People:
    """3.1.1's 2021 target read by a reading the planning office set (its text is read
    only in part), 4.2.2's 2021 target read only in part; 3.1.1's 2021 values certified."""
    plan = read_plan(people.plan.pk)
    plan.indicator(SET).targets[2021] = TWO_CATALOGUES
    plan.indicator(PARTLY).targets[2021] = TWO_CATALOGUES
    authoring.store_plan(plan=plan, user=people.planning, key=people.plan.key)
    r = _client(people.planning).post(
        reverse("plans:reading", args=[people.plan.key, SET, 2021]), {**FORM, "action": "save"})
    assert r.status_code == 302
    for var, val in {"contabilizzato_innovazione": "90", "budget_innovazione": "100"}.items():
        do_set_value(user=people.manager_a, period=people.year_end,
                     item=ValueInput(SET, var, Decimal(val)))
    do_submit(user=people.manager_a, period=people.year_end, indicator=SET,
              gap_explanation="catalogo in ritardo")
    do_validate(user=people.planning, period=people.year_end, indicator=SET)
    do_certify(user=people.oiv, period=people.year_end, indicator=SET)
    return people


def _mark(page: str, code: str, attr: str = "data-code") -> str:
    """The reading marker in ``code``'s row ('' when none)."""
    row = re.search(rf'<tr {attr}="{re.escape(code)}".*?</tr>', page, re.S)
    assert row is not None, code
    m = re.search(r'<small [^>]*data-reading-mark="([^"]+)" title="([^"]*)">([^<]*)'
                  r'<span class="visually-hidden">: ([^<]*)</span>', row.group(0))
    return " | ".join(m.groups()) if m else ""


def test_the_dashboard_and_objective_and_centre_pages_mark_the_reading(
        readings: People) -> None:
    client = _client(readings.viewer)
    key = readings.plan.key
    centre = pm.ResponsibilityCentre.objects.get(
        plan=readings.plan, name=read_plan(readings.plan.pk).indicator(SET).centres[0])
    for url in (reverse("plans:dashboard", args=[key]) + "?year=2021",
                reverse("plans:strategic", args=[key, "3"]) + "?year=2021",
                reverse("plans:centre", args=[key, centre.key]) + "?year=2021"):
        page = client.get(url).content.decode()
        mark = _mark(page, SET)
        assert mark.startswith("set | lettura impostata da planning il "), (url, mark)
        assert mark.split(" | ")[2] == "lettura impostata"
        assert _mark(page, "3.1.2") == ""  # read from its text: nothing said
    page = client.get(reverse("plans:dashboard", args=[key]) + "?year=2021").content.decode()
    assert _mark(page, PARTLY) == ("partly_read | letto solo in parte: non valutato | "
                                   "letto solo in parte | letto solo in parte: non valutato")
    english = client.get(reverse("plans:dashboard", args=[key]) + "?year=2021",
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _mark(english, SET).startswith("set | reading set by planning on ")
    assert _mark(english, PARTLY).startswith("partly_read | read only in part: not scored | "
                                             "read only in part")
    # another year's target is read from its text
    page = client.get(reverse("plans:dashboard", args=[key]) + "?year=2022").content.decode()
    assert _mark(page, SET) == ""


def test_the_public_sees_when_a_reading_was_set_not_who(readings: People) -> None:
    url = f"/trasparenza/{readings.plan.key}/2021/"
    page = _client().get(url).content.decode()
    mark = _mark(page, SET, "data-indicator")
    assert re.fullmatch(r"set \| lettura impostata il \S+ \| lettura impostata \| "
                        r"lettura impostata il \S+", mark), mark
    assert "planning" not in mark
    assert _mark(page, PARTLY, "data-indicator").startswith("partly_read | letto solo in parte")
    english = _client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.fullmatch(r"set \| reading set on \S+ \| reading set \| reading set on \S+",
                        _mark(english, SET, "data-indicator"))


@pytest.mark.parametrize("lang,label,set_on,partly", [
    ("it", "Lettura del target", "lettura impostata il ", "letto solo in parte: non valutato"),
    ("en", "Target reading", "reading set on ", "read only in part: not scored")])
def test_the_report_says_which_reading_is_in_force(readings: People, lang: str, label: str,
                                                   set_on: str, partly: str) -> None:
    with translation.override(lang):
        report = build_report(plan_key=readings.plan.key, year=2021, basis="all")
        rows = {r.code: r for s in report.sections for r in s.indicators}
        assert rows[SET].reading.startswith(set_on) and "planning" not in rows[SET].reading
        assert rows[PARTLY].reading == partly
        assert rows["3.1.2"].reading == ""
        # HTML and PDF
        html = to_html(report)
        assert f"{label}: {rows[SET].reading}" in html
        assert f"{label}: {partly}" in html
        # DOCX: the target cell carries the note
        assert indicator_cells(rows[SET], interim=False)[1] == (
            f"{TWO_CATALOGUES} ({label}: {rows[SET].reading})")
        assert indicator_cells(rows["3.1.2"], interim=False)[1] == rows["3.1.2"].target
        # XLSX: a column
        ws = load_workbook(io.BytesIO(to_xlsx(report)))[
            "Indicatori" if lang == "it" else "Indicators"]
        heads = [c.value for c in ws[1]]
        col = heads.index(label)
        cells = {row[0].value: row[col].value for row in ws.iter_rows(min_row=2)}
        assert cells[SET] == rows[SET].reading and cells[PARTLY] == partly
        assert cells["3.1.2"] in ("", None)


def test_the_api_says_which_reading_is_in_force_and_who_only_to_the_signed_in(
        readings: People) -> None:
    date = readings.year_end.end_date.isoformat()
    base = f"/api/plans/{readings.plan.key}"
    public = _client().get(f"{base}/periods/{date}/indicators/{SET}/evaluation").json()
    assert public["target_reading"]["source"] == "set"
    assert public["target_reading"]["set_by"] is None
    set_at = datetime.datetime.fromisoformat(public["target_reading"]["set_at"])
    assert abs(timezone.now() - set_at) < datetime.timedelta(minutes=5)  # set just now
    signed = _client(readings.viewer).get(
        f"{base}/periods/{date}/indicators/{SET}/evaluation").json()["target_reading"]
    assert signed["source"] == "set" and signed["set_by"] == "planning"
    assert signed["set_at"] == public["target_reading"]["set_at"]
    whole = _client(readings.viewer).get(f"{base}/periods/{date}/evaluation").json()
    by_code = {i["code"]: i["target_reading"] for i in whole["indicators"]}
    assert by_code[PARTLY] == {"source": "partly_read", "set_at": None, "set_by": None}
    assert by_code["3.1.2"] == {"source": "text", "set_at": None, "set_by": None}
    targets = _client().get(f"{base}/indicators/{SET}/targets").json()["years"]
    by_year = {y["year"]: y["target_reading"] for y in targets}
    assert by_year[2021]["source"] == "set" and by_year[2021]["set_by"] is None
    assert by_year[2022]["source"] == "text"
    signed_targets = _client(readings.planning).get(
        f"{base}/indicators/{SET}/targets").json()["years"]
    assert signed_targets[0]["target_reading"]["set_by"] == "planning"


@pytest.mark.parametrize("lang,label,set_on,partly", [
    ("it", "Lettura del target", "lettura impostata il ", "letto solo in parte: non valutato"),
    ("en", "Target reading", "reading set on ", "read only in part: not scored")])
def test_the_piao_section_says_which_reading_is_in_force(readings: People, lang: str,
                                                         label: str, set_on: str,
                                                         partly: str) -> None:
    from docx import Document

    from cruscotto.web.reports.piao import piao_data, piao_docx

    doc = Document(io.BytesIO(piao_docx(piao_data(readings.plan.pk), lang)))

    def row(code: str) -> list[str]:
        return next([c.text for c in r.cells] for t in doc.tables for r in t.rows[1:]
                    if r.cells[0].text == code)

    heads = [c.text for c in doc.tables[0].rows[0].cells]
    col = heads.index("Target 2021")
    # the target as the plan writes it, then which reading is in force: when, not who
    cell = row(SET)[col]
    assert re.fullmatch(rf"{re.escape(TWO_CATALOGUES)} \({label}: {set_on}\S+\)", cell), cell
    assert "planning" not in cell
    assert row(PARTLY)[col] == f"{TWO_CATALOGUES} ({label}: {partly})"
    # read from its text, or another year: the bare target
    assert "(" not in row("3.1.2")[col]
    assert row(SET)[col + 1] == read_plan(readings.plan.pk).indicator(SET).targets[2022]
    other = "Target reading" if lang == "it" else "Lettura del target"
    assert other not in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_the_open_data_say_which_reading_is_in_force_and_when_not_who(
        readings: People, tmp_path: object) -> None:
    import csv
    import json
    from pathlib import Path

    from frictionless import validate

    from cruscotto.core.target_structure import describe_reading
    from cruscotto.io.opendata import render
    from cruscotto.web.public.selectors import open_data

    files = render(open_data(plan_key=readings.plan.key))
    out = Path(str(tmp_path))
    for name, content in files.items():
        (out / name).write_bytes(content)
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    rows = {(r["indicatore"], r["anno"]): r for r in csv.DictReader(
        io.StringIO(files["target.csv"].decode("utf-8")))}
    today = timezone.localdate()
    structured = describe_reading(read_plan(readings.plan.pk).indicator(SET).readings[2021])
    assert {k: rows[(SET, "2021")][k] for k in ("lettura", "lettura_impostata",
                                                  "lettura_impostata_il")} == {
        "lettura": "set", "lettura_impostata": structured.render(),
        "lettura_impostata_il": today.isoformat()}
    assert "almeno 80%" in rows[(SET, "2021")]["lettura_impostata"]
    assert (rows[(PARTLY, "2021")]["lettura"], rows[(PARTLY, "2021")]["lettura_impostata"],
            rows[(PARTLY, "2021")]["lettura_impostata_il"]) == ("partly_read", "", "")
    assert (rows[("3.1.2", "2021")]["lettura"], rows[(SET, "2022")]["lettura"]) == (
        "text", "text")
    assert "planning" not in files["target.csv"].decode("utf-8")
    italian = {(r["indicatore"], r["anno"]): r for r in csv.DictReader(io.StringIO(
        files["target_it.csv"].decode("utf-8-sig")), delimiter=";")}
    assert italian[(SET, "2021")]["lettura_impostata_il"] == today.strftime("%d/%m/%Y")
    as_json = {(r["indicatore"], r["anno"]): r for r in json.loads(files["target.json"])}
    assert as_json[(SET, 2021)]["lettura"] == "set"
    fields = {f["name"]: f for r in json.loads(files["datapackage.json"])["resources"]
              if r["name"] == "target" for f in r["schema"]["fields"]}
    assert fields["lettura"]["constraints"]["enum"] == ["text", "set", "partly_read"]
    assert fields["lettura_impostata_il"]["type"] == "date"
