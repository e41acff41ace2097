"""A malformed YAML plan is refused with the file, line and field of the fault."""

from __future__ import annotations

import pytest

from cruscotto.io.errors import InputError
from cruscotto.io.interchange import loads

PLAN = """\
format: cruscotto-plan
schema_version: 1
organisation:
  name: Camera di Commercio di Milano Monza Brianza Lodi
title: Piano della Performance 2021-2023
years: [2021, 2022, 2023]
missions:
- code: '011'
  name: Competitività e sviluppo delle imprese
  programmes:
  - code: '005'
    name: Promozione
    budget: '19350072'
strategic_objectives:
- code: '3'
  title: IMPRESE SOLIDE
  missions: ['011']
operational_objectives:
- code: '3.1'
  title: INNOVAZIONE
  strategic_objective: '3'
  mission: '011'
indicators:
- code: 3.1.1
  name: Grado di utilizzo del budget
  strategic_objective: '3'
  operational_objective: '3.1'
  mission: '011'
  unit: percentuale
  targets:
    '2021': '>=90%'
    '2022': '>=92%'
  centres: [Area Sviluppo]
centres:
- key: area-sviluppo
  name: Area Sviluppo
data_sources: []
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line holding ``needle`` (which must occur once)."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def refuse(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        loads(text, "yaml", filename="piano.yaml")
    return caught.value


def test_it_accepts_the_well_formed_plan() -> None:
    plan = loads(PLAN, "yaml")
    assert plan.missions[0].programmes[0].budget is not None
    assert plan.indicator("3.1.1").targets == {2021: ">=90%", 2022: ">=92%"}


def test_it_reports_a_syntax_error_with_line_and_column() -> None:
    text = PLAN.replace("  centres: [Area Sviluppo]", "  centres: [Area Sviluppo")
    err = refuse(text)
    assert err.file == "piano.yaml"
    assert err.line == line_of(text, "centres:\n- key")
    assert str(err).startswith(f"piano.yaml:{err.line}: YAML syntax error: ")
    assert "(column 8)" in err.message  # the colon after "centres", where the list reads on


def test_it_reports_bad_indentation_where_it_happens() -> None:
    text = PLAN.replace("  unit: percentuale", "   unit: percentuale")
    err = refuse(text)
    assert err.line == line_of(text, "   unit: percentuale")
    assert "YAML syntax error" in err.message


def test_it_reports_a_field_of_the_wrong_type_and_says_to_quote_it() -> None:
    text = PLAN.replace("'2022': '>=92%'", "'2022': 92")
    err = refuse(text)
    assert err.line == line_of(text, "'2022': 92")
    assert err.field == "indicators[0].targets.2022"
    assert err.message == ("indicator 3.1.1: wrong type: found the number 92; "
                           "in YAML, put it in quotes to make it text")


def test_it_refuses_a_code_yaml_reads_as_a_number() -> None:
    text = PLAN.replace("- code: '011'", "- code: 011")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "- code: 011"), "missions[0].code")
    assert "found the number 9" in err.message  # YAML 1.1 reads 011 as octal
    assert "put it in quotes" in err.message


def test_it_refuses_yes_no_where_text_is_expected() -> None:
    text = PLAN.replace("unit: percentuale", "unit: no")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "unit: no"), "indicators[0].unit")
    assert "found a yes/no value (false)" in err.message


def test_it_reports_a_missing_required_field() -> None:
    text = PLAN.replace("  operational_objective: '3.1'\n", "")
    err = refuse(text)
    assert err.line == line_of(text, "- code: 3.1.1")
    assert err.field == "indicators[0].operational_objective"
    assert err.message == "indicator 3.1.1: missing required field 'operational_objective'"
    assert err.expected == "a code written as text, or null"


def test_it_refuses_an_unknown_key() -> None:
    text = PLAN.replace("  unit: percentuale", "  unita: percentuale")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "unita:"), "indicators[0].unita")
    assert err.message == "indicator 3.1.1: unknown field 'unita' (did you mean 'unit'?)"


def test_it_refuses_an_unknown_key_at_the_top_level() -> None:
    text = PLAN + "note: bozza\n"
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "note:"), "note")


def test_it_refuses_a_duplicate_key() -> None:
    text = PLAN.replace("  unit: percentuale", "  unit: percentuale\n  unit: numero")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "unit: numero"), "indicators[0].unit")
    assert err.message == f"duplicate key 'unit' (first at line {err.line - 1})"


def test_it_treats_a_quoted_and_a_bare_year_as_the_same_key() -> None:
    text = PLAN.replace("'2022': '>=92%'", "2021: '>=92%'")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "2021: '>=92%'"), "indicators[0].targets.2021")
    assert "duplicate key '2021'" in err.message


def test_it_refuses_a_target_year_that_is_not_a_year() -> None:
    text = PLAN.replace("'2022': '>=92%'", "'2O22': '>=92%'")  # a letter O
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "'2O22'"), "indicators[0].targets.2O22")
    assert err.message == "indicator 3.1.1: invalid key '2O22'"
    assert err.expected == 'a year of four digits, like "2021"'


def test_it_refuses_a_plan_year_out_of_range() -> None:
    text = PLAN.replace("[2021, 2022, 2023]", "[2021, 2022, 223]")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "years:"), "years[2]")
    assert err.message == "223 is out of range"


def test_it_refuses_an_empty_target() -> None:
    text = PLAN.replace("'2022': '>=92%'", "'2022': ''")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "'2022': ''"), "indicators[0].targets.2022")
    assert "must not be empty" in err.message


def test_it_refuses_aliases() -> None:
    text = PLAN.replace("  centres: [Area Sviluppo]", "  centres: &c [Area Sviluppo]").replace(
        "data_sources: []", "data_sources: *c")
    err = refuse(text)
    assert err.line == line_of(text, "*c")
    assert "aliases" in err.message


def test_it_refuses_python_tags() -> None:
    text = PLAN.replace("unit: percentuale", "unit: !!python/name:os.system ''")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "!!python"), "indicators[0].unit")
    assert "unsupported YAML tag" in err.message


def test_it_refuses_two_documents_in_one_file() -> None:
    err = refuse(PLAN + "---\n" + PLAN)
    assert err.line == PLAN.count("\n") + 1
    assert "single document" in err.message


def test_it_refuses_an_empty_file() -> None:
    err = refuse("# nothing here\n")
    assert (err.line, err.message) == (1, "the file is empty")


def test_it_refuses_a_schema_version_it_does_not_know() -> None:
    # a field this release does not know must not hide the real reason
    text = PLAN.replace("schema_version: 1", "schema_version: 4").replace("unit:", "colour:")
    err = refuse(text)
    assert (err.line, err.field) == (2, "schema_version")
    assert err.message == "schema_version 4 is not supported (written by a newer Cruscotto)"
    assert err.expected == "schema_version 1 or 2 or 3"


def test_it_refuses_a_schema_version_older_than_the_first() -> None:
    err = refuse(PLAN.replace("schema_version: 1", "schema_version: 0"))
    assert (err.line, err.field) == (2, "schema_version")
    assert err.message == "schema_version 0 is not supported"
