"""A plan file of schema_version 1 (before the engine fields) is still read, as it meant."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cruscotto.core.plan import SCHEMA_VERSION, StatusBands
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps, loads, plan_to_dict
from cruscotto.io.plan_schema import schema_of_version

# As a release of version 1 wrote it (every field of version 1, defaults included).
V1 = """\
format: cruscotto-plan
schema_version: 1
organisation:
  name: Ente di prova
  code: EP
title: Piano 2021-2023
years:
- 2021
- 2022
- 2023
missions:
- code: '011'
  name: Competitività
  programmes: []
  source:
    file: ''
    line: null
strategic_objectives:
- code: '3'
  title: IMPRESE
  narrative: ''
  missions:
  - '011'
  source:
    file: ''
    line: null
operational_objectives: []
indicators:
- code: 3.0.1
  name: Imprese assistite
  strategic_objective: '3'
  operational_objective: null
  mission: '011'
  programme: null
  description: ''
  kind: efficacia
  unit: numero
  data_sources:
  - Contabilità
  formula_text: n. imprese assistite
  targets:
    '2021': '>=300'
  centres:
  - Area Sviluppo
  source:
    file: piano.txt
    line: 12
centres:
- key: area-sviluppo
  name: Area Sviluppo
data_sources:
- key: contabilita
  name: Contabilità
source:
  file: piano.txt
  line: 1
"""


def test_it_reads_a_version_1_file_with_the_engine_fields_at_their_defaults() -> None:
    plan = loads(V1, "yaml", filename="piano.yaml")
    ind = plan.indicator("3.0.1")
    assert (ind.formula_text, ind.targets, ind.centres) == (
        "n. imprese assistite", {2021: ">=300"}, ["Area Sviluppo"])
    assert (ind.formula, ind.measures, ind.polarity, ind.polarity_inferred) == (
        "", {}, None, False)
    assert ind.weight == Decimal(1)
    assert plan.variables == []
    assert plan.bands == StatusBands(green=Decimal(100), yellow=Decimal(70))


def test_it_writes_a_version_1_plan_back_as_the_current_version() -> None:
    out = dumps(loads(V1, "yaml"), "yaml")
    assert f"\nschema_version: {SCHEMA_VERSION}\n" in out
    # the current version reads it to the same plan, and writes the same bytes again
    assert loads(out, "yaml") == loads(V1, "yaml")
    assert dumps(loads(out, "yaml"), "yaml") == out


def test_a_version_1_file_is_what_the_current_writer_gives_less_the_new_fields() -> None:
    written = plan_to_dict(loads(V1, "yaml"))
    written["schema_version"] = 1
    for ind in written["indicators"]:
        for name in ("formula", "measures", "polarity", "polarity_inferred", "weight",
                     "definitions", "baselines", "readings"):
            del ind[name]
    del written["variables"], written["status_bands"]
    assert loads(json.dumps(written), "json") == loads(V1, "yaml")


def test_it_checks_a_version_1_file_against_version_1() -> None:
    schema = schema_of_version(1)
    assert schema["properties"]["schema_version"]["const"] == 1
    assert "variables" not in schema["properties"]
    assert "weight" not in schema["$defs"]["indicator"]["properties"]


@pytest.mark.parametrize(("needle", "field", "path"), [
    ("  formula_text: n. imprese assistite\n", "formula", "indicators[0].formula"),
    ("  formula_text: n. imprese assistite\n", "weight", "indicators[0].weight"),
    ("centres:\n- key", "variables", "variables"),
])
def test_it_refuses_a_field_of_version_2_in_a_version_1_file_and_says_why(
    needle: str, field: str, path: str,
) -> None:
    value = "[]" if field == "variables" else "'1'"
    indent = "" if field == "variables" else "  "
    text = V1.replace(needle, f"{indent}{field}: {value}\n{needle}")
    with pytest.raises(InputError) as caught:
        loads(text, "yaml", filename="piano.yaml")
    err = caught.value
    assert err.field == path
    assert err.message.endswith(
        f"unknown field {field!r} in a schema_version 1 file (it came with schema_version 2: "
        "write schema_version: 2)")
    assert text.splitlines()[err.line - 1].lstrip().startswith(f"{field}:")
    # with the version raised, the same file is read
    loads(text.replace("schema_version: 1", "schema_version: 2"), "yaml")
