"""Issue 11, 1-2: one numeric domain, enforced at every entry; figures beyond the display
range are shown as "fuori scala" and never raise.

Each test replays a reproduction of the issue against the landed main: there the value
was stored (and every later read of the period failed with a 500), here it is refused
with a message naming the value, and the period still reads.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from cruscotto.core.formula import FormulaError, parse
from cruscotto.core.plan import Polarity
from cruscotto.core.targets import TargetError, parse_target
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_values
from tests.web import pages
from tests.web.api.conftest import Caller
from tests.web.measurements.conftest import People

PLAN = "/plans/cciaa-mimblo-2021-2023"
INTERIM_2022 = "2022-06-30"


def test_a_20_digit_value_by_the_api_is_refused_and_the_period_still_reads(
        caller: Caller) -> None:
    """The reproduction: PUT 99999999999999999999 for 3.1.1 at 30/06/2022 (SQLite stored
    the float 1e20 and every read of the period raised InvalidOperation)."""
    api = caller.officer_a
    r = api.client.put(
        api.period(INTERIM_2022) + "/values",
        data='[{"indicator": "3.1.1", "variable": "budget_innovazione", '
             '"value": 99999999999999999999, "expected_version": 0}]',
        content_type="application/json")
    assert r.status_code == 400, r.content
    assert "fuori dall'intervallo ammesso" in r.json()["detail"]
    assert not mm.Value.objects.exists()
    status, body = api.get(api.period(INTERIM_2022) + "/values")
    assert status == 200 and body["values"] == []
    assert api.client.get(f"{PLAN}/indicators/3.1.1/periods/{INTERIM_2022}/").status_code \
        == 200


@pytest.mark.parametrize("value", ["1.2e19", "1e-10", "12345678901234567890"])
def test_values_outside_the_domain_are_refused_by_the_api(caller: Caller, value: str
                                                          ) -> None:
    r = caller.officer_a.client.put(
        caller.officer_a.period() + "/values",
        data=f'[{{"indicator": "3.1.1", "variable": "budget_innovazione", "value": {value},'
             ' "expected_version": 0}]', content_type="application/json")
    assert r.status_code == 400, r.content
    assert "body.items.0.value" in r.json()["detail"]
    assert not mm.Value.objects.exists()


def test_the_largest_value_of_the_domain_is_stored_and_read_back_exactly(
        caller: Caller) -> None:
    for n, text in enumerate(["99999999999.9999", "-0.0001"]):
        r = caller.officer_a.client.put(
            caller.officer_a.period() + "/values",
            data=f'[{{"indicator": "3.1.1", "variable": "budget_innovazione", '
                 f'"value": {text}, "expected_version": {n}}}]',
            content_type="application/json")
        assert r.status_code == 200, r.json()
        assert mm.Value.objects.get(variable="budget_innovazione").number == Decimal(text)


def test_a_25_digit_value_in_the_form_is_refused_with_its_message(client: Client,
                                                                  people: People) -> None:
    client.force_login(people.officer_a)
    page = f"{PLAN}/indicators/3.1.1/periods/2021-12-31/"
    r = client.post(page, {"action": "save",
                           "value-budget_innovazione": "1234567890123456789012345",
                           "version-budget_innovazione": "0"})
    assert r.status_code == 400
    assert "al massimo 11 cifre prima della virgola" in pages.text(r)
    assert not mm.Value.objects.exists()


def test_the_service_refuses_a_value_outside_the_domain_whoever_calls_it(people: People
                                                                         ) -> None:
    from cruscotto.core.workflow import WorkflowError

    with pytest.raises(WorkflowError, match="troppi decimali"):
        do_set_values(user=people.officer_a, period=people.year_end, items=[ValueInput(
            "3.1.1", "budget_innovazione", Decimal("0.00001"))])
    assert not mm.Value.objects.exists()


def test_a_huge_computed_figure_is_shown_as_out_of_range(client: Client, caller: Caller
                                                         ) -> None:
    """The largest value over the smallest: 10^15, beyond the display range. The page
    and the period's evaluation answer (main: the figure crashed them at 10^29)."""
    status, body = caller.officer_a.put_values([
        {"indicator": "3.1.1", "variable": "contabilizzato_innovazione",
         "value": 99999999999.9999, "expected_version": 0},
        {"indicator": "3.1.1", "variable": "budget_innovazione", "value": 0.0001,
         "expected_version": 0}])
    assert status == 200, body
    client.force_login(caller.people.officer_a)
    r = client.get(f"{PLAN}/indicators/3.1.1/periods/2021-12-31/")
    assert r.status_code == 200
    assert "fuori scala" in pages.text(r)
    status, body = caller.planning.get(caller.planning.period() + "/evaluation")
    assert status == 200


def test_a_5000_digit_target_is_refused_by_the_revision(caller: Caller) -> None:
    status, body = caller.planning.send(
        "post", f"{caller.planning.plan}/indicators/3.1.1/targets/2021/revisions",
        {"text": ">=" + "9" * 5000, "justification": "prova"})
    assert status == 400, body
    assert not mm.TargetRevision.objects.exists()


def test_a_5000_digit_target_is_refused_when_read_from_a_plan() -> None:
    with pytest.raises(TargetError, match="outside the values' domain"):
        parse_target(">=" + "9" * 5000, unit="numero", polarity=Polarity.HIGHER_IS_BETTER)


def test_a_million_digit_literal_in_a_formula_is_refused() -> None:
    with pytest.raises(FormulaError, match="outside the values' domain") as exc:
        parse("x / " + "9" * 1_000_000)
    assert len(str(exc.value)) < 1000  # the message does not repeat the million digits


@pytest.mark.parametrize("figure", [Decimal("1.2e29"), Decimal("-1.2e29"), Decimal("1e999"),
                                    Decimal("1e15")])
def test_every_formatting_path_is_total_for_a_figure_beyond_the_display_range(
        figure: Decimal) -> None:
    """1.2×10^19 over 10^-10 gave about 10^29: the charts' and the formatting's quantize
    calls raised (main: InvalidOperation, the page and the evaluation API 500)."""
    from cruscotto.core.targets import format_number
    from cruscotto.core.values import format_value, to_data
    from cruscotto.io import opendata, svg_charts
    from cruscotto.io.evaluation_out import format_figure

    assert svg_charts.format_percent(figure) == "fuori scala"
    assert format_number(figure) == "fuori scala"
    assert format_number(figure, "en") == "out of range"
    assert format_figure(figure, "numero") == "fuori scala"
    assert format_figure(figure, "percentuale") == "fuori scala"
    assert len(format_value(figure)) < 40 and len(str(to_data(figure))) < 40
    assert opendata._number(figure) is None
    for percent in (True, False):
        svg = svg_charts.trend_chart(
            ["2021", "2022"], [svg_charts.Series("x", [figure, Decimal(5)])], title="t",
            percent=percent)
        assert "<svg" in svg
    bars = svg_charts.achievement_bars(
        [svg_charts.Bar(label="x", achievement=figure, status="green")], title="t")
    assert "fuori scala" in bars
