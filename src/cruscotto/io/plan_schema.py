"""The JSON Schema of the plan interchange format, and its words for people.

The schema (``plan.schema.json``, draft 2020-12) is the one description of the
format: the reader validates against it, error messages quote its titles, and
the field tables of ``docs/plan-format.md`` are generated from it.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


@functools.cache
def _schema_text() -> str:
    return resources.files("cruscotto.io").joinpath("plan.schema.json").read_text("utf-8")


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the format (a fresh copy; the caller may change it)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


#: The fields each version added, by object ("plan" for the whole document,
#: otherwise its name in ``$defs``). A file of an older version is checked
#: against the schema without the later fields, so a version 1 file that uses
#: one is refused as it always was, with a word on the version that has it.
ADDED_IN: dict[int, dict[str, tuple[str, ...]]] = {
    2: {
        "plan": ("variables", "status_bands"),
        "indicator": ("formula", "measures", "polarity", "polarity_inferred", "weight"),
    },
    3: {
        "plan": ("public_values",),
        "indicator": ("definitions", "baselines", "readings"),
    },
}


def current_version() -> int:
    """The version Cruscotto writes (the schema's ``const``)."""
    version: int = plan_schema()["properties"]["schema_version"]["const"]
    return version


def readable_versions() -> tuple[int, ...]:
    """Every version Cruscotto reads: the current one and every one before it."""
    return tuple(range(1, current_version() + 1))


def schema_of_version(version: int) -> dict[str, Any]:
    """The schema as it was in ``version``: the current one without later fields."""
    schema = plan_schema()
    schema["properties"]["schema_version"].update(const=version, title=f"the number {version}")
    for added, objects in ADDED_IN.items():
        if added <= version:
            continue
        for obj, names in objects.items():
            target = schema if obj == "plan" else schema["$defs"][obj]
            for name in names:
                del target["properties"][name]
    return schema


def added_in(obj: dict[str, Any], name: str) -> int | None:
    """The version that added field ``name`` to the object the schema ``obj`` describes."""
    schema = plan_schema()
    for version, objects in ADDED_IN.items():
        for where, names in objects.items():
            owner = schema if where == "plan" else schema["$defs"][where]
            if name in names and obj.get("title") == owner["title"]:
                return version
    return None


@functools.cache
def validator(version: int | None = None) -> Draft202012Validator:
    """The validator of ``version`` (the current one when not given)."""
    if version is None or version == current_version():
        return Draft202012Validator(plan_schema())
    return Draft202012Validator(schema_of_version(version))


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A property schema with its ``$ref`` merged in (local ``#/$defs/`` references only)."""
    ref = schema.get("$ref", "")
    if not ref.startswith("#/$defs/"):
        return schema
    target = resolve(plan_schema()["$defs"][ref.removeprefix("#/$defs/")])
    return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}


def describe(schema: dict[str, Any]) -> str:
    """What a value must look like, in words: ``a list of mappings (indicator)``."""
    schema = resolve(schema)
    if schema.get("type") == "object":
        title = schema.get("title")
        if title and "properties" in schema:
            return f"a mapping ({title.lower()})"
        return str(title) if title else "a mapping"
    if "title" in schema:
        return str(schema["title"])
    if schema.get("type") == "array":
        return f"a list of {_plural(describe(schema.get('items', {})))}"
    names = {"string": "text", "integer": "a whole number", "null": "null"}
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    return " or ".join(names.get(t, t) for t in types) or "a value"


def _plural(description: str) -> str:
    m = re.fullmatch(r"a mapping \((.*)\)", description)
    return f"mappings ({m.group(1)})" if m else description


def object_schemas() -> list[tuple[str, dict[str, Any]]]:
    """Every object of the format, the whole plan first, then the ``$defs`` in file order."""
    schema = plan_schema()
    objects = [("plan", schema)]
    objects += [(name, d) for name, d in schema["$defs"].items() if d.get("type") == "object"]
    return objects
