"""A well-formed file holding an unsound plan is refused with every offending code listed."""

from __future__ import annotations

import pytest

from cruscotto.io.errors import InputError
from cruscotto.io.interchange import loads, plan_from_dict, plan_to_dict

PLAN = """\
format: cruscotto-plan
schema_version: 1
organisation:
  name: Ente di prova
title: Piano 2021-2023
years: [2021, 2022, 2023]
missions:
- code: '011'
  name: Competitività
  programmes: []
- code: '016'
  name: Internazionalizzazione
  programmes: []
strategic_objectives:
- code: '3'
  title: IMPRESE
  missions: ['011', '016']
operational_objectives:
- code: '3.1'
  title: INNOVAZIONE
  strategic_objective: '3'
  mission: '011'
- code: '3.2'
  title: EXPORT
  strategic_objective: '3'
  mission: '016'
indicators:
- code: 3.1.1
  name: Primo
  strategic_objective: '3'
  operational_objective: '3.1'
  mission: '011'
  targets: {'2021': '>=90%'}
  centres: [Area Sviluppo]
- code: 3.2.1
  name: Secondo
  strategic_objective: '3'
  operational_objective: '3.2'
  mission: '016'
  targets: {'2021': '+10%'}
  centres: [Area Sviluppo]
- code: 3.0.1
  name: Terzo
  strategic_objective: '3'
  operational_objective: null
  mission: '011'
  targets: {}
  centres: [Area Sviluppo]
centres:
- key: area-sviluppo
  name: Area Sviluppo
data_sources: []
"""


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def refuse(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        loads(text, "yaml", filename="piano.yaml")
    return caught.value


def test_it_accepts_the_sound_plan() -> None:
    assert [i.code for i in loads(PLAN, "yaml").indicators] == ["3.1.1", "3.2.1", "3.0.1"]


def test_it_refuses_duplicate_indicator_codes_pointing_at_the_repeat() -> None:
    text = PLAN.replace("- code: 3.0.1\n  name: Terzo\n  strategic_objective: '3'\n"
                        "  operational_objective: null",
                        "- code: 3.1.1\n  name: Terzo\n  strategic_objective: '3'\n"
                        "  operational_objective: '3.1'")
    err = refuse(text)
    assert err.file == "piano.yaml"
    assert (err.line, err.field) == (line_of(text, "name: Terzo") - 1, "indicators[2]")
    assert err.message == "the plan is not valid (1 problem)"
    assert err.problems == ["duplicate indicator code '3.1.1'"]
    assert "\n  - duplicate indicator code '3.1.1'" in str(err)


def test_it_lists_every_code_that_does_not_match_its_parent() -> None:
    text = (PLAN.replace("- code: 3.2.1", "- code: 3.3.1")
            .replace("- code: 3.0.1\n  name: Terzo\n  strategic_objective: '3'",
                     "- code: 4.0.1\n  name: Terzo\n  strategic_objective: '3'"))
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "- code: 3.3.1"), "indicators[1]")
    assert err.message == "the plan is not valid (2 problems)"
    assert len(err.problems) == 2
    assert "indicator 3.3.1: code does not match its operational objective '3.2'" in err.problems
    assert "indicator 4.0.1: code does not match its strategic objective '3'" in err.problems


def test_it_refuses_an_operational_objective_filed_under_another_strategic_objective() -> None:
    text = PLAN.replace("- code: '3.2'", "- code: '4.2'").replace(
        "operational_objective: '3.2'", "operational_objective: '4.2'")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "- code: '4.2'"), "operational_objectives[1]")
    assert any(p.startswith("operational objective 4.2: code does not match") for p in err.problems)
    assert any(p.startswith("indicator 3.2.1: code does not match") for p in err.problems)


def test_it_refuses_references_to_things_the_plan_does_not_hold() -> None:
    text = (PLAN.replace("  mission: '016'\n  targets", "  mission: '099'\n  targets")
            .replace("targets: {'2021': '+10%'}", "targets: {'2025': '+10%'}")
            .replace("  centres: [Area Sviluppo]\ncentres:", "  centres: [Area Estero]\ncentres:"))
    err = refuse(text)
    assert err.problems == [
        "indicator 3.2.1: unknown mission '099'",
        "indicator 3.2.1: target for 2025, outside the plan years",
        "indicator 3.0.1: unknown centre 'Area Estero'",
    ]
    assert (err.line, err.field) == (line_of(text, "- code: 3.2.1"), "indicators[1]")


def test_it_checks_plain_data_the_same_way_without_lines() -> None:
    plan = loads(PLAN, "yaml")
    plan.indicators[2].code = "3.1.1"
    plan.indicators[2].operational_code = "3.1"
    with pytest.raises(InputError) as caught:
        plan_from_dict(plan_to_dict(plan), filename="api")
    err = caught.value
    assert (err.file, err.line, err.field) == ("api", None, "indicators[2]")
    assert err.problems == ["duplicate indicator code '3.1.1'"]
