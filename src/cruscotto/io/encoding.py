"""Encoding files: the engine's reading of a plan's indicators.

An encoding file (YAML) gives each indicator its formula in the formula
language, its polarity and the inputs it reads, on top of a plan imported from
a published text (which only carries the rule as free Italian text). The
format is described at the top of ``src/cruscotto/data/encoding.yaml``.

Loading is strict: an unknown key, an unknown indicator, an unreadable
formula or a variable declared twice is an :class:`InputError` naming the
file, the line and the field; nothing is applied to the plan unless the whole
file is sound.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.formula import FormulaError, parse
from cruscotto.core.plan import Plan, Polarity, StatusBands, Variable, VariableKind
from cruscotto.io.errata import _LineLoader
from cruscotto.io.errors import InputError

TOP_KEYS = {"status_bands", "variables", "indicators"}
VARIABLE_KEYS = {"name", "label", "unit", "source", "kind"}
INDICATOR_KEYS = {"formula", "polarity", "polarity_inferred", "why", "measures", "weight"}


def apply_encoding(plan: Plan, path: str | Path) -> list[Finding]:
    """Apply the encoding file to ``plan``; return one INFO finding per indicator encoded.

    All or nothing: the plan is changed only when the whole file is sound.
    """
    p = Path(path)
    name = p.name
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError(f"not valid YAML: {exc.problem}", file=name,
                         line=mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise InputError("an encoding file is a mapping", file=name, line=1,
                         expected="keys " + ", ".join(sorted(TOP_KEYS)))
    top_line = data.pop("__line__", 1)
    _no_unknown(data, TOP_KEYS, name, top_line, "")

    work = copy.deepcopy(plan)
    findings: list[Finding] = []
    if "status_bands" in data:
        work.bands = _bands(data["status_bands"], name)
    variables = _variables(data.get("variables") or [], name)
    indicators = data.get("indicators") or {}
    if not isinstance(indicators, dict):
        raise InputError("'indicators' maps indicator codes to their encoding", file=name,
                         line=top_line, field="indicators", expected="a mapping")
    line_of = indicators.pop("__line__", top_line)
    for code, entry in indicators.items():
        code = str(code)
        where = f"indicators.{code}"
        if not isinstance(entry, dict):
            raise InputError("an indicator's encoding is a mapping", file=name, line=line_of,
                             field=where, expected="formula, polarity, ...")
        line = entry.pop("__line__", line_of)
        _no_unknown(entry, INDICATOR_KEYS, name, line, where)
        try:
            ind = work.indicator(code)
        except KeyError:
            raise InputError(f"no indicator {code!r} in the plan", file=name, line=line,
                             field=where, expected="a code of the plan") from None
        if "formula" in entry:
            ind.formula = _formula(entry["formula"], name, line, f"{where}.formula")
        if "polarity" in entry:
            try:
                ind.polarity = Polarity(str(entry["polarity"]))
            except ValueError:
                raise InputError(f"unknown polarity {entry['polarity']!r}", file=name,
                                 line=line, field=f"{where}.polarity",
                                 expected="higher | lower | band") from None
        inferred = entry.get("polarity_inferred", False)
        if not isinstance(inferred, bool):
            raise InputError("polarity_inferred is true or false", file=name, line=line,
                             field=f"{where}.polarity_inferred", expected="true | false")
        if inferred and not str(entry.get("why") or "").strip():
            raise InputError("an inferred polarity needs its reason", file=name, line=line,
                             field=f"{where}.why", expected="a sentence saying why")
        ind.polarity_inferred = inferred
        measures = entry.get("measures") or {}
        if not isinstance(measures, dict):
            raise InputError("measures map a name to a formula", file=name, line=line,
                             field=f"{where}.measures", expected="a mapping")
        measures.pop("__line__", None)
        ind.measures = {str(k): _formula(v, name, line, f"{where}.measures.{k}")
                        for k, v in measures.items()}
        if "weight" in entry:
            ind.weight = _decimal(entry["weight"], name, line, f"{where}.weight")
        what = f"formula {ind.formula!r}" if ind.formula else "no formula here"
        note = f"; polarity {ind.polarity} inferred: {str(entry['why']).strip()}" \
            if inferred else ""
        findings.append(Finding(Severity.INFO, "encoding-applied",
                                f"{code}: {what}, polarity {ind.polarity}{note}", line, code))

    # variables: declared ones first, in file order; a source left out is the
    # first data source of the first indicator that reads the variable
    readers: dict[str, list[str]] = {}
    for ind in work.indicators:
        names: set[str] = set()
        for text in (ind.formula, *ind.measures.values()):
            if text:
                names |= parse(text).names
        for n in names:
            readers.setdefault(n, []).extend(ind.data_sources[:1])
    out: list[Variable] = []
    for var, _line in variables:
        source = var.source or next(iter(readers.get(var.name, [])), "")
        out.append(Variable(var.name, var.label, source, var.kind, var.unit))
    work.variables = out
    work.sync_registries()

    # commit: copy the encoded fields back onto the caller's plan
    plan.bands = work.bands
    plan.variables = work.variables
    plan.data_sources = work.data_sources
    for mine, theirs in zip(plan.indicators, work.indicators, strict=True):
        mine.formula, mine.polarity = theirs.formula, theirs.polarity
        mine.polarity_inferred, mine.measures = theirs.polarity_inferred, theirs.measures
        mine.weight = theirs.weight
    return findings


def _no_unknown(d: dict[str, Any], allowed: set[str], file: str, line: int, where: str) -> None:
    for key in d:
        if key != "__line__" and key not in allowed:
            raise InputError(f"unknown key {key!r}", file=file, line=line,
                             field=f"{where}.{key}" if where else str(key),
                             expected=" | ".join(sorted(allowed)))


def _formula(value: object, file: str, line: int, field: str) -> str:
    text = str(value or "").strip()
    try:
        return parse(text).text
    except FormulaError as exc:
        raise InputError(f"formula not readable: {exc.describe()}", file=file, line=line,
                         field=field, expected=exc.expected) from None


def _decimal(value: object, file: str, line: int, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"not a number: {value!r}", file=file, line=line, field=field,
                         expected="a number >= 0") from None
    if not d.is_finite() or d < 0:
        raise InputError(f"not a number >= 0: {value!r}", file=file, line=line, field=field,
                         expected="a number >= 0")
    return d


def _bands(value: object, file: str) -> StatusBands:
    if not isinstance(value, dict):
        raise InputError("status_bands is a mapping", file=file, field="status_bands",
                         expected="green: N, yellow: N")
    line = value.pop("__line__", None)
    _no_unknown(value, {"green", "yellow"}, file, line or 0, "status_bands")
    green = _decimal(value.get("green", 100), file, line or 0, "status_bands.green")
    yellow = _decimal(value.get("yellow", 70), file, line or 0, "status_bands.yellow")
    try:
        return StatusBands(green=green, yellow=yellow)
    except ValueError as exc:
        raise InputError(str(exc), file=file, line=line, field="status_bands",
                         expected="0 <= yellow <= green <= 100") from None


def _variables(items: object, file: str) -> list[tuple[Variable, int]]:
    if not isinstance(items, list):
        raise InputError("variables is a list", file=file, field="variables",
                         expected="a list of {name, label, unit, source, kind}")
    out: list[tuple[Variable, int]] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"variables[{i}]"
        if not isinstance(item, dict):
            raise InputError("a variable is a mapping", file=file, field=where,
                             expected="{name, label, unit, source, kind}")
        line = item.pop("__line__", 0)
        _no_unknown(item, VARIABLE_KEYS, file, line, where)
        name = str(item.get("name") or "")
        if not name:
            raise InputError("a variable needs a name", file=file, line=line,
                             field=f"{where}.name", expected="a name such as budget_ri")
        try:
            plain = parse(name).canonical == name and parse(name).names == {name}
        except FormulaError:
            plain = False
        if not plain:
            raise InputError(f"{name!r} cannot name a variable", file=file, line=line,
                             field=f"{where}.name",
                             expected="a letter, then letters, digits or '_' (not a keyword)")
        if name in seen:
            raise InputError(f"variable {name!r} declared twice", file=file, line=line,
                             field=f"{where}.name", expected="each name once")
        seen.add(name)
        try:
            kind = VariableKind(str(item.get("kind", "number")))
        except ValueError:
            raise InputError(f"unknown kind {item.get('kind')!r}", file=file, line=line,
                             field=f"{where}.kind", expected="number | yes_no") from None
        out.append((Variable(name=name, label=str(item.get("label") or ""),
                             source=str(item.get("source") or ""), kind=kind,
                             unit=str(item.get("unit") or "")), line))
    return out
