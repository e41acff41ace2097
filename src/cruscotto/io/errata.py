"""Errata: human corrections applied on top of an imported plan.

An errata file is YAML::

    plan:                      # optional: plan-level facts the text does not carry
      organisation: {name: ..., code: ...}
      title: ...
      why: ...
    corrections:
      - entity: indicator 3.3.1     # plan | mission C | strategic C | operational C
        field: name                 #   | indicator C | centre NAME ; field may be targets.2022
        kind: lost                  # lost | truncated | typo | ambiguity | copied
        was: ""                     # what the import gives; refused if it no longer does
        now: "Grado di utilizzo ..."
        why: "..."                  # the justification, required

``was`` keeps the errata honest: when the importer improves and already gives
the right value (or a different one), the correction is refused with its line
number instead of silently overwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.plan import Organisation, Plan
from cruscotto.io.errors import InputError

KINDS = {"lost", "truncated", "typo", "ambiguity", "copied"}
SIMPLE_FIELDS = {
    "indicator": {"name", "description", "kind", "unit", "formula_text", "formula"},
    "operational": {"title", "area"},
    "strategic": {"title", "narrative"},
    "mission": {"name"},
}


@dataclass(frozen=True)
class Correction:
    entity: str
    field: str
    kind: str
    was: str
    now: str
    why: str
    line: int


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_errata(path: str | Path) -> tuple[dict[str, Any], list[Correction]]:
    p = Path(path)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError(f"not valid YAML: {exc.problem}", file=p.name,
                         line=mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise InputError("an errata file is a mapping", file=p.name, line=1,
                         expected="keys 'plan' and 'corrections'")
    plan_part = data.get("plan") or {}
    out: list[Correction] = []
    for item in data.get("corrections") or []:
        line = item.get("__line__") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            raise InputError("each correction is a mapping", file=p.name, line=line,
                             field="corrections")
        for key in ("entity", "field", "kind", "was", "now", "why"):
            if key not in item:
                raise InputError("correction incomplete", file=p.name, line=line, field=key,
                                 expected="entity, field, kind, was, now, why")
        if item["kind"] not in KINDS:
            raise InputError(f"unknown kind {item['kind']!r}", file=p.name, line=line,
                             field="kind", expected=" | ".join(sorted(KINDS)))
        if not str(item["why"]).strip():
            raise InputError("a correction needs its justification", file=p.name, line=line,
                             field="why", expected="a sentence saying why")
        out.append(Correction(str(item["entity"]), str(item["field"]), str(item["kind"]),
                              str(item["was"] or ""), str(item["now"] or ""),
                              str(item["why"]).strip(), line or 0))
    return plan_part, out


def apply_errata(plan: Plan, path: str | Path) -> list[Finding]:
    """Apply the errata file to ``plan`` in place; return one finding per correction."""
    p = Path(path)
    plan_part, corrections = load_errata(p)
    findings: list[Finding] = []
    if plan_part:
        org = plan_part.get("organisation") or {}
        if org:
            plan.organisation = Organisation(name=str(org.get("name", "")),
                                             code=str(org.get("code", "")))
        if plan_part.get("title"):
            plan.title = str(plan_part["title"])
        findings.append(Finding(Severity.INFO, "errata-applied",
                                f"organisation and title set by the errata: "
                                f"{str(plan_part.get('why', '')).strip()}",
                                plan_part.get("__line__"), "plan"))
    for c in corrections:
        _apply_one(plan, c, p.name)
        findings.append(Finding(
            Severity.INFO, "errata-applied",
            f"{c.entity}: {c.field} corrected ({c.kind}) from {c.was!r} to {c.now!r}: {c.why}",
            c.line, c.entity.split(" ", 1)[-1]))
    return findings


def _apply_one(plan: Plan, c: Correction, filename: str) -> None:
    kind, _, code = c.entity.partition(" ")

    def fail(message: str, expected: str = "") -> InputError:
        return InputError(f"{c.entity}: {message}", file=filename, line=c.line, field=c.field,
                          expected=expected)

    if kind == "centre":
        try:
            centre = plan.centre_by_name(code)
        except KeyError:
            raise fail(f"no centre named {code!r}") from None
        if c.field != "name" or c.was != code:
            raise fail("a centre correction renames it", "field: name, was: its current name")
        centre.name = c.now
        for ind in plan.indicators:
            ind.centres = [c.now if n == code else n for n in ind.centres]
        return
    getter = {
        "indicator": plan.indicator, "operational": plan.operational,
        "strategic": plan.strategic, "mission": plan.mission,
    }.get(kind)
    if getter is None:
        raise fail(f"unknown entity kind {kind!r}",
                   "indicator C | operational C | strategic C | mission C | centre NAME")
    try:
        target = getter(code)
    except KeyError:
        raise fail(f"no {kind} with code {code!r} in the plan") from None
    if kind == "indicator" and c.field.startswith("targets."):
        try:
            year = int(c.field.split(".", 1)[1])
        except ValueError:
            raise fail("bad target year", "targets.YEAR") from None
        current = target.targets.get(year, "")  # type: ignore[union-attr]
        if current != c.was:
            raise fail(f"the import now gives {current!r}, not {c.was!r}: review this correction")
        if c.now:
            target.targets[year] = c.now  # type: ignore[union-attr]
        else:
            target.targets.pop(year, None)  # type: ignore[union-attr]
        return
    if c.field not in SIMPLE_FIELDS[kind]:
        raise fail(f"field {c.field!r} cannot be corrected here",
                   " | ".join(sorted(SIMPLE_FIELDS[kind])))
    current = getattr(target, c.field)
    if current != c.was:
        raise fail(f"the import now gives {current!r}, not {c.was!r}: review this correction")
    setattr(target, c.field, c.now)
