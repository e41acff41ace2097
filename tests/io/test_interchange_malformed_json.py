"""A malformed JSON plan is refused with the file, line and field of the fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.io.errors import InputError
from cruscotto.io.interchange import load_path, loads

PLAN = """\
{
  "format": "cruscotto-plan",
  "schema_version": 1,
  "organisation": {"name": "Camera di Commercio di Milano Monza Brianza Lodi"},
  "title": "Piano della Performance 2021-2023",
  "years": [2021, 2022, 2023],
  "missions": [
    {"code": "011", "name": "Competitività e sviluppo delle imprese", "programmes": []}
  ],
  "strategic_objectives": [
    {"code": "3", "title": "IMPRESE SOLIDE", "missions": ["011"]}
  ],
  "operational_objectives": [
    {"code": "3.1", "title": "INNOVAZIONE", "strategic_objective": "3", "mission": "011"}
  ],
  "indicators": [
    {
      "code": "3.1.1",
      "name": "Grado di utilizzo del budget",
      "strategic_objective": "3",
      "operational_objective": "3.1",
      "mission": "011",
      "targets": {"2021": ">=90%", "2022": ">=92%"},
      "centres": ["Area Sviluppo"]
    }
  ],
  "centres": [{"key": "area-sviluppo", "name": "Area Sviluppo"}],
  "data_sources": []
}
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line holding ``needle`` (which must occur once)."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def refuse(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        loads(text, "json", filename="piano.json")
    return caught.value


def test_it_accepts_the_well_formed_plan() -> None:
    assert loads(PLAN, "json").indicator("3.1.1").targets == {2021: ">=90%", 2022: ">=92%"}


def test_it_reports_a_syntax_error_with_line_and_column() -> None:
    text = PLAN.replace('"title": "Piano della Performance 2021-2023",',
                        '"title": "Piano della Performance 2021-2023"')
    err = refuse(text)
    assert err.file == "piano.json"
    assert err.line == line_of(text, '"years"')
    assert str(err).startswith(f"piano.json:{err.line}: JSON syntax error: Expecting ',' delimiter")
    assert "(column 3)" in str(err)


def test_it_reports_a_field_of_the_wrong_type() -> None:
    text = PLAN.replace('"2022": ">=92%"', '"2022": 92')
    err = refuse(text)
    assert err.line == line_of(text, '"targets"')
    assert err.field == "indicators[0].targets.2022"
    assert "indicator 3.1.1: wrong type: found the number 92" in err.message
    assert err.expected == 'target text, like ">=90%"'


def test_it_reports_a_missing_required_field() -> None:
    text = PLAN.replace('      "name": "Grado di utilizzo del budget",\n', "")
    err = refuse(text)
    assert err.line == line_of(text, '    {\n      "code": "3.1.1"')  # where the object opens
    assert err.field == "indicators[0].name"
    assert err.message == "indicator 3.1.1: missing required field 'name'"
    assert f"piano.json:{err.line}:" in str(err)


def test_it_refuses_an_unknown_key_and_suggests_the_right_one() -> None:
    text = PLAN.replace('"name": "Grado di utilizzo del budget"', '"nmae": "Grado di utilizzo"')
    err = refuse(text)
    assert err.line == line_of(text, '"nmae"')
    assert err.field == "indicators[0].nmae"
    assert "unknown field 'nmae' (did you mean 'name'?)" in err.message
    # the missing "name" is reported too, in the same error
    assert any("missing required field 'name'" in p for p in err.problems)


def test_it_refuses_a_duplicate_key() -> None:
    text = PLAN.replace('"mission": "011",\n      "targets"',
                        '"mission": "011",\n      "mission": "016",\n      "targets"')
    err = refuse(text)
    assert err.line == line_of(text, '"mission": "016"')
    assert err.field == "indicators[0].mission"
    assert err.message == f"duplicate key 'mission' (first at line {err.line - 1})"


def test_it_refuses_a_target_year_that_is_not_a_year() -> None:
    text = PLAN.replace('"2022": ">=92%"', '"22": ">=92%"')
    err = refuse(text)
    assert err.line == line_of(text, '"targets"')
    assert err.field == "indicators[0].targets.22"
    assert err.expected == 'a year of four digits, like "2021"'


def test_it_refuses_a_plan_year_written_as_text() -> None:
    text = PLAN.replace("[2021, 2022, 2023]", '[2021, "2022", 2023]')
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, '"years"'), "years[1]")
    assert "wrong type: found text ('2022')" in err.message


def test_it_refuses_a_budget_written_as_a_number() -> None:
    text = PLAN.replace('"programmes": []',
                        '"programmes": [{"code": "005", "name": "P", "budget": 1.5}]')
    err = refuse(text)
    assert err.field == "missions[0].programmes[0].budget"
    assert "mission 011: wrong type: found the number 1.5" in err.message
    assert "decimal number written as text" in err.expected


def test_it_refuses_nan() -> None:
    text = PLAN.replace("[2021, 2022, 2023]", "[2021, NaN, 2023]")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "NaN"), "years[1]")


def test_it_lists_every_fault_of_the_file_in_line_order() -> None:
    text = PLAN.replace('"title": "IMPRESE SOLIDE"', '"title": 3').replace(
        '"key": "area-sviluppo"', '"key": ""')
    err = refuse(text)
    assert err.line == line_of(text, '"title": 3')
    assert len(err.problems) == 1
    key_line = line_of(text, '"key": ""')
    assert err.problems[0].startswith(f"line {key_line}: centre Area Sviluppo: must not be empty")


def test_it_refuses_a_file_that_is_not_a_plan() -> None:
    err = refuse('{"type": "FeatureCollection", "features": []}\n')
    assert err.line == 1
    assert "not a Cruscotto plan" in err.message


def test_it_names_the_file_it_read(tmp_path: Path) -> None:
    path = tmp_path / "piano.json"
    path.write_text(PLAN.replace('"years": [2021', '"years": [1821'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_path(path)
    years_line = line_of(PLAN, '"years"')
    assert str(caught.value).startswith(f"{path}:{years_line}: 1821 is out of range")
