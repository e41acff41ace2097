"""The lint's alike findings: one row in the PDF and the DOCX (how many, an example,
every element), one row each in the XLSX."""

from __future__ import annotations

import dataclasses

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.messages import msg
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.render import render

from .conftest import docx_tables, pdf_text, xlsx

NO_SOURCE = "«%(label)s» (%(name)s) non ha una fonte dei dati: nessun ufficio la fornisce"


def no_source(name: str) -> Finding:
    return Finding(Severity.WARNING, "variable-no-source", f"{name} has no data source",
                   subject=name, text=msg(NO_SOURCE, label=f"Voce {name}", name=name))


def test_many_alike_findings_are_one_row_with_every_element(demo) -> None:
    report = build_report(plan_key=demo.plan.key, year=2021, include_drafts=True)
    names = [f"var_{i:02d}" for i in range(12)]
    other = Finding(Severity.INFO, "weight-zero", "1.1.1 weighs nothing", subject="1.1.1",
                    text=msg("%(code)s non pesa nulla", code="1.1.1"))
    report = dataclasses.replace(report, findings=(*map(no_source, names), other))

    annex = " ".join(pdf_text(render(report, "pdf")).split())
    annex = annex[annex.index("Controlli sul piano"):]
    assert "12 segnalazioni" in annex
    assert "Ad esempio: «Voce var_00» (var_00) non ha una fonte dei dati" in annex
    assert "Voce var_05" not in annex  # the others' text is not repeated
    for name in names:
        assert name in annex
    assert "1.1.1 non pesa nulla" in annex  # a kind with few findings keeps its row

    findings_table = docx_tables(render(report, "docx"))[-1]
    assert len(findings_table) == 1 + 2  # the header, the group, the single one
    assert findings_table[1][0] == "12 segnalazioni"
    assert all(name in findings_table[1][2] for name in names)

    quality = xlsx(render(report, "xlsx"))["Qualità dei dati"]
    listed = [r[0].value for r in quality.iter_rows(min_row=2)]
    assert [n for n in listed if n in names] == names  # the spreadsheet keeps every row
