"""Reading formulas: the grammar, what a formula needs, and errors a user can act on."""

from __future__ import annotations

import pytest

from cruscotto.core.formula import FUNCTIONS, MAX_OFFSET, FormulaError, parse
from cruscotto.core.values import VariableKind

# text -> the formula as the engine reads it (only the parentheses needed)
CANONICAL = [
    ("contabilizzato/budget", "contabilizzato / budget"),
    ("(follower - follower[t-1]) / follower[t-1]", "(follower - follower[t-1]) / follower[t-1]"),
    ("a - (b - c)", "a - (b - c)"),
    ("(a - b) - c", "a - b - c"),
    ("a + b * c", "a + b * c"),
    ("(a + b) * c", "(a + b) * c"),
    ("-a * b", "-a * b"),
    ("-(a * b)", "-(a * b)"),
    ("2 * -3", "2 * -3"),
    ("x[t]", "x"),
    ("x[ t - 0 ]", "x"),
    ("x[t - 2]", "x[t-2]"),
    ("a ≤ b", "a <= b"),
    ("a ≥ b", "a >= b"),
    ("a ≠ b", "a != b"),
    ("a <> b", "a != b"),
    ("a × b ÷ c", "a * b / c"),
    ("not a and b", "not a and b"),
    ("not (a and b)", "not (a and b)"),
    ("a or b and c", "a or b and c"),
    ("(a or b) and c", "(a or b) and c"),
    ("not x > 1", "not x > 1"),
    ("(a > 1) == (b > 1)", "(a > 1) == (b > 1)"),
    ("IF(b == 0, 0, a / b)", "if(b == 0, 0, a / b)"),
    ("Min(a, 2, b)", "min(a, 2, b)"),
    ("abs(a - b)", "abs(a - b)"),
    ("realizzato AND spesa <= 4293180", "realizzato and spesa <= 4293180"),
    ("sì", "true"),
    ("SI == fatto", "true == fatto"),
    ("No", "false"),
    ("0.50 + 1", "0.50 + 1"),
    ("attività_svolte / attività_previste", "attività_svolte / attività_previste"),
]


@pytest.mark.parametrize(("text", "canonical"), CANONICAL)
def test_it_reads_the_grammar(text: str, canonical: str) -> None:
    f = parse(text)
    assert f.canonical == canonical
    # the canonical form reads back to the same formula
    assert parse(f.canonical).tree == f.tree


def test_it_lists_variables_with_the_years_they_are_read_at() -> None:
    f = parse("(accessi - accessi[t-1]) / accessi[t-1] + base[t-2] * 0")
    assert dict(f.variables) == {"accessi": frozenset({0, 1}), "base": frozenset({2})}
    assert f.names == {"accessi", "base"}
    assert f.needs(2022) == {("accessi", 2022), ("accessi", 2021), ("base", 2020)}
    assert [(r.name, r.offset, r.column) for r in f.references] == [
        ("accessi", 0, 2), ("accessi", 1, 12), ("base", 2, 43)]


def test_it_infers_the_kind_of_each_variable_and_of_the_result() -> None:
    f = parse("realizzato and spesa <= cap")
    assert f.variable_kinds == {
        "cap": VariableKind.NUMBER, "realizzato": VariableKind.YES_NO,
        "spesa": VariableKind.NUMBER}
    assert f.result_kind is VariableKind.YES_NO
    assert parse("a / b").result_kind is VariableKind.NUMBER
    # a bare variable could be either
    assert parse("fatto").result_kind is None
    assert parse("if(c, x, 1)").variable_kinds == {
        "c": VariableKind.YES_NO, "x": VariableKind.NUMBER}


def test_it_offers_the_documented_functions() -> None:
    assert set(FUNCTIONS) == {"min", "max", "abs", "if"}


def test_it_exports_its_description_as_data() -> None:
    data = parse("a[t-1] / b").as_dict()
    assert data == {
        "text": "a[t-1] / b", "canonical": "a[t-1] / b",
        "variables": {"a": [1], "b": [0]},
        "variable_kinds": {"a": "number", "b": "number"}, "result_kind": "number",
    }


# text, column, token, the start of the message, what was expected
ERRORS = [
    ("", 1, "", "the formula is empty", "an expression"),
    ("   ", 4, "", "the formula is empty", "an expression"),
    ("a +", 4, "", "the formula ends too early", "a number, a name"),
    ("a + * b", 5, "*", "unexpected '*'", "a number, a name"),
    ("(a + b", 7, "", "'(' at column 1 is never closed", "')'"),
    ("a + b)", 6, ")", "')' without a matching '('", "an operator"),
    ("()", 2, ")", "empty parentheses", "a number"),
    ("a b", 3, "b", "unexpected 'b'", "an operator, ')' or the end"),
    ("a = b", 3, "=", "a single '=' is not a comparison", "'=='"),
    ("a ! b", 3, "!", "'!' must be followed by '='", "'!='"),
    ("a < b < c", 7, "<", "comparisons cannot be chained", "'and', 'or'"),
    ("a == b != c", 8, "!=", "comparisons cannot be chained", "'and', 'or'"),
    ("x[t+1]", 4, "+", "a formula cannot read a future year", "'-' or ']'"),
    ("x[y-1]", 3, "y", "a year reference is written [t] or [t-1]", "'t'"),
    ("x[t-a]", 5, "a", "expected a whole number of years", "a whole number"),
    ("x[t-1.5]", 5, "1.5", "expected a whole number of years", "a whole number"),
    (f"x[t-{MAX_OFFSET + 1}]", 5, str(MAX_OFFSET + 1), "a formula can look back at most",
     "a number from 0"),
    ("x[t-1", 6, "", "expected ']'", "']'"),
    ("somma(a)", 1, "somma", "unknown function 'somma'", "one of abs, if, max, min"),
    ("max", 4, "", "'max' is a function, not a variable", "'(' after 'max'"),
    ("min()", 5, ")", "min(a, b, ...) takes at least 1 argument(s), found 0", "at least 1"),
    ("abs(a, b)", 9, ")", "abs(a) takes 1 argument(s), found 2", "1 argument"),
    ("if(a, b)", 8, ")", "if(condition, a, b) takes 3 argument(s), found 2", "3 argument"),
    ("max(a b)", 7, "b", "unexpected 'b' in the arguments of max", "',' or ')'"),
    ("max(a, b", 9, "", "'(' at column 4 is never closed", "',' or ')'"),
    ("1 + true", 5, "true", "this is a yes/no value, but a number is needed here", "a number"),
    ("not 3", 5, "3", "this is a number, but yes/no is needed here", "yes/no"),
    ("x and x > 1", 7, "x", "'x' is used as yes/no at column 1 and as a number here", "yes/no"),
    ("(a > b) + 1", 4, ">", "'>' gives yes/no, but a number is needed here", "a number"),
    ("if(a, 1, true)", 10, "true", "this is a yes/no value, but a number is needed", "a number"),
    ("if(1, a, b)", 4, "1", "this is a number, but yes/no is needed here", "yes/no"),
    ("a == not b", 6, "not", "put 'not ...' in parentheses here", "'(' before 'not'"),
    ("a and", 6, "", "the formula ends too early", "a number"),
    ("and a", 1, "and", "'and' needs a value before it", "a number"),
    ("1.", 3, "", "a number cannot end with '.'", "a digit"),
    (".5", 1, ".", "a number must start with a digit", "a digit"),
    ("2x", 2, "x", "a name cannot start with a digit", "an operator"),
    ("a * 5%", 6, "%", "formulas work on plain numbers and fractions", "an operator"),
    ("1,5", 2, ",", "decimals are written with '.'", "an operator"),
    ("a $ b", 3, "$", "unexpected character '$'", "a number, a name or an operator"),
]


@pytest.mark.parametrize(("text", "column", "token", "message", "expected"), ERRORS)
def test_it_says_where_a_formula_is_wrong_and_what_was_expected(
    text: str, column: int, token: str, message: str, expected: str
) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    err = info.value
    assert (err.column, err.token) == (column, token), str(err)
    assert err.message.startswith(message), err.message
    assert err.expected.startswith(expected), err.expected
    assert str(err).startswith(f"column {column}: ")
    assert err.pointer().splitlines()[1] == " " * (column - 1) + "^"


def test_it_refuses_keywords_as_variable_names() -> None:
    for word in ("and", "or", "if", "true", "no"):
        with pytest.raises(FormulaError):
            parse(f"{word} + 1")


def test_it_bounds_nesting_instead_of_exhausting_the_stack() -> None:
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse("-" * 500 + "1")
    with pytest.raises(FormulaError, match="too long to evaluate safely"):
        parse(" + ".join(["a"] * 1000))
    # a long but reasonable formula is fine
    assert parse(" + ".join(f"m{i}" for i in range(1, 13))).names == {
        f"m{i}" for i in range(1, 13)}


def test_it_never_evaluates_user_text_as_python() -> None:
    for text in ("__import__('os')", "a.__class__", "lambda: 1", "exec('1')"):
        with pytest.raises(FormulaError):
            parse(text)
