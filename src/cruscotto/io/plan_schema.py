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


@functools.cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(plan_schema())


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
