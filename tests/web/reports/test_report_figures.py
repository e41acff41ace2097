"""The three formats of the 2021 report carry the engine's figures, in Italian format."""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal

import docx
import pytest

from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.targets import format_number
from cruscotto.io.evaluation_out import display_value, italian_numbers
from cruscotto.web.plans.selectors import read_plan
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.render import render

from .conftest import UNVALIDATED, docx_tables, engine, pdf_text, xlsx

STATUS_IT = {"green": "verde", "yellow": "giallo", "red": "rosso", "not_available": "n.d."}


def percent(a: Decimal | None) -> str:
    return "—" if a is None else format_number(a) + "%"


@pytest.fixture
def expected(demo):
    """(plan, engine evaluation with every state, the report as the planning office sees it)."""
    ev = engine(demo, all_states=True)
    report = build_report(plan_key=demo.plan.key, year=2021, include_drafts=True)
    return read_plan(demo.plan.pk), ev, report


def test_it_writes_every_indicator_and_the_organisation_in_the_pdf(expected) -> None:
    plan, ev, report = expected
    text = pdf_text(render(report, "pdf"))
    org = ev.organisation
    assert f"Grado di raggiungimento complessivo dell'ente ({plan.organisation.name}): " \
        f"{percent(org.achievement)}" in " ".join(text.split())
    assert "Relazione sulla Performance 2021" in text
    assert "31/12/2021 (fine anno)" in text
    assert "DATI DIMOSTRATIVI" in text
    assert "Pagina 1 di" in text
    body = text[text.index("Risultati per obiettivo strategico\nObiettivo strategico 1"):]
    checked = 0
    for ind in plan.indicators:
        r = ev.indicators[ind.code]
        assert isinstance(r, IndicatorResult)
        line = next(ln for ln in body.splitlines() if ln.startswith(ind.code + " "))
        assert display_value(r, ind.unit) in line, (ind.code, line)
        assert f" {percent(r.achievement)} {STATUS_IT[r.status.value]} " in line, line
        checked += 1
    assert checked == len(plan.indicators) == 36
    for code, node in ev.strategic.items():
        assert f"Obiettivo strategico {code} " in body
        assert f"Grado di raggiungimento: {percent(node.achievement)}" in body


def test_it_writes_every_indicator_in_word_tables(expected) -> None:
    plan, ev, report = expected
    content = render(report, "docx")
    tables = docx_tables(content)
    rows = {row[0].split(" ")[0]: row for t in tables for row in t
            if len(row) == 7 and row[0][:1].isdigit()}
    for ind in plan.indicators:
        r = ev.indicators[ind.code]
        assert isinstance(r, IndicatorResult)
        row = rows[ind.code]
        assert row[2] == display_value(r, ind.unit)
        assert row[3] == percent(r.achievement)
        assert row[4] == STATUS_IT[r.status.value]
    assert rows["3.3.1"][5] == "inviato"
    assert rows["4.2.2"][5] == "bozza"
    document = docx.Document(__import__("io").BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Sintesi" in headings and "Allegato: qualità dei dati" in headings
    assert [h for h in headings if h.startswith("Obiettivo strategico ")] == [
        f"Obiettivo strategico {s.code} {s.title}" for s in plan.strategic_objectives]
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert f"{percent(ev.organisation.achievement)}, stato " \
        f"{STATUS_IT[ev.organisation.status.value]}" in paragraphs
    missions = next(t for t in tables if t[0][0] == "Missione")
    assert {r[0].split(" ")[0]: r[1] for r in missions[1:]} == {
        code: percent(n.achievement) for code, n in ev.missions.items()}


def test_it_writes_numbers_and_percentages_in_the_workbook(expected) -> None:
    plan, ev, report = expected
    wb = xlsx(render(report, "xlsx"))
    assert {"Copertina", "Sintesi", "Missioni", "Obiettivi strategici", "Indicatori",
            "Centri", "Rimodulazioni", "Qualità dei dati"} <= set(wb.sheetnames)
    ws = wb["Indicatori"]
    heads = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(heads)}
    seen = set()
    for row in ws.iter_rows(min_row=2):
        code = row[col["Codice"]].value
        r = ev.indicators[code]
        assert isinstance(r, IndicatorResult)
        ach = row[col["Raggiungimento"]]
        assert ach.value == pytest.approx(float(r.achievement) / 100)
        # explicit formats: Italian Excel shows 96,38% and 1.234,50, never "100,%"
        assert ach.number_format == "0.00%"
        value = row[col["Valore"]]
        if isinstance(r.value, bool):
            assert value.value == ("sì" if r.value else "no")
        else:
            assert value.value == pytest.approx(float(r.value))
            assert value.number_format == "0.00%" or value.number_format.startswith("#,##0")
            assert not value.number_format.endswith(".")
            assert "#" not in value.number_format.partition(".")[2]
        assert row[col["Valore (testo)"]].value == display_value(r, plan.indicator(code).unit)
        seen.add(code)
    assert seen == {i.code for i in plan.indicators}
    cover = {row[0].value: row[1] for row in wb["Copertina"].iter_rows()}
    org = cover["Grado di raggiungimento dell'ente"]
    assert org.value == pytest.approx(float(ev.organisation.achievement) / 100)
    assert org.number_format == "0.00%"
    assert ws.freeze_panes == "A2"
    assert cover["Periodo di riferimento"].value == datetime.datetime(2021, 12, 31)
    assert cover["Periodo di riferimento"].number_format == "DD/MM/YYYY"
    strategic = {r[0].value: r[2].value for r in wb["Obiettivi strategici"].iter_rows(min_row=2)}
    assert strategic == {c: pytest.approx(float(n.achievement) / 100)
                         for c, n in ev.strategic.items()}
    centres = {r[0].value: r[2].value for r in wb["Centri"].iter_rows(min_row=2)}
    assert centres == {c: pytest.approx(float(n.achievement) / 100)
                       for c, n in ev.centres.items() if n.achievement is not None}


def test_the_annex_lists_unvalidated_values_and_the_plan_lint(expected) -> None:
    plan, ev, report = expected
    # every value not certified yet is listed (validated ones included)
    assert {r.code for r in report.not_validated} >= UNVALIDATED
    assert all(r.state != "certified" for r in report.not_validated)
    text = " ".join(pdf_text(render(report, "pdf")).split())
    annex = text[text.index("Valori non ancora certificati"):]
    for code in UNVALIDATED:
        assert f"{code} {plan.indicator(code).name.split()[0]}" in annex
    assert "inclusi, da confermare" in annex
    assert "Controlli sul piano" in annex
    # the lint's findings in Italian, as people read them (not the developers' English)
    first = report.findings[0]
    assert first.text is not None and str(first.text)[:30] in annex
    assert first.message[:30] not in annex and "polarity" not in annex


def test_a_nodes_working_is_the_engines_with_italian_numbers_written_when_read(
        expected) -> None:
    _plan, ev, report = expected
    org = report.organisation_node
    assert org.working == italian_numbers(ev.organisation.working)
    assert "," in org.working and "×" in org.working
    for row in report.strategic:
        node = ev.strategic[row.code]
        assert row.working == (italian_numbers(node.working) if node.achievement is not None
                               else "nessun indicatore con un grado di raggiungimento")
    # a report kept for an approval (pickled) writes the same
    assert pickle.loads(pickle.dumps(report)).organisation_node.working == org.working
