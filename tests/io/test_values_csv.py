"""Values files: what an office fills in, and what it is told when a cell is wrong.

Every refusal names the file, the line, the column and what was expected;
`cruscotto evaluate` turns it into one line on stderr and exit status 2.
"""

from __future__ import annotations

import contextlib
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cruscotto.cli import main
from cruscotto.core.plan import Plan, VariableKind
from cruscotto.data import DATA_DIR, default_plan
from cruscotto.io.errors import InputError
from cruscotto.io.values_csv import parse_value, read_values, read_values_text, write_template

HEADER = "indicator,variable,year,value,period\n"
GOOD_ROW = "1.1.1,contabilizzato_ri,2021,1032000,\n"  # line 2: the faulty row is line 3
D = Decimal


@pytest.fixture(scope="module")
def plan() -> Plan:
    return default_plan()


# -- refused files -------------------------------------------------------------------

#: id, file text, line, column, a piece of the message, a piece of what was expected
BAD_FILES = [
    ("missing-column", "indicator,variable,value\n1.1.1,budget_ri,1\n", 1, "year",
     "manca la colonna year", "indicator, variable, year, value"),
    ("unknown-column", "indicator,variable,year,value,nota\n", 1, "nota",
     "colonna sconosciuta «nota»", "indicator, variable, year, value, period"),
    ("unknown-indicator", HEADER + GOOD_ROW + "9.9.9,budget_ri,2021,1,\n", 3, "indicator",
     "nessun indicatore «9.9.9» nel piano", "un codice di indicatore del piano"),
    ("no-indicator", HEADER + GOOD_ROW + ",budget_ri,2021,1,\n", 3, "indicator",
     "manca il codice dell'indicatore", "un codice di indicatore del piano"),
    ("variable-not-read", HEADER + GOOD_ROW + "1.1.1,imprese_suap,2021,1,\n", 3, "variable",
     "l'indicatore 1.1.1 non legge la variabile «imprese_suap»", "budget_ri, contabilizzato_ri"),
    ("bad-year", HEADER + GOOD_ROW + "1.1.1,budget_ri,21,1,\n", 3, "year",
     "«21» non è un anno", "un anno di quattro cifre"),
    ("year-outside-plan", HEADER + GOOD_ROW + "1.1.1,budget_ri,2019,1,\n", 3, "year",
     "2019 è fuori dal piano", "dal 2020 al 2023"),
    ("not-a-number", HEADER + GOOD_ROW + "1.1.1,budget_ri,2021,molti,\n", 3, "value",
     "«molti» non è un numero", "un numero (1234,5)"),
    ("ambiguous-thousands", HEADER + GOOD_ROW + "1.1.1,budget_ri,2021,1.500,\n", 3, "value",
     "«1.500» è ambiguo: scrivi 1500 per le migliaia o 1,500 per i decimali",
     "un numero"),
    ("percent-alone", HEADER + GOOD_ROW + "1.1.1,budget_ri,2021,%,\n", 3, "value",
     "«%» non è un numero", "una percentuale (92%)"),
    ("number-for-yes-no", HEADER + GOOD_ROW + "1.3.2,salone_anagrafico,2021,5,\n", 3,
     "value", "«5» non è sì o no", "sì/no"),
    ("two-values-one-variable",
     HEADER + "6.0.2,oneri_correnti_netti,2021,91500000,\n"
     "6.0.3,oneri_correnti_netti,2021,91000000,\n", 3, "value",
     "oneri_correnti_netti 2021 vale 91000000 qui ma 91500000 alla riga 2",
     "lo stesso valore in ogni riga della variabile"),
    ("duplicate-row", HEADER + GOOD_ROW + GOOD_ROW, 3, "value",
     "un secondo valore per 1.1.1 contabilizzato_ri 2021; il primo è alla riga 2",
     "una sola riga per indicatore, variabile, anno e periodo"),
    ("duplicate-direct-value", HEADER + "1.2.1,,2021,19000,\n1.2.1,,2021,19500,\n", 3,
     "value", "un secondo valore per 1.2.1 — 2021", "una sola riga per"),
    ("period-outside-year", HEADER + GOOD_ROW + "1.1.1,budget_ri,2021,1,30/06/2020\n", 3,
     "period", "«30/06/2020» non è una data del 2021", "30/06/2021"),
    ("period-not-a-date", HEADER + GOOD_ROW + "1.1.1,budget_ri,2021,1,31/02/2021\n", 3,
     "period", "«31/02/2021» non è una data del 2021", "vuoto per la fine dell'anno"),
    ("semicolon-ambiguous", "indicator;variable;year;value\n1.1.1;budget_ri;2021;1.234,5\n"
     "1.1.1;contabilizzato_ri;2021;1.000\n", 3, "value", "«1.000» è ambiguo", "un numero"),
]


@pytest.mark.parametrize(("text", "line", "column", "says", "expected"),
                         [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_it_refuses_a_bad_file_naming_file_line_column_and_what_was_expected(
        tmp_path: Path, plan: Plan, text: str, line: int, column: str, says: str,
        expected: str) -> None:
    path = tmp_path / "valori_2021.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as err:
        read_values(path, plan)
    e = err.value
    assert (e.file, e.line, e.field) == ("valori_2021.csv", line, column)
    assert says in str(e.message)
    assert expected in str(e.expected)
    assert str(e).startswith(f"valori_2021.csv:{line}: ")


@pytest.mark.parametrize(("text", "line", "column", "says"),
                         [case[1:5] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_evaluate_exits_2_with_one_line_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int,
        column: str, says: str) -> None:
    path = tmp_path / "valori_2021.csv"
    path.write_text(text, "utf-8")
    code = main(["evaluate", "--year", "2021", "--values", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"cruscotto: error: valori_2021.csv:{line}: ")
    assert says in err and f"campo «{column}»" in err


def test_it_refuses_an_empty_file(plan: Plan) -> None:
    with pytest.raises(InputError) as err:
        read_values_text("", plan, filename="vuoto.csv")
    assert (err.value.file, err.value.line) == ("vuoto.csv", 1)
    assert "indicator,variable,year,value" in str(err.value.expected)


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "valori.csv"
    path.write_bytes(HEADER.encode() + b"1.1.1,budget_ri,2021,1,\n\xff\xfe")
    with pytest.raises(InputError) as err:
        read_values(path, plan)
    assert err.value.file == "valori.csv" and "UTF-8" in str(err.value.expected)


# -- accepted files ------------------------------------------------------------------

def test_it_reads_an_italian_spreadsheet_saved_with_semicolons(plan: Plan) -> None:
    text = ("indicator;variable;year;value;period\n"
            "1.1.1;budget_ri;2021;1.234,5;\n"
            "1.1.1;contabilizzato_ri;2021;1.000.000;\n"
            "1.3.1;istanze_online;2021;48%;\n")
    rows = read_values_text(text, plan).rows
    assert [(r.variable, r.value) for r in rows] == [
        ("budget_ri", D("1234.5")), ("contabilizzato_ri", D(1000000)),
        ("istanze_online", D("0.48"))]


def test_it_takes_columns_in_any_order_with_a_bom_and_blank_lines(tmp_path: Path,
                                                                 plan: Plan) -> None:
    path = tmp_path / "valori.csv"
    path.write_text("\ufeffValue,Year,Variable,Indicator\n\n1200000,2021,budget_ri,1.1.1\n"
                    ",,,\n", "utf-8")
    (row,) = read_values(path, plan).rows
    assert (row.line, row.indicator, row.variable, row.year, row.value) == (
        3, "1.1.1", "budget_ri", 2021, D(1200000))


def test_it_accepts_one_variable_on_two_rows_with_the_same_value(plan: Plan) -> None:
    text = (HEADER + "6.0.2,oneri_correnti_netti,2021,91.500.000,\n"
            "6.0.3,oneri_correnti_netti,2021,91500000,\n")
    inputs, direct = read_values_text(text, plan).select(2021)
    assert inputs == {("oneri_correnti_netti", 2021): D(91500000)} and direct == {}


def test_it_accepts_the_year_before_the_plan_for_growth_targets(plan: Plan) -> None:
    text = HEADER + "6.4.1,follower_social,2020,41200,\n"
    assert read_values_text(text, plan).rows[0].year == 2020


def test_an_empty_value_is_not_measured_not_zero(plan: Plan) -> None:
    (row,) = read_values_text(HEADER + "1.1.1,budget_ri,2021,,\n", plan).rows
    assert row.value is None


def test_a_template_read_back_unchanged_is_accepted_and_measures_nothing(plan: Plan) -> None:
    values = read_values_text(write_template(plan, 2021), plan, filename="modello.csv")
    assert values.rows and all(r.value is None for r in values.rows)


def test_the_template_lists_exactly_the_rows_the_demo_values_fill(plan: Plan) -> None:
    def keys(text: str) -> list[tuple[str, str, str]]:
        return sorted((r["indicator"], r["variable"], r["year"])
                      for r in csv.DictReader(io.StringIO(text)))

    template = write_template(plan, 2021)
    assert template.splitlines()[0] == "indicator,variable,year,value,period"
    assert keys(template) == keys((DATA_DIR / "demo_values_2021.csv").read_text("utf-8"))
    assert ("6.4.1", "follower_social", "2020") in keys(template)  # growth: last year too


@pytest.mark.parametrize("no_target", ["n.d.", "n.a.", "-", ""])
def test_the_template_does_not_ask_for_a_year_without_a_target(
        plan: Plan, no_target: str) -> None:
    def codes(text: str) -> set[str]:
        return {r["indicator"] for r in csv.DictReader(io.StringIO(text))}

    assert "3.1.1" in codes(write_template(plan, 2022))
    plan.indicator("3.1.1").targets[2022] = no_target
    assert "3.1.1" not in codes(write_template(plan, 2022))
    # a target the reader refuses still asks: it is scored once a person encodes it
    plan.indicator("3.1.1").targets[2022] = "Almeno 125 PA e almeno 2.800 soggetti"
    assert "3.1.1" in codes(write_template(plan, 2022))


# -- one value cell ------------------------------------------------------------------

VALUES = [
    ("92%", None, D("0.92")),
    ("92,5%", None, D("0.925")),
    ("-3%", None, D("-0.03")),
    ("1.234.567", None, D(1234567)),
    ("1.234,5", None, D("1234.5")),
    ("1234,5", None, D("1234.5")),
    ("1234.5", None, D("1234.5")),
    ("0.92", None, D("0.92")),
    ("€ 4.350.000", None, D(4350000)),
    ("4 350 000", None, D(4350000)),
    ("+12", None, D(12)),
    ("0", None, D(0)),
    ("sì", None, True),
    ("Si", None, True),
    ("yes", None, True),
    ("no", None, False),
    ("NO", None, False),
    ("1", VariableKind.YES_NO, True),
    ("0", VariableKind.YES_NO, False),
    ("1", VariableKind.NUMBER, D(1)),
    ("", None, None),
    ("   ", VariableKind.NUMBER, None),
]


@pytest.mark.parametrize(("text", "kind", "value"), VALUES)
def test_it_reads_a_value_cell(text: str, kind: VariableKind | None,
                               value: Decimal | bool | None) -> None:
    got = parse_value(text, kind)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(("text", "kind", "says"), [
    ("1.500", None, "ambiguo"),
    ("1.000", VariableKind.NUMBER, "ambiguo"),
    ("4.200.00", None, "non è un numero"),
    ("1,234,5", None, "non è un numero"),
    ("molti", None, "non è un numero"),
    ("%", None, "non è un numero"),
    ("€", None, "non è un numero"),
    ("1e5", None, "non è un numero"),
    ("NaN", None, "non è un numero"),
    ("5", VariableKind.YES_NO, "non è sì o no"),
    ("forse", VariableKind.YES_NO, "non è sì o no"),
])
def test_it_refuses_a_value_cell_saying_why(text: str, kind: VariableKind | None,
                                            says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_value(text, kind)


@given(st.text(), st.sampled_from([None, VariableKind.NUMBER, VariableKind.YES_NO]))
def test_any_cell_is_a_value_or_a_value_error(text: str, kind: VariableKind | None) -> None:
    try:
        value = parse_value(text, kind)
    except ValueError as exc:
        assert str(exc)
        return
    assert value is None or isinstance(value, bool | Decimal)
    if isinstance(value, Decimal) and not isinstance(value, bool):
        assert value.is_finite()


#: what people type in a number cell: a sign, a euro sign, digits with dots and commas, a '%'
NUMBER_LIKE = st.from_regex(r"[ ]?[+-]?[ ]?€?[ ]?[0-9]{0,4}([.,][0-9]{0,4}){0,3}[ ]?%?[ ]?",
                            fullmatch=True)


@given(NUMBER_LIKE, st.sampled_from([None, VariableKind.NUMBER]))
def test_any_number_like_cell_is_a_number_or_a_value_error(text: str,
                                                           kind: VariableKind | None) -> None:
    with contextlib.suppress(ValueError):
        value = parse_value(text, kind)
        assert value is None or (isinstance(value, Decimal) and value.is_finite())


def test_a_yes_no_word_in_a_number_variable_is_refused() -> None:
    from cruscotto.core.values import VariableKind
    from cruscotto.io.values_csv import parse_value

    with pytest.raises(ValueError, match="è sì/no, ma questa variabile è un numero"):
        parse_value("sì", VariableKind.NUMBER)
