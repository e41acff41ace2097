"""Generate the field tables of ``docs/plan-format.md`` from the plan schema.

The tables sit between two marker lines in the document; everything else in
it is written by hand. A test fails when the committed tables differ from the
schema; to refresh them run::

    .venv/bin/python -m cruscotto.io.plan_format_doc docs/plan-format.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cruscotto.io.plan_schema import describe, object_schemas, resolve

BEGIN = (
    "<!-- BEGIN field tables: generated from src/cruscotto/io/plan.schema.json by "
    "`python -m cruscotto.io.plan_format_doc docs/plan-format.md`; do not edit by hand -->"
)
END = "<!-- END field tables -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _required(name: str, prop: dict[str, Any], required: list[str]) -> str:
    if name in required:
        return "yes"
    if "default" in prop:
        return f"no (default `{json.dumps(prop['default'], ensure_ascii=False)}`)"
    return "no"


def field_tables() -> str:
    """The Markdown tables, one per object of the format, keys in the order files hold them."""
    parts: list[str] = []
    for name, schema in object_schemas():
        title = "Plan (the whole file)" if name == "plan" else schema["title"]
        parts.append(f"### {title}\n")
        parts.append(f"{schema['description']}\n")
        parts.append("| Key | Value | Required | Meaning |")
        parts.append("| --- | --- | --- | --- |")
        required = schema.get("required", [])
        for key, prop in schema["properties"].items():
            parts.append(
                f"| `{key}` | {_cell(describe(prop))} | {_required(key, prop, required)} "
                f"| {_cell(resolve(prop).get('description', ''))} |")
        parts.append("")
    return "\n".join(parts)


def render(document: str) -> str:
    """``document`` with the text between the markers replaced by fresh tables."""
    head, sep, rest = document.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError("the document lacks the field-table markers")
    return f"{head}{BEGIN}\n\n{field_tables()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc", type=Path, help="the Markdown file to refresh (docs/plan-format.md)")
    parser.add_argument(
        "--check", action="store_true", help="only report whether the file is up to date")
    args = parser.parse_args(argv)
    old = args.doc.read_text("utf-8")
    new = render(old)
    if new == old:
        return 0
    if args.check:
        print(f"{args.doc}: the field tables differ from the schema", file=sys.stderr)
        return 1
    args.doc.write_text(new, "utf-8")
    print(f"{args.doc}: field tables updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
