"""One language per document: the Relazione's PDF, DOCX and XLSX in English have no
Italian sentence of the report's own, and in Italian no English one.

What the organisation wrote is its data, in its own language in both documents, and
is taken out before looking: the plan's fields (names, titles, targets, formulas as
the plan writes them, the inputs' labels) and its people's texts (gap explanations,
forecasts, the narrative, revisions). Everything the software writes is read:
every heading, label, sentence and table header, the engine's reasons for a missing
figure and its workings, the roll-ups' derivations and the plan lint's findings.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import translation

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results
from cruscotto.web.plans.selectors import stored_plan
from cruscotto.web.reports.data import Report, build_report
from cruscotto.web.reports.render import render
from cruscotto.web.reports.tables import findings_rows

from .conftest import pdf_text

#: words only Italian uses (articles, prepositions, the report's own nouns)
ITALIAN = {"il", "della", "dei", "delle", "degli", "del", "nel", "sono", "valori", "valore",
           "indicatori", "indicatore", "obiettivo", "raggiungimento", "stato", "pagina",
           "anno", "periodo", "sintesi", "allegato", "nessun", "nessuna", "rimodulazioni",
           "centro", "qualità", "segnalazione", "certificati", "validati", "inclusi",
           "esclusi", "dati", "missione", "verde", "giallo", "rosso", "documento", "ente",
           "piano", "bozza", "inviato", "certificato", "validato", "fine", "gravità",
           # the engine's reasons and workings, the lint's findings
           "misurato", "calcolabile", "manca", "mancano", "divisione", "limitato",
           "variazione", "incremento", "raggiunto", "traguardo", "intervallo", "letto",
           "perché", "dopo", "polarità", "impostata", "dichiara", "verificarla", "esempio",
           "segnalazioni", "elementi", "progetto", "una", "tantum", "alto",
           "basso", "meglio", "vale", "ancora"}
#: the engine's reasons for the two missing figures, by language
REASONS = {"it": ("non calcolabile: divisione per zero", "non misurato: manca"),
           "en": ("not computable: division by zero", "not measured: missing")}
#: words only English uses ("data" is Italian too: a date)
ENGLISH = {"the", "and", "not", "has", "is", "for", "yet", "value", "values", "set",
           "missing", "computable", "measured", "polarity", "editor", "report", "page",
           "indicators", "achievement", "status", "certified", "validated", "year",
           "draft", "summary", "objective", "centre", "of",
           # the engine's reasons and workings, the lint's findings
           "division", "capped", "growth", "increment", "met", "milestone", "reached",
           "band", "inside", "below", "above", "read", "because", "after", "unit",
           "example", "findings", "elements", "project", "check", "states",
           "does", "higher", "lower", "better", "by", "every", "part", "lowest"}


def data_strings(report: Report) -> list[str]:
    """What the organisation wrote, in its own language whatever the document's: the
    plan's fields (names, titles, descriptions, units, targets, formulas as written,
    the inputs' labels, codes), and its people's texts about the figures (gap
    explanations, forecasts, the narrative, target revisions). Taken out first, and
    nothing else: every word the software writes is looked at — headings, labels,
    the engine's reasons and workings, the roll-up's derivations, the lint's findings.
    """
    plan = stored_plan(report_plan_id(report))
    out = [plan.organisation.name, plan.organisation.code, plan.title, report.plan_key]
    for m in plan.missions:
        out += [m.code, m.name]
        out += [x for p in m.programmes for x in (p.code, p.name, p.budget_text)]
    for s in plan.strategic_objectives:
        out += [s.code, s.title, s.narrative]
    for o in plan.operational_objectives:
        out += [o.code, o.title, o.area]
    out += [x for c in plan.centres for x in (c.key, c.name)]
    out += [x for d in plan.data_sources for x in (d.key, d.name)]
    for v in plan.variables:
        # a label the engine writes (a Message) is the software's, and translated
        out += [v.name, v.source, v.unit, *([v.label] if isinstance(v.label, str) else [])]
    for ind in plan.indicators:
        out += [ind.code, ind.name, ind.description, ind.kind, ind.unit, ind.formula_text,
                ind.formula, *ind.data_sources, *ind.targets.values(), *ind.centres,
                *ind.measures.values()]
    for r in report.indicators:
        out += [r.target, r.original_target, r.gap_note, r.forecast]
    out += [t.markdown for t in report.narrative.all()]
    for v in report.revisions:
        out += [v.previous, v.revised, v.justification]
    return sorted({s for s in out if s and s.strip()}, key=len, reverse=True)


def report_plan_id(report: Report) -> int:
    from cruscotto.web.plans.models import Plan

    return Plan.objects.get(key=report.plan_key).pk


def texts(report: Report) -> dict[str, str]:
    import docx
    import openpyxl

    out = {"pdf": pdf_text(render(report, "pdf"))}
    document = docx.Document(io.BytesIO(render(report, "docx")))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    out["docx"] = "\n".join(parts)
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    cells = list(wb.sheetnames)
    for ws in wb.worksheets:
        cells += [str(v) for row in ws.iter_rows(values_only=True) for v in row
                  if isinstance(v, str)]
    out["xlsx"] = "\n".join(cells)
    return out


WORD = re.compile(r"[A-Za-zàèéìòù]+")


def foreign_words(fmt: str, text: str, strings: list[str], words: set[str]) -> set[str]:
    """The words of ``words`` in ``text`` once the data are taken out.

    The DOCX and XLSX keep each cell whole, so the data strings are cut out of them;
    the PDF's text runs the columns of a table into each other, so there a word the
    data use anyway is not looked for (the report's own words still are)."""
    flat = " ".join(text.split())
    if fmt != "pdf":
        for s in strings:
            if len(s) >= 4:
                flat = flat.replace(" ".join(s.split()), " ")
        return {w for w in WORD.findall(flat) if w.lower() in words}
    data = {w.lower() for s in strings for w in WORD.findall(s)}
    return {w for w in WORD.findall(flat) if w.lower() in words - data}


def missing_figures(demo) -> tuple[str, str]:
    """One indicator not measured (an input taken away) and one not computable (its
    denominator 0): the engine's reasons, in the report's language, in every format.
    Returns their codes."""
    plan = stored_plan(demo.plan.pk)
    ratios = [i for i in plan.indicators if " / " in i.formula]
    divided, emptied = ratios[0], ratios[1]
    denominator = divided.formula.rsplit("/", 1)[1].strip(" ()")
    assert mm.Value.objects.filter(period=demo.year_end, variable=denominator).update(
        number=Decimal(0)) == 1
    first = emptied.formula.split("/")[0].strip(" ()")
    assert mm.Value.objects.filter(period=demo.year_end, variable=first).update(
        number=None, yes_no=None) == 1
    results.refresh(demo.plan.pk)
    return divided.code, emptied.code


@pytest.mark.parametrize(("lang", "other"), [("en", ITALIAN), ("it", ENGLISH)])
def test_every_format_is_in_one_language(demo, lang, other) -> None:
    divided, emptied = missing_figures(demo)
    with translation.override(lang):
        report = build_report(plan_key=demo.plan.key, year=2021, basis="all")
        strings = data_strings(report)
        found = {fmt: foreign_words(fmt, text, strings, other)
                 for fmt, text in texts(report).items()}
        # what the software writes about the figures is in the documents, to be read
        rows = {r.code: r for r in report.indicators}
        # the engine's reasons and the lint's findings in the DOCX and the XLSX, its
        # workings (with the roll-ups' derivations) in the XLSX's indicator sheet
        engine = {"docx": [rows[divided].reason, rows[emptied].reason,
                           findings_rows(report, grouped=True)[0]["message"]],
                  "xlsx": [rows[divided].reason, rows[emptied].reason,
                           findings_rows(report)[0]["message"],
                           *(r.explanation for r in report.indicators if r.explanation)]}
        documents = texts(report)
    assert REASONS[lang][0] in rows[divided].reason, rows[divided].reason
    assert REASONS[lang][1] in rows[emptied].reason, rows[emptied].reason
    for fmt, written in engine.items():
        flat = " ".join(documents[fmt].split())
        for text in written:
            assert " ".join(text.split()) in flat, (fmt, text)
    assert found == {"pdf": set(), "docx": set(), "xlsx": set()}
    # the test can fail: the report's own words are looked for in the PDF too
    data = {w.lower() for s in strings for w in WORD.findall(s)}
    assert len(other - data) >= 15
