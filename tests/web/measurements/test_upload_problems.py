"""A bad file is refused whole: every problem named with its row and column, nothing written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from .conftest import People
from .uploading import csv_file, nothing_written, problems, upload

GOOD = ("3.1.1", "budget_innovazione", "2021", "9500000", "")


@pytest.mark.parametrize(("row", "where", "says"), [
    (("9.9.9", "budget_innovazione", "2021", "1", ""), "indicator", "nessun indicatore"),
    (("", "budget_innovazione", "2021", "1", ""), "indicator", "manca il codice"),
    (("3.1.1", "oneri_correnti", "2021", "1", ""), "variable", "non legge"),
    (("3.1.1", "", "2021", "1", ""), "variable", "manca la variabile"),
    (("3.1.1", "budget_innovazione", "2021", "abc", ""), "value", "non è un numero"),
    (("3.1.1", "budget_innovazione", "2021", "1.234", ""), "value", "ambiguo"),
    (("3.1.1", "budget_innovazione", "2021", "sì", ""), "value", "non è un numero"),
    (("6.4.2", "crm", "2021", "forse", ""), "value", "non è sì o no"),
    (("3.1.1", "budget_innovazione", "21", "1", ""), "year", "non è un anno"),
    (("3.1.1", "budget_innovazione", "2030", "1", ""), "year", "non ha un periodo"),
    (("3.1.1", "budget_innovazione", "2021", "1", "31/02/2021"), "period", "non è una data"),
    (("3.1.1", "budget_innovazione", "2021", "1", "30/06/2022"), "period", "non è una data"),
    (("3.1.1", "budget_innovazione", "2021", "1", "31/03/2021"), "period",
     "nessun periodo di misurazione"),
])
def test_a_bad_row_is_named_with_its_row_and_column(
        people: People, row: tuple[str, ...], where: str, says: str) -> None:
    report = upload(people, csv_file([GOOD, row]))
    assert problems(report) == [(3, where)]
    assert says in report.problems[0].message
    assert report.problems[0].expected and report.problems[0].letter
    assert nothing_written()


def test_every_problem_of_the_file_is_listed_not_only_the_first(people: People) -> None:
    report = upload(people, csv_file([
        ("9.9.9", "x", "2021", "1", ""),
        GOOD,
        ("3.1.1", "contabilizzato_innovazione", "anno", "abc", ""),
        ("3.1.1", "budget_innovazione", "2021", "1", ""),
    ]))
    assert problems(report) == [(2, "indicator"), (4, "year"), (4, "value"), (5, "indicator")]
    assert "riga ripetuta" in report.problems[-1].message
    assert "riga 3" in report.problems[-1].message
    assert nothing_written()


def test_a_missing_and_an_unknown_column_are_named(people: People) -> None:
    report = upload(people, csv_file(
        [("3.1.1", "budget_innovazione", "2021", "1")],
        header=("indicator", "variable", "year", "valor")))
    assert problems(report) == [(1, "valor"), (1, "value")]
    assert nothing_written()


def test_a_cell_outside_the_header_is_a_problem(people: People) -> None:
    report = upload(people, csv_file([(*GOOD, "in più")]))
    assert problems(report) == [(2, "")] and report.problems[0].letter == "F"


def test_two_values_for_one_variable_in_one_period_are_refused(people: People) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", password="pw")
    report = upload(people, csv_file([
        ("6.0.2", "oneri_correnti_netti", "2021", "1000", ""),
        ("6.0.3", "oneri_correnti_netti", "2021", "1001", ""),
    ]), user=admin)
    assert problems(report) == [(3, "value")] and "riga 2" in report.problems[0].message
    assert nothing_written()


@override_settings(CRUSCOTTO_UPLOAD_MAX_BYTES=100)
def test_a_file_too_large_is_refused_before_it_is_read(people: People) -> None:
    report = upload(people, csv_file([GOOD] * 10))
    assert problems(report) == [(0, "")] and "troppo grande" in report.problems[0].message
    assert nothing_written()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("valori.pdf", b"%PDF-1.4 ...", "non è un file CSV o XLSX"),
    ("valori.xls", b"\xd0\xcf\x11\xe0", "salva il foglio come .xlsx"),
    ("valori.csv", b"PK\x03\x04\x00\x00binary", "non è un testo CSV"),
    ("valori.xlsx", b"indicator,variable\n", "non è un foglio Excel"),
    ("valori.xlsx", b"PK\x03\x04 not really a zip", "non si può leggere"),
    ("valori.csv", b"", "vuoto"),
    ("valori.csv", b"\n\n", "vuoto"),
])
def test_a_file_that_is_not_a_csv_or_xlsx_is_refused(
        people: People, name: str, content: bytes, says: str) -> None:
    report = upload(people, SimpleUploadedFile(name, content))
    assert problems(report) == [(0, "")] and says in report.problems[0].message
    assert nothing_written()


def test_a_line_the_csv_reader_cannot_read_is_named(people: People) -> None:
    huge = "x" * 200_000  # past the csv module's field size limit
    text = f"indicator,variable,year,value,period\n{','.join(GOOD)}\n3.1.1,\"{huge}\",2021,1,\n"
    report = upload(people, SimpleUploadedFile("valori.csv", text.encode()))
    assert problems(report) == [(3, "")] and "riga CSV non valida" in report.problems[0].message
    assert nothing_written()
