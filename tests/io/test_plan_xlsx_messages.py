"""A workbook value the format refuses is reported by sheet, row and column in the
reader's language (the catalogue's Italian and English), not in the interchange's
English."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from cruscotto.core import messages
from cruscotto.data import default_plan
from cruscotto.io.errors import InputError
from cruscotto.io.language import catalogue
from cruscotto.io.plan_xlsx import WorkbookError, load_xlsx, plan_to_xlsx_bytes


@pytest.fixture(autouse=True)
def _translator() -> Iterator[None]:
    before = messages.get_translator()
    yield
    messages.set_translator(before)


def edited(sheet: str, column: str, value: object, row: int = 2) -> bytes:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(default_plan())))
    ws = wb[sheet]
    heads = [c.value for c in ws[1]]
    ws.cell(row=row, column=heads.index(column) + 1).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problems(raw: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        load_xlsx(raw)
    return caught.value.problems


def test_a_weight_that_is_not_a_number_reads_in_italian() -> None:
    messages.set_translator(None)
    assert problems(edited("Indicatori", "Peso", "abc")) == [
        "foglio «Indicatori», riga 2, colonna «Peso»: valore «abc» non ammesso (atteso: un "
        "numero di 0 o più scritto con il punto decimale, come 1 o 0.5)"
    ]


def test_and_in_english() -> None:
    messages.set_translator(catalogue("en"))
    assert problems(edited("Indicatori", "Peso", "abc")) == [
        "sheet “Indicatori”, row 2, column “Peso”: value “abc” not allowed (expected: a "
        "number of 0 or more written with a decimal point, like 1 or 0.5)"
    ]


def test_a_budget_with_a_decimal_comma_names_its_programme_row() -> None:
    messages.set_translator(None)
    found = problems(edited("Programmi", "Stanziamento", "12,5", row=3))
    assert found == [
        "foglio «Programmi», riga 3, colonna «Stanziamento»: valore «12,5» non "
        "ammesso (atteso: un numero scritto con il punto decimale, come "
        "19350072.00, o la cella vuota)"
    ]


def test_an_empty_code_and_a_bad_threshold_are_both_reported() -> None:
    messages.set_translator(catalogue("en"))
    wb = load_workbook(io.BytesIO(edited("Indicatori", "Codice", None)))
    plan = wb["Piano"]
    row = next(r for r in plan.iter_rows(min_row=2) if r[0].value == "Soglia gialla (%)")
    row[1].value = "molto"
    out = io.BytesIO()
    wb.save(out)
    found = problems(out.getvalue())
    assert (
        "sheet “Indicatori”, row 2, column “Codice”: the cell cannot be empty (expected: "
        "a code, like 011 or 3.1)" in found
    )
    assert (
        "sheet “Piano”, column “Soglia gialla (%)”: value “molto” not allowed (expected: "
        "a percentage from 0 to 100 written with a decimal point, like 70 or 92.5)" in found
    )
    assert not any("expected form" in p or "must not be empty" in p for p in found)


def test_a_sound_workbook_still_reads() -> None:
    try:
        load_xlsx(plan_to_xlsx_bytes(default_plan()))
    except InputError as exc:  # pragma: no cover - the failure's message
        pytest.fail(str(exc))
