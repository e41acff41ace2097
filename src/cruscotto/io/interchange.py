"""The plan interchange format: a whole plan as one JSON or YAML document.

The format is described by ``plan.schema.json`` (JSON Schema draft 2020-12,
shipped next to this module) and documented in ``docs/plan-format.md``, whose
field tables are generated from the schema (:mod:`cruscotto.io.plan_format_doc`).

Writing is deterministic: keys in the order the schema lists them, targets in
year order, UTF-8 with accented letters as they are, two-space indentation and
a final newline, so that export → import → export gives the same bytes in
either format (and JSON → YAML → JSON too).

Reading is strict: unknown keys, duplicate keys, wrong types and missing
fields are refused with an :class:`InputError` naming the file, the line, the
field (``indicators[3].targets.2021``) and what was expected; then the plan is
checked by :func:`cruscotto.core.plan.validate_plan`, and every structural
problem (duplicate codes, a code that does not match its parent, unknown
references) is listed in one error. Formulas are carried as text: whether
they read (and read declared variables) is the plan lint's business, so that
the lint can report on a file.

Versions: Cruscotto writes the current ``schema_version`` and reads every
earlier one, checked against the schema as it was then and upgraded in memory
(version 1 lacks the engine fields of version 2, which take their defaults).
"""

from __future__ import annotations

import ast
import datetime
import difflib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, overload

import yaml
from jsonschema import ValidationError

from cruscotto.core.piao import public_value_from_data, public_value_to_data
from cruscotto.core.plan import (
    SCHEMA_VERSION,
    Baseline,
    DataSource,
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Polarity,
    Programme,
    ResponsibilityCentre,
    SourceRef,
    StatusBands,
    StrategicObjective,
    Variable,
    VariableKind,
    YearDefinition,
    validate_plan,
)
from cruscotto.core.target_structure import ReadingError, TargetReading
from cruscotto.io.errors import InputError
from cruscotto.io.located import Located, field_path, parse_json, parse_yaml
from cruscotto.io.plan_schema import (
    added_in,
    describe,
    plan_schema,
    readable_versions,
    resolve,
    validator,
)

FORMAT_NAME = "cruscotto-plan"
Format = Literal["json", "yaml"]
EXTENSIONS: dict[str, Format] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}

__all__ = [
    "EXTENSIONS",
    "FORMAT_NAME",
    "dump_path",
    "dumps",
    "format_of",
    "load_path",
    "loads",
    "plan_from_dict",
    "plan_schema",
    "plan_to_dict",
]


# -- writing ------------------------------------------------------------------

def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the interchange shape, keys in documented order.

    The plan is written as it is; a plan that does not pass
    :func:`~cruscotto.core.plan.check_plan` is written too, but will be
    refused when read back.
    """
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "organisation": {"name": plan.organisation.name, "code": plan.organisation.code},
        "title": plan.title,
        "years": list(plan.years),
        "missions": [_mission_out(m) for m in plan.missions],
        "strategic_objectives": [
            {
                "code": so.code,
                "title": so.title,
                "narrative": so.narrative,
                "missions": list(so.mission_codes),
                "source": _source_out(so.source),
            }
            for so in plan.strategic_objectives
        ],
        "operational_objectives": [
            {
                "code": oo.code,
                "title": oo.title,
                "area": oo.area,
                "strategic_objective": oo.strategic_code,
                "mission": oo.mission_code or None,
                "programme": oo.programme_code or None,
                "source": _source_out(oo.source),
            }
            for oo in plan.operational_objectives
        ],
        "indicators": [_indicator_out(i) for i in plan.indicators],
        "centres": [{"key": c.key, "name": c.name} for c in plan.centres],
        "data_sources": [{"key": s.key, "name": s.name} for s in plan.data_sources],
        "variables": [
            {"name": v.name, "label": v.label, "source": v.source, "kind": str(v.kind),
             "unit": v.unit}
            for v in plan.variables
        ],
        "status_bands": {
            "green": _decimal_out(plan.bands.green, "status band green"),
            "yellow": _decimal_out(plan.bands.yellow, "status band yellow"),
        },
        "source": _source_out(plan.source),
    } | _public_values_out(plan)


def _public_values_out(plan: Plan) -> dict[str, Any]:
    """The PIAO's public values, written only when the plan has them (a plan without
    the level writes exactly as before)."""
    if not plan.public_values:
        return {}
    return {"public_values": [public_value_to_data(pv) for pv in plan.public_values]}


def _source_out(ref: SourceRef) -> dict[str, Any]:
    return {"file": ref.file, "line": ref.line}


def _mission_out(m: Mission) -> dict[str, Any]:
    return {
        "code": m.code,
        "name": m.name,
        "programmes": [
            {
                "code": p.code,
                "name": p.name,
                "budget": _decimal_out(p.budget, f"programme {p.code}: budget"),
                "budget_text": p.budget_text,
                "source": _source_out(p.source),
            }
            for p in m.programmes
        ],
        "source": _source_out(m.source),
    }


@overload
def _decimal_out(value: Decimal, what: str) -> str: ...
@overload
def _decimal_out(value: Decimal | None, what: str) -> str | None: ...
def _decimal_out(value: Decimal | None, what: str) -> str | None:
    if value is None:
        return None
    if not value.is_finite():
        raise ValueError(f"{what} {value} is not a finite number")
    # Fixed-point, never exponent notation: "19350072.00" stays as written.
    # A negative zero is written as zero (its sign means nothing, and "-0"
    # would be refused where only numbers >= 0 are allowed).
    return format(value.copy_abs() if value.is_zero() else value, "f")


def _indicator_out(ind: Indicator) -> dict[str, Any]:
    return {
        "code": ind.code,
        "name": ind.name,
        "strategic_objective": ind.strategic_code,
        "operational_objective": ind.operational_code or None,
        "mission": ind.mission_code or None,
        "programme": ind.programme_code or None,
        "description": ind.description,
        "kind": ind.kind,
        "unit": ind.unit,
        "data_sources": list(ind.data_sources),
        "formula_text": ind.formula_text,
        "formula": ind.formula,
        "measures": dict(ind.measures),
        "polarity": str(ind.polarity) if ind.polarity is not None else None,
        "polarity_inferred": ind.polarity_inferred,
        "weight": _decimal_out(ind.weight, f"indicator {ind.code}: weight"),
        **yearly_to_data(ind),
        "targets": {str(y): ind.targets[y] for y in sorted(ind.targets)},
        "readings": _readings_out(ind),
        "centres": list(ind.centres),
        "source": _source_out(ind.source),
    }


def _readings_out(ind: Indicator) -> dict[str, Any]:
    """The structured readings beside the targets, by year."""
    return {str(y): ind.readings[y].to_data() for y in sorted(ind.readings)}


class _Dumper(yaml.SafeDumper):
    """Block style, no anchors or aliases, text never reflowed."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# Line breaks and control characters go in double quotes, where each gets an
# escape and the value stays on one line. (PyYAML would write a NEL, U+0085,
# raw inside single quotes, where it reads back as a line break.)
_NEEDS_DOUBLE_QUOTES = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if _NEEDS_DOUBLE_QUOTES.search(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dumps(plan: Plan, fmt: Format) -> str:
    """The plan as JSON or YAML text (UTF-8 friendly, two-space indent, final newline)."""
    data = plan_to_dict(plan)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.dump(
            data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
            default_flow_style=False, indent=2, width=sys.maxsize)
    raise ValueError(f"unknown format {fmt!r}; expected 'json' or 'yaml'")


def format_of(path: str | os.PathLike[str]) -> Format:
    """The format a file name asks for, from its extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise InputError(
            f"cannot tell the format from the extension {suffix or '(none)'!r}",
            file=str(path), expected="a file ending in .json, .yaml or .yml")
    return EXTENSIONS[suffix]


def dump_path(plan: Plan, path: str | os.PathLike[str]) -> None:
    """Write the plan to ``path`` in the format its extension names.

    The file is replaced in one step: a failed write leaves the old file whole.
    """
    text = dumps(plan, format_of(path))
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- reading ------------------------------------------------------------------

def loads(text: str, fmt: Format, *, filename: str = "") -> Plan:
    """Read a plan from JSON or YAML text; raise :class:`InputError` when it is not valid."""
    if fmt == "json":
        located = parse_json(text, filename=filename)
    elif fmt == "yaml":
        located = parse_yaml(text, filename=filename)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected 'json' or 'yaml'")
    return _read(located, filename, fmt)


def load_path(path: str | os.PathLike[str]) -> Plan:
    """Read a plan file; the format comes from the extension (.json, .yaml, .yml)."""
    name = str(path)
    fmt = format_of(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})",
            file=name, line=raw.count(b"\n", 0, exc.start) + 1,
            expected="a file saved as UTF-8") from None
    return loads(text, fmt, filename=name)


def indicator_lines(path: str | os.PathLike[str]) -> dict[str, dict[int | None, int]]:
    """Where each indicator is in a plan file: code -> {None: its line, year: its target's line}.

    The lint points at these lines of the file being linted; an indicator's
    ``source`` is the line of the document the plan was first read from.
    """
    text = Path(path).read_bytes().decode("utf-8-sig")
    fmt = format_of(path)
    located = parse_json(text, filename=str(path)) if fmt == "json" else parse_yaml(
        text, filename=str(path))
    out: dict[str, dict[int | None, int]] = {}
    data = located.data if isinstance(located.data, dict) else {}
    for i, ind in enumerate(data.get("indicators") or []):
        if not isinstance(ind, dict) or "code" not in ind:
            continue
        where: dict[int | None, int] = {}
        line = located.line_of(("indicators", i))
        if line is not None:
            where[None] = line
        for key in (ind.get("targets") or {}):
            t_line = located.line_of(("indicators", i, "targets", key), key=True)
            if t_line is not None and str(key).isdigit():
                where[int(key)] = t_line
        out[str(ind["code"])] = where
    return out


def plan_from_dict(data: Any, *, filename: str = "") -> Plan:
    """Build a plan from plain data in the interchange shape (as :func:`plan_to_dict` gives).

    Raises :class:`InputError` like :func:`loads`, without line numbers.
    """
    return _read(Located(data), filename, None)


def _read(located: Located, filename: str, fmt: Format | None) -> Plan:
    data = located.data
    if fmt is not None and data is None and not located.lines:
        raise InputError("the file is empty", file=filename, line=1,
                         expected=f'a plan, starting with "format": "{FORMAT_NAME}"')
    if not isinstance(data, dict):
        raise InputError(
            f"a plan file holds a mapping at the top level, not {_found(data)}",
            file=filename, line=located.line_of(()),
            expected=f'a mapping with "format": "{FORMAT_NAME}"')
    version = _check_header(data, located, filename)
    _check_shape(located, filename, fmt, version)
    data = _upgrade(data, version)
    _check_bands(data, located, filename)
    _check_baselines(data, located, filename)
    try:
        plan = _build(data)
    except ReadingError as exc:
        raise InputError(f"a structured reading cannot be read: {exc}", file=filename,
                         expected="readings as docs/plan-format.md describes them") from None
    problems = validate_plan(plan)
    if problems:
        line, where = _locate_problem(problems[0], data, located)
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        raise InputError(
            f"the plan is not valid ({count})", file=filename, line=line, field=where,
            problems=problems)
    return plan


def _check_header(data: dict[str, Any], located: Located, filename: str) -> int | None:
    """Refuse other files and other versions before looking at the rest.

    Returns the version the file states (``None`` when it does not state a
    whole number: the schema check reports it).
    """
    if "format" not in data:
        raise InputError(
            "not a Cruscotto plan: the format key is missing", file=filename,
            line=located.line_of(()), field="format", expected=f'"format": "{FORMAT_NAME}"')
    fmt = data["format"]
    if fmt != FORMAT_NAME:
        raise InputError(
            f"not a Cruscotto plan: format is {_show(fmt)}", file=filename,
            line=located.line_of(("format",)), field="format",
            expected=f'"{FORMAT_NAME}"')
    version = data.get("schema_version")
    if type(version) is not int:
        return None
    readable = readable_versions()
    if version not in readable:
        newer = " (written by a newer Cruscotto)" if version > SCHEMA_VERSION else ""
        raise InputError(
            f"schema_version {version} is not supported{newer}", file=filename,
            line=located.line_of(("schema_version",)), field="schema_version",
            expected="schema_version " + " or ".join(map(str, readable)))
    return version


def _upgrade(data: dict[str, Any], version: int | None) -> dict[str, Any]:
    """The document of an earlier version as the current version reads it.

    Version 1 → 2 added optional fields only (the engine's reading of the
    indicators, the plan's variables and status bands); left out, they take
    their defaults, which mean what a version 1 plan meant.
    """
    if version is None or version == SCHEMA_VERSION:
        return data
    return {**data, "schema_version": SCHEMA_VERSION}


def _check_bands(data: dict[str, Any], located: Located, filename: str) -> None:
    """The status bands in their range (the schema checks only that they are numbers)."""
    if "status_bands" not in data:
        return
    try:
        _bands_in(data["status_bands"])
    except ValueError:
        path = ("status_bands",)
        raise InputError(
            "status bands out of order or out of range: green "
            f"{data['status_bands']['green']}, yellow {data['status_bands']['yellow']}",
            file=filename, line=located.line_of(path), field=field_path(path),
            expected="0 <= yellow <= green <= 100") from None


# -- shape errors, in words a planning office can act on ---------------------------

@dataclass(slots=True)
class _Issue:
    message: str
    line: int | None
    field: str
    expected: str
    #: sort key: the line of the mapping at fault, then unknown keys before missing ones
    #: (a misspelt key is the cause of the missing field it was meant to be)
    order: tuple[int, int, int] = (0, 0, 0)

    def describe(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        text = f"{where}{self.message}"
        if self.field:
            text += f" (field {self.field!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        return text


_ENTITY = {
    "missions": "mission",
    "strategic_objectives": "strategic objective",
    "operational_objectives": "operational objective",
    "indicators": "indicator",
    "centres": "centre",
    "data_sources": "data source",
    "variables": "variable",
    "public_values": "public value",
}


def _check_shape(
    located: Located, filename: str, fmt: Format | None, version: int | None,
) -> None:
    issues: list[_Issue] = []
    seen: set[tuple[str, str]] = set()
    for error in validator(version).iter_errors(located.data):
        for issue in _issues(error, located, fmt, version):
            if (issue.field, issue.message) not in seen:
                seen.add((issue.field, issue.message))
                issues.append(issue)
    if not issues:
        return
    issues.sort(key=lambda i: i.order)
    first = issues[0]
    raise InputError(
        first.message, file=filename, line=first.line, field=first.field,
        expected=first.expected,
        problems=[i.describe() for i in issues[1:]])


def _issues(
    error: ValidationError, located: Located, fmt: Format | None, version: int | None,
) -> list[_Issue]:
    path = tuple(error.absolute_path)
    inst = error.instance
    where = _entity_label(located.data, path)
    kind = error.validator

    def issue(message: str, sub: tuple[Any, ...], expected: str, *, key: bool = False) -> _Issue:
        line = located.line_of(sub, key=key)
        rank = {"additionalProperties": 0, "required": 2}.get(str(kind), 1)
        order = (located.line_of(sub[:-1]) or 0, rank, line or 0)
        return _Issue(where + message, line, field_path(sub), expected, order)

    if "propertyNames" in error.schema_path:  # a mapping key of the wrong form
        sub = (*path, inst)
        return [issue(f"invalid key {_show(inst)}", sub, describe(error.schema), key=True)]
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        out = []
        for name in inst:
            if name not in known:
                later = added_in(error.schema, name)
                hint = difflib.get_close_matches(name, known, n=1)
                if later is not None and version is not None and later > version:
                    also = (f" in a schema_version {version} file (it came with "
                            f"schema_version {later}: write schema_version: {later})")
                else:
                    also = f" (did you mean {hint[0]!r}?)" if hint else ""
                out.append(issue(
                    f"unknown field {name!r}{also}", (*path, name),
                    "one of " + ", ".join(known), key=True))
        return out
    if kind == "required":
        props = error.schema.get("properties", {})
        return [
            issue(f"missing required field {name!r}", (*path, name),
                  describe(resolve(props.get(name, {}))))
            for name in error.validator_value if name not in inst
        ]
    expected = describe(error.schema)
    if kind == "type":
        return [issue(_wrong_type(inst, error.schema, fmt), path, expected)]
    if kind in ("const", "enum"):
        return [issue(f"wrong value {_show(inst)}", path, expected)]
    if kind in ("minLength", "minItems"):
        return [issue("must not be empty", path, expected)]
    if kind in ("minimum", "maximum"):
        return [issue(f"{_show(inst)} is out of range", path, expected)]
    if kind == "pattern":
        return [issue(f"{_show(inst)} is not in the expected form", path, expected)]
    if kind == "uniqueItems":
        firsts: dict[str, int] = {}
        for i, item in enumerate(inst):
            k = json.dumps(item, sort_keys=True, default=str)
            if k in firsts:
                return [issue(
                    f"{_show(item)} is listed twice (first as item {firsts[k]})",
                    (*path, i), "each item once")]
            firsts[k] = i
    return [issue(error.message, path, expected)]


def _entity_label(data: Any, path: tuple[Any, ...]) -> str:
    """``"indicator 3.1.1: "`` for a path inside that indicator, so the user can find it."""
    if len(path) < 2 or path[0] not in _ENTITY or not isinstance(path[1], int):
        return ""
    try:
        entity = data[path[0]][path[1]]
    except (KeyError, IndexError, TypeError):
        return ""
    if not isinstance(entity, dict):
        return ""
    label = entity.get("code", entity.get("name"))
    return f"{_ENTITY[path[0]]} {label}: " if isinstance(label, str) and label else ""


def _wrong_type(value: Any, schema: dict[str, Any], fmt: Format | None) -> str:
    text = f"wrong type: found {_found(value)}"
    wants = schema.get("type")
    wants_text = wants == "string" or (isinstance(wants, list) and "string" in wants)
    if fmt == "yaml" and wants_text and not isinstance(value, str | list | dict):
        text += "; in YAML, put it in quotes to make it text" if value is not None else (
            '; in YAML, write "" for empty text')
    return text


def _found(value: Any) -> str:
    if value is None:
        return "null (an empty value)"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"text ({_show(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    return f"a {type(value).__name__} value"


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- building the plan ----------------------------------------------------------------

def yearly_to_data(ind: Indicator) -> dict[str, Any]:
    """The per-year definitions (in year order) and the declared baselines, as plain data
    (what plan files hold under ``definitions`` and ``baselines``)."""
    return {
        "definitions": [{
            "from_year": d.from_year,
            "formula": d.formula,
            "formula_text": d.formula_text,
            "unit": d.unit,
            "polarity": str(d.polarity) if d.polarity is not None else None,
            "measures": dict(d.measures) if d.measures is not None else None,
        } for d in sorted(ind.definitions, key=lambda d: d.from_year)],
        "baselines": [{
            "value": _decimal_out(b.value, f"indicator {ind.code}: baseline"),
            "date": b.date.isoformat(),
            "label": b.label,
        } for b in ind.baselines],
    }


def definitions_from_data(items: Iterable[dict[str, Any]]) -> list[YearDefinition]:
    """Per-year definitions from the plain data :func:`yearly_to_data` gives."""
    return [YearDefinition(
        from_year=int(d["from_year"]), formula=d["formula"],
        formula_text=d.get("formula_text", ""), unit=d.get("unit"),
        polarity=Polarity(d["polarity"]) if d.get("polarity") is not None else None,
        measures=dict(d["measures"]) if d.get("measures") is not None else None,
    ) for d in items]


def baselines_from_data(items: Iterable[dict[str, Any]]) -> list[Baseline]:
    """Baselines from the plain data :func:`yearly_to_data` gives."""
    return [Baseline(value=Decimal(b["value"]), date=datetime.date.fromisoformat(b["date"]),
                     label=b.get("label", "")) for b in items]


def _check_baselines(data: dict[str, Any], located: Located, filename: str) -> None:
    """A baseline's date is a real day (the schema checks only its shape)."""
    for n, ind in enumerate(data.get("indicators", [])):
        for k, b in enumerate(ind.get("baselines", [])):
            try:
                datetime.date.fromisoformat(b["date"])
            except ValueError:
                path = ("indicators", n, "baselines", k, "date")
                raise InputError(
                    f"indicator {ind.get('code')}: the baseline date {b['date']!r} is not a "
                    "day of the calendar", file=filename, line=located.line_of(path),
                    field=field_path(path), expected="a date such as 2023-11-30") from None


def _source_in(d: dict[str, Any]) -> SourceRef:
    s = d.get("source")
    if s is None:
        return SourceRef()
    line = s.get("line")
    return SourceRef(file=s["file"], line=int(line) if line is not None else None)


def _bands_in(d: dict[str, Any] | None) -> StatusBands:
    """Raises ``ValueError`` for bands out of order or out of range."""
    if d is None:
        return StatusBands()
    return StatusBands(green=Decimal(d["green"]), yellow=Decimal(d["yellow"]))


def _build(d: dict[str, Any]) -> Plan:
    """The core plan from data the schema has accepted (defaults as the schema documents)."""
    org = d["organisation"]
    return Plan(
        organisation=Organisation(name=org["name"], code=org.get("code", "")),
        title=d["title"],
        # JSON Schema counts 2021.0 as an integer; the plan holds 2021.
        years=[int(y) for y in d["years"]],
        missions=[
            Mission(
                code=m["code"],
                name=m["name"],
                programmes=[
                    Programme(
                        code=p["code"],
                        name=p["name"],
                        budget=Decimal(p["budget"]) if p.get("budget") is not None else None,
                        budget_text=p.get("budget_text", ""),
                        source=_source_in(p),
                    )
                    for p in m["programmes"]
                ],
                source=_source_in(m),
            )
            for m in d["missions"]
        ],
        strategic_objectives=[
            StrategicObjective(
                code=s["code"],
                title=s["title"],
                narrative=s.get("narrative", ""),
                mission_codes=list(s["missions"]),
                source=_source_in(s),
            )
            for s in d["strategic_objectives"]
        ],
        operational_objectives=[
            OperationalObjective(
                code=o["code"],
                strategic_code=o["strategic_objective"],
                title=o["title"],
                area=o.get("area", ""),
                mission_code=o["mission"] or "",
                programme_code=o.get("programme") or "",
                source=_source_in(o),
            )
            for o in d["operational_objectives"]
        ],
        indicators=[
            Indicator(
                code=i["code"],
                name=i["name"],
                description=i.get("description", ""),
                kind=i.get("kind", ""),
                unit=i.get("unit", ""),
                data_sources=list(i.get("data_sources", [])),
                formula_text=i.get("formula_text", ""),
                formula=i.get("formula", ""),
                measures=dict(i.get("measures", {})),
                polarity=Polarity(i["polarity"]) if i.get("polarity") is not None else None,
                polarity_inferred=i.get("polarity_inferred", False),
                weight=Decimal(i.get("weight", "1")),
                definitions=definitions_from_data(i.get("definitions", [])),
                baselines=baselines_from_data(i.get("baselines", [])),
                targets={int(y): t for y, t in i["targets"].items()},
                readings=_readings_in(i.get("readings") or {}),
                centres=list(i["centres"]),
                strategic_code=i["strategic_objective"],
                operational_code=i["operational_objective"] or "",
                mission_code=i["mission"] or "",
                programme_code=i.get("programme") or "",
                source=_source_in(i),
            )
            for i in d["indicators"]
        ],
        centres=[ResponsibilityCentre(key=c["key"], name=c["name"]) for c in d["centres"]],
        data_sources=[DataSource(key=s["key"], name=s["name"]) for s in d["data_sources"]],
        variables=[
            Variable(
                name=v["name"],
                label=v.get("label", ""),
                source=v.get("source", ""),
                kind=VariableKind(v.get("kind", "number")),
                unit=v.get("unit", ""),
            )
            for v in d.get("variables", [])
        ],
        bands=_bands_in(d.get("status_bands")),
        source=_source_in(d),
        public_values=[public_value_from_data(v) for v in d.get("public_values", [])],
    )


def _readings_in(d: dict[str, Any]) -> dict[int, TargetReading]:
    """Readings the schema has accepted (a value of the wrong form is a ``ReadingError``)."""
    return {int(y): TargetReading.from_data(r) for y, r in d.items()}


# -- placing a plan problem on a line -------------------------------------------------

# validate_plan words its problems "duplicate <kind> code '<code>'" and
# "<kind> <code>: ...". Reading them back only serves to point at a line; when
# the wording changes the error still lists every problem, just without one.
_KINDS: dict[str, tuple[str, str]] = {
    "mission": ("missions", "code"),
    "strategic objective": ("strategic_objectives", "code"),
    "operational objective": ("operational_objectives", "code"),
    "indicator": ("indicators", "code"),
    "centre": ("centres", "name"),
    "centre key": ("centres", "key"),
    "data source": ("data_sources", "name"),
    "variable": ("variables", "name"),
    "public value": ("public_values", "code"),
}
_DUPLICATE = re.compile(r"duplicate (?P<kind>[a-z ]+?) code (?P<code>'.*'|\".*\")")
_ABOUT = re.compile(r"(?P<kind>[a-z ]+?) (?P<code>'[^']*'|\"[^\"]*\"|[^\s:]+):")


def _locate_problem(
    problem: str, data: dict[str, Any], located: Located,
) -> tuple[int | None, str]:
    m = _DUPLICATE.fullmatch(problem)
    nth = 2  # a duplicate is reported where it repeats
    if m is None:
        m = _ABOUT.match(problem)
        nth = 1
    if m is None or m.group("kind") not in _KINDS:
        return None, ""
    code = m.group("code")
    if code[:1] in "'\"":
        try:
            code = ast.literal_eval(code)
        except (ValueError, SyntaxError):
            return None, ""
    collection, attr = _KINDS[m.group("kind")]
    hits = _indexes(data.get(collection, []), lambda e: e.get(attr) == code)
    if len(hits) < nth:
        return None, ""
    path = (collection, hits[nth - 1])
    return located.line_of(path), field_path(path)


def _indexes(items: Iterable[Any], match: Callable[[dict[str, Any]], bool]) -> list[int]:
    return [n for n, e in enumerate(items) if isinstance(e, dict) and match(e)]
