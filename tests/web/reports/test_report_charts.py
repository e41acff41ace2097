"""The report's summary charts carry the engine's figures, the same as their tables."""

from __future__ import annotations

import re

from cruscotto.io.svg_charts import format_percent
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.render import render, to_html
from tests.web.measurements.conftest import People
from tests.web.reports.conftest import engine, pdf_text


def chart(html: str, name: str) -> str:
    m = re.search(rf'data-chart="{name}">(<svg.*?</svg>)</figure>', html, re.S)
    assert m, f"no {name} chart in the report"
    return m.group(1)


def test_the_charts_show_each_mission_and_objective_with_the_engines_achievement(
        demo: People) -> None:
    report = build_report(plan_key=demo.plan.key, year=2021)
    html = to_html(report)
    ev = engine(demo, all_states=False)
    missions = chart(html, "missions")
    assert 'role="img"' in missions and "<title" in missions
    for n in report.missions:
        node = ev.missions[n.code]
        assert n.achievement == node.achievement
        assert format_percent(node.achievement) in missions, n.code
    strategic = chart(html, "strategic")
    for n in report.strategic:
        assert n.code in strategic
        assert format_percent(ev.strategic[n.code].achievement) in strategic, n.code


def test_the_pdf_still_renders_with_the_charts(demo: People) -> None:
    report = build_report(plan_key=demo.plan.key, year=2021)
    text = pdf_text(render(report, "pdf"))
    assert "Grado di raggiungimento per missione" in text


def test_the_pdf_labels_fit_and_no_page_is_almost_empty(demo: People) -> None:
    """Chart labels start inside the page (they were cut on the left), and every page
    but the cover carries a fair share of text (a page break left one almost blank)."""
    import io

    import pdfplumber

    report = build_report(plan_key=demo.plan.key, year=2021)
    with pdfplumber.open(io.BytesIO(render(report, "pdf"))) as pdf:
        margin = 15 * 72 / 25.4  # the @page's left margin, 15 mm
        for page in pdf.pages:
            assert all(c["x0"] >= margin - 1 for c in page.chars), page.page_number
        summary = next(p for p in pdf.pages if "Grado di raggiungimento per missione"
                       in (p.extract_text() or ""))
        text = summary.extract_text() or ""
        for n in report.missions:  # each label from its start: the code, then the name
            assert f"{n.code} {n.title}"[:12] in text, n.code
        lines = [len((p.extract_text() or "").splitlines()) for p in pdf.pages[1:-1]]
        assert min(lines) >= 6, lines


def test_the_docx_carries_the_charts_as_pictures(demo: People) -> None:
    import io

    import docx

    report = build_report(plan_key=demo.plan.key, year=2021)
    document = docx.Document(io.BytesIO(render(report, "docx")))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    described = [s._inline.docPr.get("descr") for s in shapes]
    assert described == ["Grado di raggiungimento per missione",
                         "Grado di raggiungimento per obiettivo strategico"]
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert all(r.target_part.blob.startswith(b"\x89PNG") for r in images)
