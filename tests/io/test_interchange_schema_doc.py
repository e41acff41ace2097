"""The schema, the documentation and the code describe the same format."""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from cruscotto.core import plan as core
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps, loads, plan_schema, plan_to_dict
from cruscotto.io.plan_format_doc import render
from cruscotto.io.plan_schema import resolve

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "plan-format.md"


def doc_example() -> str:
    m = re.search(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), re.S)
    assert m, "docs/plan-format.md has no YAML example"
    return m.group(1)


def test_it_ships_a_valid_draft_2020_12_schema() -> None:
    schema = plan_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_it_declares_the_schema_version_of_the_core_model() -> None:
    assert plan_schema()["properties"]["schema_version"]["const"] == core.SCHEMA_VERSION


def test_it_keeps_the_doc_field_tables_in_step_with_the_schema() -> None:
    text = DOC.read_text("utf-8")
    assert render(text) == text, (
        "docs/plan-format.md is out of date; run "
        "`.venv/bin/python -m cruscotto.io.plan_format_doc docs/plan-format.md`")


def test_it_documents_a_default_for_every_optional_field() -> None:
    schema = plan_schema()
    objects = [schema, *(d for d in schema["$defs"].values() if d.get("type") == "object")]
    for obj in objects:
        for name, prop in obj["properties"].items():
            assert "description" in prop, f"{obj['title']}.{name} has no description"
            if name not in obj.get("required", []):
                assert "default" in prop, f"{obj['title']}.{name} is optional without a default"


def test_it_loads_the_example_of_the_doc() -> None:
    plan = loads(doc_example(), "yaml", filename="docs/plan-format.md")
    assert [i.code for i in plan.indicators] == ["3.1.1", "3.0.1"]
    assert plan.indicator("3.0.1").operational_code == ""
    assert 2023 not in plan.indicator("3.1.1").targets


def test_it_shows_in_the_doc_the_error_cruscotto_prints() -> None:
    text = DOC.read_text("utf-8")
    shown = re.search(r"Every error names the file.*?```\n(.*?)```", text, re.S)
    assert shown, "docs/plan-format.md lost its sample error"
    bad = doc_example().replace("'2022': '>=320'", "'2022': 320").replace(
        "  kind: efficacia", "  knid: efficacia")
    with pytest.raises(InputError) as caught:
        loads(bad, "yaml", filename="piano.yaml")
    assert str(caught.value) + "\n" == shown.group(1)


def _walk(value: Any, schema: dict[str, Any], where: str) -> list[tuple[str, list[str], dict]]:
    """Every mapping of a document with its schema: (path, keys as written, schema)."""
    schema = resolve(schema)
    found = []
    if isinstance(value, dict) and "properties" in schema:
        found.append((where, list(value), schema))
        for key, item in value.items():
            found += _walk(item, schema["properties"][key], f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            found += _walk(item, schema["items"], f"{where}[{n}]")
    return found


def test_it_writes_every_field_in_the_order_the_schema_documents() -> None:
    data = plan_to_dict(loads(doc_example(), "yaml"))
    mappings = _walk(data, plan_schema(), "plan")
    assert len(mappings) > 10
    for where, keys, schema in mappings:
        assert keys == list(schema["properties"]), where


def test_it_fills_in_the_documented_default_of_a_field_left_out() -> None:
    written = yaml.safe_load(doc_example())
    exported = plan_to_dict(loads(doc_example(), "yaml"))
    checked = 0
    for where, keys, schema in _walk(written, plan_schema(), ""):
        value = _at(exported, where)
        for name, prop in schema["properties"].items():
            if name not in keys and name not in schema.get("required", []):
                assert value[name] == prop["default"], f"{where}.{name}"
                checked += 1
    assert checked > 10


def _at(data: Any, where: str) -> Any:
    for part in re.findall(r"\.(\w+)|\[(\d+)\]", where):
        data = data[part[0]] if part[0] else data[int(part[1])]
    return data


# Core dataclass field -> key in the file, where the names differ.
RENAMED = {
    "strategic_code": "strategic_objective",
    "operational_code": "operational_objective",
    "mission_code": "mission",
    "programme_code": "programme",
    "mission_codes": "missions",
    "bands": "status_bands",
}
CORE_OBJECTS = {
    core.Plan: "", core.Organisation: "organisation", core.Mission: "mission",
    core.Programme: "programme", core.StrategicObjective: "strategic_objective",
    core.OperationalObjective: "operational_objective", core.Indicator: "indicator",
    core.ResponsibilityCentre: "centre", core.DataSource: "data_source", core.SourceRef: "source",
    core.Variable: "variable", core.StatusBands: "status_bands",
}


def test_it_carries_every_field_of_the_core_model() -> None:
    """A field added to the core model must be added to the format, or exports would lose it."""
    schema = plan_schema()
    for cls, name in CORE_OBJECTS.items():
        props = set((schema["$defs"][name] if name else schema)["properties"])
        fields = {RENAMED.get(f.name, f.name) for f in dataclasses.fields(cls)}
        extra = {"format", "schema_version"} if cls is core.Plan else set()
        assert fields | extra == props, cls.__name__


def test_it_ships_the_schema_file_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["cruscotto"]
    assert any(fnmatch.fnmatch("io/plan.schema.json", p) for p in patterns), (
        'add "io/*.json" to [tool.setuptools.package-data] cruscotto in pyproject.toml')


def test_it_describes_exports_the_schema_accepts() -> None:
    data = yaml.safe_load(dumps(loads(doc_example(), "yaml"), "yaml"))
    assert list(Draft202012Validator(plan_schema()).iter_errors(data)) == []
