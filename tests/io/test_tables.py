"""CSV and XLSX tables: text that looks like a formula stays text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from cruscotto.io.tables import inert, to_csv, to_xlsx

ROWS = [["=1+1", "+39 02", "-5", "@SUM(A1)", "piano"], ["ok", Decimal("1.5"), 3, None, ""]]


def test_it_makes_formula_like_text_inert_in_csv() -> None:
    text = to_csv(["a", "b", "c", "d", "e"], ROWS).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    # a plain signed number stays as it is: a spreadsheet reads it as that number
    assert rows[1] == ["'=1+1", "'+39 02", "-5", "'@SUM(A1)", "piano"]
    assert rows[2] == ["ok", "1.5", "3", "", ""]
    assert inert("valore = 3") == "valore = 3"


def test_it_stores_formula_like_text_as_text_in_xlsx() -> None:
    wb = load_workbook(io.BytesIO(to_xlsx(["a", "b", "c", "d", "e"], ROWS, title="t")))
    ws = wb.active
    assert ws is not None
    cell = ws["A2"]
    # a text cell, with the apostrophe every export uses (a copy to CSV stays inert)
    assert cell.value == "'=1+1" and cell.data_type == "s"
    assert ws["D2"].value == "'@SUM(A1)" and ws["D2"].data_type == "s"
    assert ws["B3"].value == 1.5 and ws["C3"].value == 3
