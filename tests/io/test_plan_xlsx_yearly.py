"""Per-year definitions and baselines in the plan workbook: their own sheets, round trip,
a fault placed in its cell, and a workbook written before the sheets existed."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cruscotto.core.plan import Baseline, Plan, Polarity, YearDefinition
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps
from cruscotto.io.plan_xlsx import load_xlsx, plan_to_xlsx_bytes
from tests.conftest import make_encoded_plan


def yearly_plan() -> Plan:
    plan = make_encoded_plan()
    ind = plan.indicator("3.1.1")
    ind.definitions = [YearDefinition(2023, "speso_innovazione / budget_innovazione",
                                      formula_text="Spesa / budget", unit="percentuale",
                                      polarity=Polarity.LOWER_IS_BETTER,
                                      measures={"spesa": "speso_innovazione"}),
                       YearDefinition(2022, "imprese_assistite")]
    plan.indicator("3.1.2").baselines = [
        Baseline(Decimal("992721372"), datetime.date(2023, 11, 30), "monitoraggio")]
    return plan


def test_definitions_and_baselines_come_back_as_the_same_json() -> None:
    plan = yearly_plan()
    back = load_xlsx(plan_to_xlsx_bytes(plan))
    assert dumps(back, "json") == dumps(plan, "json")
    assert back.indicator("3.1.1").definitions[0].unit is None  # empty cell: its own unit


def test_they_have_their_own_sheets_one_row_each() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(yearly_plan())))
    rows = [[c.value for c in r] for r in wb["Definizioni per anno"].iter_rows()]
    assert rows[0] == ["Indicatore", "Dal", "Formula", "Algoritmo di calcolo",
                       "Unità di misura", "Polarità", "Misure"]
    assert rows[1:] == [
        ["3.1.1", 2022, "imprese_assistite", None, None, None, None],
        ["3.1.1", 2023, "speso_innovazione / budget_innovazione", "Spesa / budget",
         "percentuale", "lower", "spesa=speso_innovazione"]]
    assert [[c.value for c in r] for r in wb["Baseline"].iter_rows()][1] == [
        "3.1.2", "992721372", "2023-11-30", "monitoraggio"]


def test_a_date_typed_in_excel_or_the_italian_way_is_read() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(yearly_plan())))
    wb["Baseline"]["C2"].value = datetime.datetime(2023, 11, 30)
    out = io.BytesIO()
    wb.save(out)
    assert load_xlsx(out.getvalue()).indicator("3.1.2").baselines[0].date == datetime.date(
        2023, 11, 30)
    wb["Baseline"]["C2"].value = "30/11/2023"
    out = io.BytesIO()
    wb.save(out)
    assert load_xlsx(out.getvalue()).indicator("3.1.2").baselines[0].date == datetime.date(
        2023, 11, 30)


def test_a_bad_baseline_or_an_unknown_indicator_is_placed_in_its_cell() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(yearly_plan())))
    wb["Baseline"]["B2"].value = "992.721.372"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(InputError) as caught:
        load_xlsx(out.getvalue())
    assert caught.value.problems[0].startswith("foglio «Baseline», riga 2, colonna «Valore»")
    wb["Baseline"]["B2"].value = "992721372"
    wb["Definizioni per anno"]["A3"].value = "9.9.9"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(InputError) as caught:
        load_xlsx(out.getvalue())
    assert caught.value.problems == [
        "foglio «Definizioni per anno», riga 3, colonna «Indicatore»: l'indicatore «9.9.9» "
        "non è nel foglio «Indicatori» (atteso: il codice di un indicatore)"]


def test_a_workbook_without_the_new_sheets_is_still_read() -> None:
    plan = make_encoded_plan()
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(plan)))
    del wb["Definizioni per anno"]
    del wb["Baseline"]
    out = io.BytesIO()
    wb.save(out)
    assert dumps(load_xlsx(out.getvalue()), "json") == dumps(plan, "json")
