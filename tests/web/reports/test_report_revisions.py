"""Target revisions in the report: the revised target counts, the original stays visible."""

from __future__ import annotations

import datetime

from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.targets import format_number
from cruscotto.web.measurements import services
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.render import render

from .conftest import docx_tables, engine, pdf_text, xlsx

WHY = "Nuovo bando regionale approvato a luglio"


def test_the_report_shows_original_and_revised_targets(demo) -> None:
    # the demo certified 1.2.1: its target is frozen until the planning office reopens it
    services.do_reopen(user=demo.planning, period=demo.year_end, indicator="1.2.1",
                       reason="rimodulazione del target approvata a luglio")
    services.do_revise_target(user=demo.planning, plan_id=demo.plan.pk, indicator="1.2.1",
                              year=2021, text="17000", justification=WHY,
                              revised_on=datetime.date(2021, 7, 15))
    ev = engine(demo, all_states=True)
    r = ev.indicators["1.2.1"]
    assert isinstance(r, IndicatorResult) and r.achievement == 100  # 17.350 >= 17.000
    report = build_report(plan_key=demo.plan.key, year=2021, include_drafts=True)
    row = next(x for x in report.indicators if x.code == "1.2.1")
    assert (row.target, row.original_target) == ("17000", "18000")
    assert row.achievement == r.achievement

    text = " ".join(pdf_text(render(report, "pdf")).split())
    revisions = text[text.index("Target 2021 rimodulati, con la motivazione"):]
    assert "18000 17000 15/07/2021" in revisions
    assert WHY.split()[0] in revisions
    table = next(t for t in docx_tables(render(report, "docx"))
                 if t[0][:3] == ["Indicatore", "Target originale", "Target rimodulato"])
    assert table[1][1:] == ["18000", "17000", "15/07/2021", WHY]
    ws = xlsx(render(report, "xlsx"))["Rimodulazioni"]
    code, _name, year, old, new, day, why = next(ws.iter_rows(min_row=2, values_only=True))
    assert (code, year, old, new, day, why) == (
        "1.2.1", 2021, "18000", "17000", datetime.datetime(2021, 7, 15), WHY)
    assert ws.cell(2, 6).number_format == "DD/MM/YYYY"
    assert f"{format_number(ev.organisation.achievement)}%" in text
