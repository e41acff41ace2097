"""The plan as an Excel workbook: round trip, closed values, inert text, bad workbooks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from cruscotto.core.plan import Plan
from cruscotto.data import default_plan
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps
from cruscotto.io.plan_xlsx import MAX_ROWS, dump_xlsx, load_xlsx, plan_to_xlsx_bytes


def _workbook(plan: Plan) -> Workbook:
    return load_workbook(io.BytesIO(plan_to_xlsx_bytes(plan)))


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def test_the_default_plan_comes_back_as_the_same_json(tmp_path: Path) -> None:
    plan = default_plan()
    path = tmp_path / "piano.xlsx"
    dump_xlsx(plan, path)
    assert dumps(load_xlsx(path), "json") == dumps(plan, "json")


def test_the_small_plan_with_engine_fields_comes_back(small_plan: Plan) -> None:
    assert dumps(load_xlsx(plan_to_xlsx_bytes(small_plan)), "json") == dumps(small_plan, "json")


def test_sheets_headers_and_drop_downs_are_in_italian() -> None:
    wb = _workbook(default_plan())
    assert wb.sheetnames == ["Istruzioni", "Piano", "Missioni", "Programmi",
                             "Obiettivi strategici", "Obiettivi operativi", "Indicatori",
                             "Variabili", "Centri", "Fonti dati", "Definizioni per anno",
                             "Baseline", "Valore pubblico", "BES e SDG", "Letture dei target"]
    headers = [c.value for c in wb["Indicatori"][1]]
    assert headers[:2] == ["Codice", "Nome"]
    targets = [h for h in headers if str(h).startswith("Target")]
    assert targets == ["Target 2021", "Target 2022", "Target 2023"]
    lists = {dv.formula1 for dv in wb["Indicatori"].data_validations.dataValidation}
    assert '"higher,lower,band"' in lists and '"sì,no"' in lists
    assert {dv.formula1 for dv in wb["Variabili"].data_validations.dataValidation} == {
        '"number,yes_no"'}


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    plan = default_plan()
    plan.indicators[0].name = "=HYPERLINK(\"http://x\")"
    plan.indicators[0].description = "+39 02 1234"
    plan.indicators[0].kind = "@SUM(A1)"
    plan.indicators[0].unit = "-1"
    wb = _workbook(plan)
    row = wb["Indicatori"][2]
    assert [(c.value, c.data_type) for c in row[1:2]] == [("=HYPERLINK(\"http://x\")", "s")]
    assert all(c.data_type == "s" for c in row[6:9])
    assert load_xlsx(_save(wb, tmp_path / "p.xlsx")).indicators[0] == plan.indicators[0]


def test_a_target_changed_in_the_workbook_is_read(tmp_path: Path) -> None:
    wb = _workbook(default_plan())
    ws = wb["Indicatori"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("Target 2022") + 1).value = "≥ 99%"
    ws.cell(row=2, column=headers.index("Nome") + 1).value = "Nuovo nome"
    plan = load_xlsx(_save(wb, tmp_path / "p.xlsx"))
    assert plan.indicators[0].targets[2022] == "≥ 99%"
    assert plan.indicators[0].name == "Nuovo nome"


def test_bad_cells_are_reported_by_sheet_row_and_column(tmp_path: Path) -> None:
    wb = _workbook(default_plan())
    ws = wb["Indicatori"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("Polarità") + 1).value = "meglio"
    ws.cell(row=4, column=headers.index("Riga di origine") + 1).value = "dodici"
    wb["Programmi"].cell(row=2, column=1).value = "999"
    with pytest.raises(InputError) as caught:
        load_xlsx(_save(wb, tmp_path / "p.xlsx"))
    problems = caught.value.problems
    assert ("foglio «Indicatori», riga 3, colonna «Polarità»: valore «meglio» non ammesso "
            "(atteso: higher, lower, band o vuoto)") in problems
    assert any(p.startswith("foglio «Indicatori», riga 4, colonna «Riga di origine»: "
                            "«dodici» non è un numero intero") for p in problems)
    assert any(p.startswith("foglio «Programmi», riga 2, colonna «Missione»: la missione "
                            "«999»") for p in problems)


def test_a_missing_sheet_or_column_is_named(tmp_path: Path) -> None:
    wb = _workbook(default_plan())
    del wb["Centri"]
    wb["Variabili"].delete_cols(4)
    with pytest.raises(InputError) as caught:
        load_xlsx(_save(wb, tmp_path / "p.xlsx"))
    assert "foglio «Centri»: il foglio manca (atteso: un foglio di nome «Centri»)" in \
        caught.value.problems
    assert any("foglio «Variabili», riga 1, colonna «Tipo»: manca la colonna" in p
               for p in caught.value.problems)


def test_a_structural_fault_is_refused_as_in_json(tmp_path: Path) -> None:
    wb = _workbook(default_plan())
    ws = wb["Indicatori"]
    ws.cell(row=3, column=1).value = ws.cell(row=2, column=1).value  # a duplicate code
    with pytest.raises(InputError, match="duplicate"):
        load_xlsx(_save(wb, tmp_path / "p.xlsx"))


def test_a_huge_sheet_is_refused_before_reading(tmp_path: Path) -> None:
    wb = _workbook(default_plan())
    wb["Centri"].cell(row=MAX_ROWS + 5, column=1).value = "x"
    with pytest.raises(InputError) as caught:
        load_xlsx(_save(wb, tmp_path / "p.xlsx"))
    assert any(p.startswith(f"foglio «Centri»: il foglio dichiara {MAX_ROWS + 5} righe")
               for p in caught.value.problems)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="non si può leggere"):
        load_xlsx(path)


def test_a_fault_found_by_the_format_check_is_placed_in_its_cell(tmp_path: Path) -> None:
    """A formula in a number column has no text: the interchange check refuses the
    weight, and the report names the sheet, row and column where it was written."""
    wb = _workbook(default_plan())
    ws = wb["Indicatori"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=5, column=headers.index("Peso") + 1).value = "=SUM(A1)"
    with pytest.raises(InputError) as caught:
        load_xlsx(_save(wb, tmp_path / "p.xlsx"))
    [problem] = caught.value.problems
    assert problem.startswith("foglio «Indicatori», riga 5, colonna «Peso»: ")
