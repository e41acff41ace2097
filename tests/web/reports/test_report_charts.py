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
