"""Structured readings of targets in the plan workbook: their sheet, closed lists, round
trip (XLSX → import → JSON export equal), refusals by sheet, row and column."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cruscotto.core.plan import Plan
from cruscotto.core.target_structure import TargetReading
from cruscotto.data import default_plan
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps
from cruscotto.io.plan_xlsx import load_xlsx, plan_to_xlsx_bytes

SHEET = "Letture dei target"


def _plan() -> Plan:
    plan = default_plan()
    ind = plan.indicator("3.1.1")
    ind.targets[2021] = ("Documentazione di 22.000 dataset e servizi nel catalogo "
                         "geodati.gov.it e di 55.000 dataset nel catalogo dati.gov.it")
    ind.readings[2021] = TargetReading.from_data({
        "operator": "compound", "parts": [
            {"operator": "at_least", "value": "80", "unit": "percent"},
            {"operator": "at_least", "value": "55000", "measure": "budget_innovazione",
             "label": "=dataset su dati.gov.it"}]})
    ind.readings[2023] = TargetReading.from_data({
        "operator": "growth", "value": "30", "unit": "percent", "base": "year_target",
        "base_year": 2022, "deadline": "2023-12-31"})
    plan.indicator("1.1.3").readings[2022] = TargetReading.from_data({
        "operator": "reduction", "value": "3", "unit": "percent", "base": "value",
        "base_value": "992721372", "base_date": "monitoraggio di novembre 2021"})
    return plan


def test_readings_come_back_as_the_same_json() -> None:
    plan = _plan()
    assert dumps(load_xlsx(plan_to_xlsx_bytes(plan)), "json") == dumps(plan, "json")


def test_one_row_per_reading_and_per_part_with_drop_downs() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(_plan())))
    ws = wb[SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=5)]
    assert rows == [
        ["1.1.3", 2022, None, "reduction", "3"],
        ["3.1.1", 2021, None, "compound", None],
        ["3.1.1", 2021, 1, "at_least", "80"],
        ["3.1.1", 2021, 2, "at_least", "55000"],
        ["3.1.1", 2023, None, "growth", "30"],
    ]
    label = ws.cell(row=5, column=8)  # a label that looks like a formula stays text
    assert label.value == "=dataset su dati.gov.it" and label.data_type == "s"
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"at_least,at_most,exactly,growth,reduction,milestone,none,compound"' in lists
    assert '"number,percent,euro"' in lists and '"previous_year,value,year_target"' in lists


def test_a_workbook_without_the_sheet_has_no_readings() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(_plan())))
    del wb[SHEET]
    out = io.BytesIO()
    wb.save(out)
    assert all(not i.readings for i in load_xlsx(out.getvalue()).indicators)


def test_bad_readings_are_refused_by_sheet_row_and_column(tmp_path: Path) -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(_plan())))
    ws = wb[SHEET]
    ws.cell(row=2, column=4).value = "circa"
    ws.cell(row=6, column=1).value = "9.9.9"
    ws.cell(row=7, column=1).value = "1.1.1"
    ws.cell(row=7, column=2).value = 2021
    ws.cell(row=7, column=3).value = 1
    ws.cell(row=7, column=4).value = "at_least"
    path = tmp_path / "p.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        load_xlsx(path)
    problems = caught.value.problems
    assert any(p.startswith("foglio «Letture dei target», riga 2, colonna «Operatore»: "
                            "valore «circa» non ammesso") for p in problems)
    assert any(p.startswith("foglio «Letture dei target», riga 6, colonna «Indicatore»: "
                            "l'indicatore «9.9.9» non è nel foglio «Indicatori»")
               for p in problems)
    assert any(p.startswith("foglio «Letture dei target», riga 7, colonna «Parte»")
               for p in problems)


def test_a_reading_on_a_measure_the_indicator_lacks_is_refused() -> None:
    plan = _plan()
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(plan)))
    wb[SHEET].cell(row=5, column=9).value = "spesa_ignota"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(InputError) as caught:
        load_xlsx(out.getvalue())
    assert any("indicator 3.1.1: reading 2021: parte 2: la misura «spesa_ignota»" in p
               for p in caught.value.problems)
