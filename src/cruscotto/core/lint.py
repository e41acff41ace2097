"""Plan lint: the checks an independent assessment body (OIV) makes on a plan.

``lint_plan(plan)`` returns findings, most serious first. Errors mean the
plan cannot be measured as it stands (a target that cannot be read, a formula
reading a variable nobody supplies, a code that does not match its parent);
warnings are things a person must look at (an inferred polarity, a
percentage target on a count); infos are recorded for the audit trail.

Each check has a stable ``kind`` (the table in docs/engine.md, "Plan lint"),
so reports and tests can count them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.formula import Formula, FormulaError, parse
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.periods import compile_plan_indicator
from cruscotto.core.piao import BES_DOMAINS, SDGS
from cruscotto.core.plan import Indicator, Plan, validate_plan
from cruscotto.core.rollup import code_key as _code_key
from cruscotto.core.scoring import IndicatorSpec, spec_findings
from cruscotto.core.target_structure import describe_reading, set_in_plan
from cruscotto.core.targets import Polarity, parse_italian_number
from cruscotto.core.values import Variable, VariableKind

__all__ = ["CHECKS", "LintCheck", "has_errors", "lint_plan"]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
#: a run of digits and dots that looks like an Italian number with thousands groups
_NUMBERISH = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{1,3}){2,}(?![\w.])"
                        r"|(?<![\w.,])\d+\.\d{1,2}\.\d+")


@dataclass(frozen=True, slots=True)
class LintCheck:
    kind: str
    severity: Severity
    what: str


#: every check the lint makes (the documentation table is generated from this)
CHECKS: tuple[LintCheck, ...] = (
    LintCheck("plan-structure", Severity.ERROR,
              "duplicate codes, a code not matching its parent, unknown references"),
    LintCheck("target-unreadable", Severity.ERROR, "a target the target grammar cannot read"),
    LintCheck("target-partly-read", Severity.ERROR,
              "a target read only in part (a second threshold, a base, a per-unit condition, "
              "a number left over): not scored; the finding names the first word not "
              "understood and its column"),
    LintCheck("target-reading-set", Severity.INFO,
              "a target scored by the structured reading the planning office set beside "
              "its text (who set it and when, where the plan's history says it)"),
    LintCheck("target-reading-disagrees", Severity.WARNING,
              "a target the reader reads fully, otherwise than the structured reading set "
              "beside it (the reading is scored)"),
    LintCheck("formula-unreadable", Severity.ERROR, "a formula the formula grammar cannot read"),
    LintCheck("formula-kind-mismatch", Severity.ERROR,
              "a milestone target on a formula giving a number, or the reverse"),
    LintCheck("variable-undefined", Severity.ERROR,
              "a formula reads a variable the plan does not declare"),
    LintCheck("variable-kind-conflict", Severity.ERROR,
              "a variable read as a number by one formula and as yes/no by another"),
    LintCheck("number-suspicious", Severity.ERROR,
              "a number whose thousands groups are broken (4.200.00)"),
    LintCheck("formula-missing", Severity.WARNING,
              "an indicator without a formula: it cannot be computed"),
    LintCheck("target-missing", Severity.WARNING,
              "a numeric indicator without a target for a plan year"),
    LintCheck("target-read-with-warning", Severity.WARNING,
              "a target read with a doubt: a missing '%', a percentage on a count, "
              "an operator against the polarity"),
    LintCheck("unit-target-mismatch", Severity.WARNING,
              "the unit says a count or a value but the target is a percentage, or the reverse"),
    LintCheck("growth-across-definitions", Severity.WARNING,
              "a target compared with the year before (or with a year's target) that another "
              "definition of the indicator computes (a formula changed from that year on)"),
    LintCheck("polarity-missing", Severity.WARNING,
              "the plan does not say whether higher or lower is better"),
    LintCheck("polarity-inferred", Severity.WARNING,
              "the polarity was set by the plan's editor, not stated by the plan"),
    LintCheck("variable-no-source", Severity.WARNING,
              "a variable without a data source: nobody is asked for it"),
    LintCheck("indicator-no-centre", Severity.WARNING,
              "an indicator without a responsibility centre"),
    LintCheck("formula-text-missing", Severity.WARNING,
              "no calculation rule written in the plan's own words"),
    LintCheck("target-one-off", Severity.INFO,
              "a milestone with targets in some plan years only (a one-off project)"),
    LintCheck("variable-unused", Severity.INFO, "a declared variable no formula reads"),
    LintCheck("weight-zero", Severity.INFO, "an indicator weighing nothing in the roll-up"),
    LintCheck("public-value-objective-twice", Severity.ERROR,
              "a strategic objective grouped under two public values (valore pubblico)"),
    LintCheck("public-value-reference-unknown", Severity.ERROR,
              "a public value citing a BES domain or an SDG not in the closed lists"),
)
_SEVERITY = {c.kind: c.severity for c in CHECKS}
#: target warnings that are about the indicator's unit (words of their templates)
_UNIT_WORDS = ("l'unità è", "manca «%%» dopo", "misurato in")


def _about_unit(text: Message | None) -> bool:
    why = text.params.get("why") if text is not None else None
    return isinstance(why, Message) and any(w in why.template for w in _UNIT_WORDS)


def _f(kind: str, message: str, subject: str = "", line: int | None = None,
       text: Message | None = None) -> Finding:
    """A finding: ``message`` for developers (English), ``text`` for people (Italian
    template, translated where it is shown)."""
    return Finding(_SEVERITY[kind], kind, message, line, subject, text=text)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def _definition_formulas(ind: Indicator, line: int | None
                         ) -> tuple[list[Formula], list[Finding]]:
    """The formulas and measures of the indicator's later definitions, read; or why not."""
    read: list[Formula] = []
    problems: list[Finding] = []
    for d in ind.definitions:
        for text in (d.formula, *(d.measures or {}).values()):
            try:
                read.append(parse(text))
            except FormulaError as exc:
                problems.append(_f(
                    "formula-unreadable", f"from {d.from_year}: formula {text!r}: "
                    f"{exc.describe()}", ind.code, line,
                    msg(gettext_noop("dal %(year)s: %(why)s"), year=d.from_year,
                        why=exc.reason)))
    return read, problems


def _across_definitions(ind: Indicator, spec: IndicatorSpec, line: int | None
                        ) -> list[Finding]:
    """A growth whose previous year is computed by another definition than its own year."""
    out: list[Finding] = []
    for year, target in sorted(spec.targets.items()):
        base = target.base_target_year  # "rispetto al target 2024"
        if base is not None and spec.in_force(year) is not spec.in_force(base):
            out.append(_f(
                "growth-across-definitions",
                f"{year}: the target {target.text!r} compares with the {base} target, set "
                f"for another formula of the indicator", ind.code, line,
                msg(gettext_noop("%(year)s: il target «%(text)s» si confronta con il target "
                                 "%(before)s, fissato per un'altra formula dell'indicatore"),
                    year=year, text=target.text, before=base)))
        if target.needs_previous and spec.in_force(year) is not spec.in_force(year - 1):
            out.append(_f(
                "growth-across-definitions",
                f"{year}: the target {target.text!r} compares with {year - 1}, which the "
                f"indicator computed with another formula", ind.code, line,
                msg(gettext_noop("%(year)s: il target «%(text)s» si confronta con il "
                                 "%(before)s, calcolato con un'altra formula "
                                 "dell'indicatore"),
                    year=year, text=target.text, before=year - 1)))
    return out


def lint_plan(plan: Plan, *,
              reading_sources: Mapping[tuple[str, int], Message] | None = None
              ) -> list[Finding]:
    """Every finding about ``plan``, errors first, then by indicator code.

    ``reading_sources`` says who set each structured reading and when (indicator
    code, year), from the plan's history; without it a reading is "set in the plan".
    """
    out: list[Finding] = [
        _f("plan-structure", p, text=msg(gettext_noop("struttura del piano: %(problem)s"),
                                         problem=p)) for p in validate_plan(plan)]
    declared = {v.name: v for v in plan.variables}
    read_as: dict[str, dict[VariableKind, list[str]]] = {}
    read_names: set[str] = set()

    for ind in plan.indicators:
        line = ind.source.line
        out += _indicator_basics(ind, plan.years, line)
        if not ind.formula.strip():
            for year, text in sorted(ind.targets.items()):
                out += _suspicious(text, year, ind.code, line)
            out.append(_f("formula-missing", "the indicator has no formula: it cannot be "
                          "computed (its rule as written: "
                          f"{ind.formula_text or '—'!r})", ind.code, line,
                          msg(gettext_noop("l'indicatore non ha una formula: non si può "
                                           "calcolare (la regola come scritta: «%(rule)s»)"),
                              rule=ind.formula_text or "—")))
            continue
        try:
            formula = parse(ind.formula)
            measure_formulas = {k: parse(v) for k, v in ind.measures.items()}
        except FormulaError as exc:
            out.append(_f("formula-unreadable", f"formula {ind.formula!r}: {exc.describe()}",
                          ind.code, line, exc.reason))
            continue
        names = set(formula.names)
        for mf in measure_formulas.values():
            names |= mf.names
        later, unreadable = _definition_formulas(ind, line)
        if unreadable:
            out += unreadable
            continue
        kind_maps = [formula.variable_kinds]
        for later_f in later:
            names |= later_f.names
            kind_maps.append(later_f.variable_kinds)
        read_names |= names
        for by_name in kind_maps:
            for name, kind in by_name.items():
                codes = read_as.setdefault(name, {}).setdefault(kind, [])
                if ind.code not in codes:
                    codes.append(ind.code)
        undefined = sorted(n for n in names if n not in declared)
        if plan.variables and undefined:
            out.append(_f("variable-undefined",
                          f"the formula reads {', '.join(undefined)}, which the plan does "
                          "not declare", ind.code, line,
                          msg(gettext_noop("la formula legge %(names)s, che il piano non "
                                           "dichiara"), names=", ".join(undefined))))
        for name in sorted(names & set(declared)):
            want = next((k[name] for k in kind_maps if name in k), None)
            if want is not None and want is not declared[name].kind:
                out.append(_f("variable-kind-conflict",
                              f"the formula reads {name} as {want.value} but the plan "
                              f"declares it {declared[name].kind.value}", ind.code, line,
                              msg(gettext_noop("la formula legge %(name)s come %(want)s ma "
                                               "il piano la dichiara %(declared)s"),
                                  name=_label(declared[name]), want=_KIND[want],
                                  declared=_KIND[declared[name].kind])))
        spec = compile_plan_indicator(ind, declared)
        out += _reading_findings(spec, ind, line, reading_sources or {})
        for f in spec_findings(spec):
            if f.kind == "variable-undeclared":
                continue  # reported above against the plan's declarations
            fkind = f.kind
            if fkind == "target-read-with-warning" and _about_unit(f.text):
                fkind = "unit-target-mismatch"
            out.append(Finding(_SEVERITY.get(fkind, f.severity), fkind, f.message, line,
                               f.subject, text=f.text))
        out += _across_definitions(ind, spec, line)
        for year, text in sorted(ind.targets.items()):
            if year not in spec.target_errors:  # an unreadable target says why already
                out += _suspicious(text, year, ind.code, line)

    for name, kinds in sorted(read_as.items()):
        if len(kinds) > 1:
            where = "; ".join(f"{k.value} by {', '.join(c)}" for k, c in sorted(kinds.items()))
            how = "; ".join(
                str(msg(gettext_noop("come %(kind)s da %(codes)s"), kind=_KIND[k],
                        codes=", ".join(c))) for k, c in sorted(kinds.items()))
            label = _label(declared[name]) if name in declared else name
            out.append(_f("variable-kind-conflict", f"{name} is read as {where}", name,
                          text=msg(gettext_noop("%(name)s è letta %(how)s"),
                                   name=label, how=how)))
    for v in plan.variables:
        if not v.source:
            out.append(_f("variable-no-source", f"{v.name} ({v.label or 'no label'}) has no "
                          "data source: no office is asked for it", v.name,
                          text=msg(gettext_noop("«%(label)s» (%(name)s) non ha una fonte dei "
                                                "dati: nessun ufficio la fornisce"),
                                   label=v.label or "—", name=v.name)))
        if v.name not in read_names:
            out.append(_f("variable-unused", f"{v.name} is declared but no formula reads it",
                          v.name, text=msg(gettext_noop("«%(label)s» (%(name)s) è dichiarata "
                                                        "ma nessuna formula la legge"),
                                           label=v.label or "—", name=v.name)))
    for m in plan.missions:
        for p in m.programmes:
            out += _suspicious(p.budget_text, None, p.code, p.source.line)
    out += _public_value_findings(plan)
    return sorted(out, key=lambda f: (_ORDER[f.severity], _code_key(f.subject), f.kind))


def _reading_findings(spec: IndicatorSpec, ind: Indicator, line: int | None,
                      sources: Mapping[tuple[str, int], Message]) -> list[Finding]:
    """Which targets are scored by a structured reading, who set it; where the text
    reads otherwise."""
    out: list[Finding] = []
    for year in sorted(spec.reading_years):
        target = spec.targets[year]
        source = sources.get((ind.code, year)) or set_in_plan()
        out.append(_f("target-reading-set",
                      f"{year}: target {target.text!r} scored by the structured reading: "
                      f"{target.describe('en')}", ind.code, line,
                      msg(gettext_noop("%(year)s: target «%(text)s»: %(source)s: %(reading)s"),
                          year=year, text=target.text, source=source,
                          reading=describe_reading(ind.readings[year]))))
    for year, own in sorted(spec.text_disagrees.items()):
        target = spec.targets[year]
        out.append(_f("target-reading-disagrees",
                      f"{year}: the text {target.text!r} reads as {own.describe('en')}, the "
                      f"structured reading set beside it is {target.describe('en')}",
                      ind.code, line,
                      msg(gettext_noop("%(year)s: il testo «%(text)s» si legge diversamente "
                                       "dalla lettura impostata accanto (%(reading)s): si "
                                       "valuta la lettura impostata"),
                          year=year, text=target.text,
                          reading=describe_reading(ind.readings[year]))))
    return out


def _indicator_basics(ind: Indicator, years: list[int], line: int | None) -> list[Finding]:
    out: list[Finding] = []
    if ind.polarity is None:
        out.append(_f("polarity-missing", "the plan does not say whether higher or lower is "
                      "better; bare targets are read as 'at least'", ind.code, line,
                      msg(gettext_noop("il piano non dice se è meglio un valore più alto o "
                                       "più basso; i target senza parole sono letti come "
                                       "«almeno»"))))
    elif ind.polarity_inferred:
        out.append(_f("polarity-inferred",
                      f"polarity '{ind.polarity.value}' set by the plan's editor: the plan "
                      "does not state it (check it with the centre)", ind.code, line,
                      msg(gettext_noop("polarità «%(polarity)s» impostata da chi ha redatto "
                                       "il piano: il piano non la dichiara (verificarla con "
                                       "il centro)"), polarity=_POLARITY[ind.polarity])))
    if not ind.centres:
        out.append(_f("indicator-no-centre", "no responsibility centre owns the indicator",
                      ind.code, line,
                      msg(gettext_noop("nessun centro di responsabilità ha l'indicatore"))))
    if not ind.formula_text.strip():
        out.append(_f("formula-text-missing", "the plan gives no calculation rule in words",
                      ind.code, line,
                      msg(gettext_noop("il piano non descrive a parole la regola di calcolo"))))
    if ind.weight == 0:
        out.append(_f("weight-zero", "weight 0: the indicator does not count in the roll-up",
                      ind.code, line,
                      msg(gettext_noop("peso 0: l'indicatore non conta negli aggregati"))))
    missing = [y for y in years if not ind.targets.get(y, "").strip()]
    if missing:
        milestone = "realizzazione" in ind.unit.casefold() or any(
            t.strip().casefold().startswith(("sì", "si ", "avvio")) for t in ind.targets.values())
        kind = "target-one-off" if milestone and ind.targets else "target-missing"
        verb = "no target (a one-off project)" if kind == "target-one-off" else "no target"
        years_text = ", ".join(map(str, missing))
        text = (msg(gettext_noop("nessun target (un progetto una tantum) per %(years)s"),
                    years=years_text) if kind == "target-one-off"
                else msg(gettext_noop("nessun target per %(years)s"), years=years_text))
        out.append(_f(kind, f"{verb} for {years_text}", ind.code, line, text))
    return out


def _suspicious(text: str, year: int | None, subject: str, line: int | None
                ) -> list[Finding]:
    """Numbers with broken thousands groups in a target (of ``year``) or, without a year,
    in a programme's budget."""
    out: list[Finding] = []
    for m in _NUMBERISH.finditer(text or ""):
        try:
            parse_italian_number(m.group(0))
        except ValueError as exc:
            why = exc.args[0]
            what = f"{year}: target" if year is not None else f"programme {subject} budget"
            people = (msg(gettext_noop("%(year)s: target «%(text)s»: %(why)s"),
                          year=year, text=text, why=why) if year is not None
                      else msg(gettext_noop("stanziamento del programma %(code)s «%(text)s»: "
                                            "%(why)s"), code=subject, text=text, why=why))
            out.append(_f("number-suspicious", f"{what} {text!r}: {exc}", subject, line,
                          people))
    return out


def _label(v: Variable) -> str:
    return f"«{v.label}» ({v.name})" if v.label else v.name


_KIND = {VariableKind.NUMBER: msg(gettext_noop("numero")),
         VariableKind.YES_NO: msg(gettext_noop("sì/no"))}
_POLARITY = {Polarity.HIGHER_IS_BETTER: msg(gettext_noop("più alto è meglio")),
             Polarity.LOWER_IS_BETTER: msg(gettext_noop("più basso è meglio")),
             Polarity.TARGET_BAND: msg(gettext_noop("restare nel target"))}


_BES_CODES = frozenset(r.code for r in BES_DOMAINS)
_SDG_CODES = frozenset(r.code for r in SDGS)


def _public_value_findings(plan: Plan) -> list[Finding]:
    """A strategic objective under two public values; a BES or SDG code not in its list."""
    out: list[Finding] = []
    first: dict[str, str] = {}
    for pv in plan.public_values:
        line = pv.source.line
        for sc in pv.strategic_codes:
            if sc in first and first[sc] != pv.code:
                out.append(_f(
                    "public-value-objective-twice",
                    f"strategic objective {sc} is grouped under public values {first[sc]} "
                    f"and {pv.code}: an objective belongs to one public value at most",
                    pv.code, line,
                    msg(gettext_noop("l'obiettivo strategico %(objective)s è sotto i valori "
                                     "pubblici %(first)s e %(second)s: un obiettivo "
                                     "appartiene al più a un valore pubblico"),
                        objective=sc, first=first[sc], second=pv.code)))
            first.setdefault(sc, pv.code)
        for what, codes, known, expected in (
                ("BES", pv.bes, _BES_CODES, "BES1-BES12"),
                ("SDG", pv.sdgs, _SDG_CODES, "SDG1-SDG17")):
            for code in codes:
                if code not in known:
                    out.append(_f(
                        "public-value-reference-unknown",
                        f"public value {pv.code}: {what} reference {code!r} is not in the "
                        f"list ({expected})", pv.code, line,
                        msg(gettext_noop("valore pubblico %(code)s: il riferimento %(what)s "
                                         "«%(ref)s» non è nell'elenco (%(expected)s)"),
                            code=pv.code, what=what, ref=code, expected=expected)))
    return out
