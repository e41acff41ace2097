"""The interim monitoring report: the period's figures, forecasts, indicators at risk."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.targets import format_number
from cruscotto.web.measurements import services
from cruscotto.web.measurements.selectors import evaluate_period
from cruscotto.web.reports.data import build_report, forecast_value
from cruscotto.web.reports.render import render

from .conftest import docx_tables, pdf_text, xlsx

JUNE = datetime.date(2021, 6, 30)


@pytest.fixture
def interim(people):
    """30/06/2021: 3.1.1 half spent (red), 2.2.1 on target with a poor forecast, 1.1.1 fine."""
    p = people.interim
    services.do_set_values(user=people.manager_a, period=p, items=[
        services.ValueInput("3.1.1", "budget_innovazione", Decimal(9_500_000)),
        services.ValueInput("3.1.1", "contabilizzato_innovazione", Decimal(3_800_000))])
    services.do_submit(user=people.manager_a, period=p, indicator="3.1.1",
                       gap_explanation="Bandi pubblicati a maggio", forecast="92%")
    admin = _admin()
    services.do_set_values(user=admin, period=p, items=[
        services.ValueInput("2.2.1", "mediazioni_in_campo", Decimal(15)),
        services.ValueInput("1.1.1", "budget_ri", Decimal(1_200_000)),
        services.ValueInput("1.1.1", "contabilizzato_ri", Decimal(1_020_000))])
    services.do_submit(user=admin, period=p, indicator="2.2.1", forecast="10")
    services.do_submit(user=admin, period=p, indicator="1.1.1", forecast="90%")
    return people


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin-test", password="x")


def test_it_reports_the_periods_figures_and_the_indicators_at_risk(interim) -> None:
    report = build_report(plan_key=interim.plan.key, year=2021, date=JUNE,
                          include_drafts=True)
    ev = evaluate_period(plan_id=interim.plan.pk, period=interim.interim,
                         include_drafts=True).evaluation
    assert report.interim and report.title == "Monitoraggio intermedio al 30/06/2021"
    rows = {r.code: r for r in report.indicators}
    for code in ("3.1.1", "2.2.1", "1.1.1"):
        r = ev.indicators[code]
        assert isinstance(r, IndicatorResult)
        assert rows[code].achievement == r.achievement
    assert ev.indicators["3.1.1"].status.value == "red"
    assert rows["2.2.1"].forecast == "10"
    assert [r.code for r in report.at_risk] == ["2.2.1", "3.1.1"]
    assert report.organisation_node.achievement == ev.organisation.achievement

    text = " ".join(pdf_text(render(report, "pdf")).split())
    assert "Monitoraggio intermedio al 30/06/2021" in text
    risk = text[text.index("Indicatori a rischio Indicatori con stato"):
                text.index("Risultati per obiettivo strategico Obiettivo")]
    assert "3.1.1" in risk and "2.2.1" in risk and "1.1.1" not in risk
    assert f"{format_number(ev.indicators['3.1.1'].achievement)}%" in risk

    tables = docx_tables(render(report, "docx"))
    assert any("Previsione di fine anno" in t[0] for t in tables)
    wb = xlsx(render(report, "xlsx"))
    at_risk = [row[0] for row in wb["A rischio"].iter_rows(min_row=2, values_only=True)]
    assert at_risk == ["2.2.1", "3.1.1"]


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("1.234,5", "numero", Decimal("1234.5")), ("85%", "percentuale", Decimal("0.85")),
    ("85", "percentuale", Decimal("0.85")), ("0,9", "percentuale", Decimal("0.9")),
    ("sì", "realizzazione", True), ("circa 10", "numero", None)])
def test_it_reads_a_forecast_written_as_a_number(text, unit, value) -> None:
    assert forecast_value(text, unit) == value
