"""One language per document: the Relazione's PDF, DOCX and XLSX in English have no
Italian sentence of the report's own, and in Italian no English one.

The plan's own text (names, titles, targets as the plan writes them), the narrative
the office writes and the figures' workings are the data, in the plan's language,
and are taken out before looking. So are, for now, the plan lint's findings and the
engine's reasons for a missing figure, which the engine still writes in English
(being turned into translatable messages on their own branch): the test reads the
report's own words, every heading, label, sentence and table header.
"""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation

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
           "piano", "bozza", "inviato", "certificato", "validato", "fine", "gravità"}
#: words only English uses ("data" is Italian too: a date)
ENGLISH = {"the", "and", "not", "has", "is", "for", "yet", "value", "values", "set",
           "missing", "computable", "measured", "polarity", "editor", "report", "page",
           "indicators", "achievement", "status", "certified", "validated", "year",
           "draft", "summary", "objective", "centre", "of"}


def data_strings(report: Report) -> list[str]:
    """What the report prints as the plan or the engine wrote it (taken out first)."""
    plan = stored_plan(report_plan_id(report))
    out = [report.organisation, report.plan_title, report.plan_key]
    out += [m.name for m in plan.missions] + [s.title for s in plan.strategic_objectives]
    out += [o.title for o in plan.operational_objectives]
    for ind in plan.indicators:
        out += [ind.name, ind.unit, *ind.centres, *ind.targets.values(), ind.code]
    for r in report.indicators:
        out += [r.target, r.original_target, r.value_text, r.gap_note, r.explanation,
                r.forecast, r.reason.partition(": ")[2] or "", r.unit]
    for n in (report.organisation_node, *report.missions, *report.strategic,
              *(c.node for c in report.centres)):
        out += [n.working, n.title]
    out += [f["message"] for f in findings_rows(report)] + [f["subject"] for f in
                                                             findings_rows(report)]
    out += [t.markdown for t in report.narrative.all()]
    for v in report.revisions:
        out += [v.previous, v.revised, v.justification, v.name]
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


@pytest.mark.parametrize(("lang", "other"), [("en", ITALIAN), ("it", ENGLISH)])
def test_every_format_is_in_one_language(demo, lang, other) -> None:
    with translation.override(lang):
        report = build_report(plan_key=demo.plan.key, year=2021, basis="all")
        strings = data_strings(report)
        found = {fmt: foreign_words(fmt, text, strings, other)
                 for fmt, text in texts(report).items()}
    assert found == {"pdf": set(), "docx": set(), "xlsx": set()}
    # the test can fail: the report's own words are looked for in the PDF too
    data = {w.lower() for s in strings for w in WORD.findall(s)}
    assert len(other - data) >= 15
