"""Achievement: how far an indicator's actual value meets its target.

``assess(target, actual, previous=..., measures=...)`` is the rule book (a
pure function of a target and values); ``score_indicator(spec, inputs,
year)`` evaluates an indicator's formula for a year and assesses it, keeping
every step for the explanation.

Achievement is a percentage from 0 to 100, rounded *down* to two decimals,
so it is 100 exactly when the target is met and never rounds up into a
better status. The rules (docs/engine.md, "Achievement rules"):

- at least ``t``: ``100 × actual / t``, capped at 100;
- at most ``t``: 100 when ``actual <= t``, else ``100 × t / actual``;
- a bound of zero or below (or a negative actual) cannot be proportional:
  met is 100, not met is 0;
- band ``[lo, hi]``: 100 inside; below, ``100 × actual / lo``; above,
  ``100 × hi / actual``;
- growth ``r`` against the previous year ``p``: the actual growth
  ``g = (actual - p) / |p|`` against ``r``: ``100 × g / r``, capped to
  0-100 (for a reduction both are negative); ``p = 0`` is not computable;
  a rate of 0 ("maintain") compares with ``p`` as an at least / at most;
- milestone: 100 if done (yes), 0 if not;
- compound: every part must be met; the achievement is the lowest part's.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import cast

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.formula import (
    DECIMAL_CONTEXT,
    Evaluation,
    Formula,
    FormulaError,
    Ref,
    parse,
)
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import rounded
from cruscotto.core.target_structure import (
    ReadingError,
    TargetReading,
    reading_problems,
    reading_to_target,
    readings_disagree,
)
from cruscotto.core.targets import (
    Polarity,
    Target,
    TargetError,
    TargetKind,
    TargetPartlyRead,
    parse_target,
)
from cruscotto.core.values import (
    Inputs,
    NotComputable,
    NotMeasured,
    Problem,
    Value,
    Variable,
    VariableKind,
    VarKey,
    format_value,
    merge_problems,
    missing_message,
    to_data,
)

__all__ = [
    "DEFAULT_BANDS",
    "Assessment",
    "IndicatorResult",
    "IndicatorSpec",
    "Outcome",
    "Status",
    "StatusBands",
    "assess",
    "compile_indicator",
    "score_indicator",
    "spec_findings",
]

HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_ALMOST = Decimal("99.99")


class Status(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    #: nothing to score (no target, not measured, not computable)
    NOT_AVAILABLE = "not_available"


@dataclass(frozen=True, slots=True)
class StatusBands:
    """Achievement thresholds of the traffic light; set per plan.

    ``achievement >= green`` is green, ``>= yellow`` yellow, anything else red.
    """

    green: Decimal = HUNDRED
    yellow: Decimal = Decimal(70)

    def __post_init__(self) -> None:
        if not (0 <= self.yellow <= self.green <= HUNDRED):
            raise ValueError("status bands need 0 <= yellow <= green <= 100, "
                             f"got yellow={self.yellow}, green={self.green}")

    def status(self, achievement: Decimal | None) -> Status:
        if achievement is None:
            return Status.NOT_AVAILABLE
        if achievement >= self.green:
            return Status.GREEN
        if achievement >= self.yellow:
            return Status.YELLOW
        return Status.RED

    def as_dict(self) -> dict[str, object]:
        return cast(dict[str, object], to_data(self))


DEFAULT_BANDS = StatusBands()


class Outcome(enum.StrEnum):
    SCORED = "scored"
    NO_TARGET = "no_target"
    NOT_MEASURED = "not_measured"
    NOT_COMPUTABLE = "not_computable"


# -- the rule book -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Assessment:
    """A target checked against a value: the rule applied and its working."""

    target: Target
    #: the value compared (for a growth target, the growth)
    compared: Value | None
    achievement: Decimal | None
    met: bool | None
    #: a stable name of the rule (``at_least_proportional``, ``milestone``...)
    rule: str
    #: the rule with the numbers in, for people
    working: str
    #: why there is no achievement, when there is none
    problem: Problem | None = None
    parts: tuple[Assessment, ...] = ()

    def as_dict(self) -> dict[str, object]:
        # the target itself is given once, by the result; here it is named
        return {
            "target": self.target.text,
            "target_description": self.target.describe("en"),
            "compared": to_data(self.compared),
            "achievement": to_data(self.achievement),
            "met": self.met,
            "rule": self.rule,
            "working": self.working,
            "problem": to_data(self.problem),
            "parts": [p.as_dict() for p in self.parts],
        }


def _floor(x: Decimal) -> Decimal:
    # an achievement beyond the display range is kept whole (shown as out of range)
    r = rounded(x, 2, ROUND_FLOOR)
    return x if r is None else r


def _clamp(raw: Decimal, met: bool) -> Decimal:
    a = _floor(min(HUNDRED, max(Decimal(0), raw)))
    if met:
        return HUNDRED
    return min(a, _ALMOST)


def _failed(target: Target, problem: Problem, compared: Value | None = None) -> Assessment:
    return Assessment(target=target, compared=compared, achievement=None, met=None,
                      rule="none", working="", problem=problem)


def assess(
    target: Target,
    actual: Value,
    *,
    previous: Value | None = None,
    measures: Mapping[str, Value] | None = None,
) -> Assessment:
    """Apply ``target``'s rule to ``actual`` (never raises for any value).

    ``previous`` is the indicator's value for the year before (growth and
    "maintain" targets); ``measures`` the values of named measures that
    target parts compare (``spesa`` for a spending cap).
    """
    with localcontext(DECIMAL_CONTEXT):
        try:
            return _assess(target, actual, previous, measures or {})
        except ArithmeticError:
            return _failed(target, NotComputable(msg(gettext_noop(
                "un valore è troppo grande per il confronto"))))


def _assess(target: Target, actual: Value, previous: Value | None,
            measures: Mapping[str, Value]) -> Assessment:
    k = target.kind
    if k is TargetKind.NONE:
        return _failed(target, NotComputable(msg(gettext_noop("nessun target per l'anno"))))
    if k is TargetKind.COMPOUND:
        parts = tuple(
            _assess(p, measures.get(p.measure, NotComputable(msg(
                gettext_noop("nessun valore per la misura «%(measure)s»"), measure=p.measure)))
                    if p.measure else actual, previous, measures)
            for p in target.parts
        )
        problem = merge_problems(p.problem for p in parts if p.problem is not None)
        if problem is not None:
            return Assessment(target=target, compared=None, achievement=None, met=None,
                              rule="compound", working="", problem=problem,
                              parts=parts)
        achievements = [p.achievement for p in parts if p.achievement is not None]
        ach = min(achievements) if achievements else None
        met = all(bool(p.met) for p in parts)
        working = "every part must be met; the lowest counts: " + "; ".join(
            f"{p.target.describe('en')} → {format_value(p.achievement or Decimal(0))}"
            for p in parts)
        return Assessment(target=target, compared=None, achievement=ach, met=met,
                          rule="compound", working=working, parts=parts)
    if target.measure and target.measure in measures:
        actual = measures[target.measure]
    if isinstance(actual, NotMeasured | NotComputable):
        return _failed(target, actual, actual)
    if k is TargetKind.MILESTONE:
        if not isinstance(actual, bool):
            return _failed(target, NotComputable(msg(
                gettext_noop("un traguardo vuole un valore sì/no, non %(got)s"),
                got=format_value(actual))), actual)
        return Assessment(target=target, compared=actual, achievement=HUNDRED if actual
                          else Decimal(0), met=actual, rule="milestone",
                          working=f"milestone {'reached' if actual else 'not reached'}: "
                                  f"{'100' if actual else '0'}")
    if isinstance(actual, bool):
        return _failed(target, NotComputable(msg(
            gettext_noop("il target è un numero ma il valore è sì/no"))), actual)
    pct = target.percent
    if k is TargetKind.AT_LEAST:
        return _at_least(target, actual, target.threshold or Decimal(0), pct)
    if k is TargetKind.AT_MOST:
        return _at_most(target, actual, target.threshold or Decimal(0), pct)
    if k is TargetKind.BAND:
        return _band(target, actual, previous, pct)
    return _growth(target, actual, previous)


_NO_PREVIOUS = msg(gettext_noop("manca il valore dell'anno precedente"))
_PREVIOUS_YES_NO = msg(gettext_noop("il valore dell'anno precedente è sì/no"))


def _show(x: Decimal, percent: bool) -> str:
    """A figure in a working, for people: 2 decimals of a percentage, 4 of a number.

    Only the text is rounded; the achievement is computed on the exact values.
    """
    if x.is_finite() and x != x.to_integral_value() and abs(x.adjusted()) < 20:
        r = rounded(x, 4)
        x = x if r is None else r
    return format_value(x, percent=percent)


def _at_least(target: Target, v: Decimal, t: Decimal, pct: bool,
              rule: str = "at_least") -> Assessment:
    met = v >= t
    if t <= 0 or v < 0:
        ach = HUNDRED if met else Decimal(0)
        working = (f"{_show(v, pct)} {'>=' if met else '<'} {_show(t, pct)}: "
                   f"{'met' if met else 'not met'} ({'100' if met else '0'}; a bound of zero "
                   "or below, or a negative value, is met or not)")
        return Assessment(target, v, ach, met, f"{rule}_binary", working)
    raw = HUNDRED * v / t
    ach = _clamp(raw, met)
    working = f"100 × {_show(v, pct)} / {_show(t, pct)} = {format_value(_floor(raw))}"
    if raw > HUNDRED:
        working += " → capped at 100"
    return Assessment(target, v, ach, met, f"{rule}_proportional", working)


def _at_most(target: Target, v: Decimal, t: Decimal, pct: bool,
             rule: str = "at_most") -> Assessment:
    met = v <= t
    if met:
        working = f"{_show(v, pct)} <= {_show(t, pct)}: met → 100"
        return Assessment(target, v, HUNDRED, True, f"{rule}_inverse", working)
    if t <= 0:
        working = (f"{_show(v, pct)} > {_show(t, pct)}: not met → 0 (a bound of zero or "
                   "below is met or not)")
        return Assessment(target, v, Decimal(0), False, f"{rule}_binary", working)
    raw = HUNDRED * t / v
    ach = _clamp(raw, False)
    working = f"100 × {_show(t, pct)} / {_show(v, pct)} = {format_value(_floor(raw))}"
    return Assessment(target, v, ach, False, f"{rule}_inverse", working)


def _band(target: Target, v: Decimal, previous: Value | None, pct: bool) -> Assessment:
    tol = target.tolerance or Decimal(0)
    if target.relative_to_previous:
        if previous is None:
            previous = NotComputable(_NO_PREVIOUS)
        if isinstance(previous, NotMeasured | NotComputable):
            return _failed(target, previous, v)
        if isinstance(previous, bool):
            return _failed(target, NotComputable(_PREVIOUS_YES_NO), v)
        centre = previous
    else:
        centre = target.threshold or Decimal(0)
    width = abs(centre) * tol if target.tolerance_relative else tol
    lo, hi = centre - width, centre + width
    where = f"band {_show(lo, pct)} - {_show(hi, pct)}"
    if lo <= v <= hi:
        return Assessment(target, v, HUNDRED, True, "band",
                          f"{_show(v, pct)} inside the {where} → 100")
    if v < lo:
        if lo <= 0 or v < 0:
            return Assessment(target, v, Decimal(0), False, "band_binary",
                              f"{_show(v, pct)} below the {where} → 0")
        raw = HUNDRED * v / lo
        return Assessment(target, v, _clamp(raw, False), False, "band",
                          f"below the {where}: 100 × {_show(v, pct)} / {_show(lo, pct)} = "
                          f"{format_value(_floor(raw))}")
    if hi <= 0:
        return Assessment(target, v, Decimal(0), False, "band_binary",
                          f"{_show(v, pct)} above the {where} → 0")
    raw = HUNDRED * hi / v
    return Assessment(target, v, _clamp(raw, False), False, "band",
                      f"above the {where}: 100 × {_show(hi, pct)} / {_show(v, pct)} = "
                      f"{format_value(_floor(raw))}")


def _growth(target: Target, v: Decimal, previous: Value | None) -> Assessment:
    if target.base_value is not None:
        previous = target.base_value  # a stated base: "rispetto a 992.721.372 (nov. 2023)"
    if previous is None:
        previous = NotComputable(_NO_PREVIOUS)
    if isinstance(previous, NotMeasured | NotComputable):
        return _failed(target, previous)
    if isinstance(previous, bool):
        return _failed(target, NotComputable(_PREVIOUS_YES_NO))
    p = previous
    rate = target.threshold or Decimal(0)
    if rate == 0:
        # "maintain": the previous value is the bound
        if target.decrease:
            return _at_most(target, v, p, False, rule="maintain")
        return _at_least(target, v, p, False, rule="maintain")
    if not target.percent:
        return _increment(target, v, p)
    if p == 0:
        return _failed(target, NotComputable(msg(gettext_noop(
            "il valore dell'anno precedente è 0: la variazione non si può calcolare"))))
    g = (v - p) / abs(p)
    met = g <= rate if target.decrease else g >= rate
    raw = HUNDRED * g / rate
    ach = _clamp(raw, met)
    working = (f"growth ({format_value(v)} - {format_value(p)}) / |{format_value(p)}| = "
               f"{_show(g, True)}; 100 × {_show(g, True)} / {_show(rate, True)} = "
               f"{format_value(_floor(raw))}")
    if raw > HUNDRED:
        working += " → capped at 100"
    elif raw < 0:
        working += " → 0"
    return Assessment(target, g, ach, met, "reduction" if target.decrease else "growth",
                      working)


def _increment(target: Target, v: Decimal, p: Decimal) -> Assessment:
    """``ulteriori 5``, ``+20.000``: the value must grow by at least that much."""
    step = target.threshold or Decimal(0)
    d = v - p
    met = d <= step if target.decrease else d >= step
    raw = HUNDRED * d / step
    ach = _clamp(raw, met)
    working = (f"increment {format_value(v)} - {format_value(p)} = {format_value(d)}; "
               f"100 × {format_value(d)} / {format_value(step)} = {format_value(_floor(raw))}")
    if raw > HUNDRED:
        working += " → capped at 100"
    elif raw < 0:
        working += " → 0"
    return Assessment(target, d, ach, met, "increment", working)


# -- indicators -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """Everything the engine needs to score one indicator (built by :func:`compile_indicator`)."""

    code: str
    formula: Formula
    #: target per year; a year absent here has no target
    targets: Mapping[int, Target] = field(default_factory=dict)
    name: str = ""
    unit: str = ""
    polarity: Polarity = Polarity.HIGHER_IS_BETTER
    #: formulas of named measures that target parts compare (``spesa``); a part
    #: naming a measure not listed here reads the input of that name
    measures: Mapping[str, Formula] = field(default_factory=dict)
    #: declared inputs (label, source) by name
    variables: Mapping[str, Variable] = field(default_factory=dict)
    #: the indicator's *fonte dati*, the source of inputs not declared otherwise
    data_source: str = ""
    #: years whose target text could not be read, with the reason
    target_errors: Mapping[int, Message] = field(default_factory=dict)
    #: years of ``target_errors`` whose target was read only in part, with what the
    #: lint says of each (for people)
    partly_read: Mapping[int, Message] = field(default_factory=dict)
    #: the reader's own account of each year in ``target_errors`` (for developers)
    target_details: Mapping[int, str] = field(default_factory=dict)
    #: years whose target is a structured reading set by the planning office
    #: (``core.target_structure``), not the text's own reading
    reading_years: frozenset[int] = frozenset()
    #: years whose text reads fully but otherwise than the reading set beside it:
    #: the text's own reading (the lint warns)
    text_disagrees: Mapping[int, Target] = field(default_factory=dict)

    def measure_formula(self, name: str) -> Formula:
        f = self.measures.get(name)
        return f if f is not None else _input_formula(name)

    def needs(self, year: int) -> frozenset[VarKey]:
        """Every ``(variable, year)`` scoring ``year`` may read: fetch these at once."""
        keys: set[VarKey] = set(self.formula.needs(year))
        target = self.targets.get(year)
        if target is not None:
            if target.needs_previous:
                keys |= self.formula.needs(year - 1)
            for m in target.measures:
                keys |= self.measure_formula(m).needs(year)
        return frozenset(keys)


def _input_formula(name: str) -> Formula:
    try:
        return parse(name)
    except FormulaError:
        # a measure name that is not an identifier: a formula no input can satisfy
        return parse("missing_measure")


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator scored for one year, with its whole derivation."""

    code: str
    year: int
    outcome: Outcome
    #: the indicator's value for the year (the formula's result)
    value: Value
    achievement: Decimal | None
    met: bool | None
    status: Status
    #: why there is no achievement, for people (``None`` when scored)
    reason: Message | None
    name: str = ""
    target: Target | None = None
    evaluation: Evaluation | None = None
    #: the formula for the year before, when the target compares with it
    previous: Evaluation | None = None
    #: the measures the target parts compare, by name
    measures: tuple[tuple[str, Evaluation], ...] = ()
    assessment: Assessment | None = None
    #: warnings about the target as written
    warnings: tuple[Message, ...] = ()

    @property
    def missing(self) -> tuple[VarKey, ...]:
        """The inputs not supplied (whether or not the result needed them all)."""
        return tuple(_missing_of(self.evaluation, self.previous, self.measures))

    def as_dict(self) -> dict[str, object]:
        """The derivation as plain data: inputs and sources, formula, target, rule, result."""
        return {
            "code": self.code,
            "name": self.name,
            "year": self.year,
            "outcome": self.outcome.value,
            "value": to_data(self.value),
            "achievement": to_data(self.achievement),
            "met": self.met,
            "status": self.status.value,
            "reason": str(self.reason) if self.reason is not None else "",
            "target": self.target.as_dict() if self.target else None,
            "formula": self.evaluation.as_dict() if self.evaluation else None,
            "previous_year": self.previous.as_dict() if self.previous else None,
            "measures": {name: ev.as_dict() for name, ev in self.measures},
            "assessment": self.assessment.as_dict() if self.assessment else None,
            "missing": [{"name": n, "year": y} for n, y in self.missing],
            "warnings": [str(w) for w in self.warnings],
        }


def score_indicator(
    spec: IndicatorSpec, inputs: Inputs, year: int, *, bands: StatusBands = DEFAULT_BANDS
) -> IndicatorResult:
    """Evaluate ``spec`` for ``year`` against ``inputs`` and assess its target."""
    evaluation = spec.formula.trace(inputs, year, spec.variables,
                                    default_source=spec.data_source)

    def result(
        outcome: Outcome, reason: Message | None, *, target: Target | None = None,
        previous: Evaluation | None = None,
        measures: tuple[tuple[str, Evaluation], ...] = (),
        assessment: Assessment | None = None,
    ) -> IndicatorResult:
        scored = outcome is Outcome.SCORED and assessment is not None
        achievement = assessment.achievement if scored and assessment else None
        return IndicatorResult(
            code=spec.code, name=spec.name, year=year,
            evaluation=evaluation, value=evaluation.value, outcome=outcome, reason=reason,
            achievement=achievement, met=assessment.met if scored and assessment else None,
            status=bands.status(achievement), target=target, previous=previous,
            measures=measures, assessment=assessment,
            warnings=target.all_warnings() if target else (),
        )

    if year in spec.target_errors:
        return result(Outcome.NOT_COMPUTABLE, msg(gettext_noop("non calcolabile: %(why)s"),
                                                  why=spec.target_errors[year]))
    target = spec.targets.get(year)
    if target is None or target.kind is TargetKind.NONE:
        return result(Outcome.NO_TARGET, msg(gettext_noop("nessun target per il %(year)s"),
                                             year=year), target=target)
    previous: Evaluation | None = None
    if target.needs_previous:
        previous = spec.formula.trace(inputs, year - 1, spec.variables,
                                      default_source=spec.data_source)
    measure_evals = tuple(
        (m, spec.measure_formula(m).trace(inputs, year, spec.variables,
                                          default_source=spec.data_source))
        for m in sorted(target.measures)
    )
    assessment = assess(target, evaluation.value,
                        previous=previous.value if previous else None,
                        measures={m: ev.value for m, ev in measure_evals})
    problem = assessment.problem
    if problem is None:
        outcome, reason = Outcome.SCORED, None
    elif isinstance(problem, NotMeasured):
        missing = _missing_of(evaluation, previous, measure_evals) or list(problem.missing)
        outcome = Outcome.NOT_MEASURED
        reason = missing_message(missing, {n: v.label for n, v in spec.variables.items()})
    else:
        outcome = Outcome.NOT_COMPUTABLE
        reason = msg(gettext_noop("non calcolabile: %(why)s"), why=problem.reason)
    return result(outcome, reason, target=target, previous=previous, measures=measure_evals,
                  assessment=assessment)


def _missing_of(evaluation: Evaluation | None, previous: Evaluation | None,
                measures: Sequence[tuple[str, Evaluation]]) -> list[VarKey]:
    found: set[VarKey] = set()
    for ev in (evaluation, previous, *(e for _, e in measures)):
        if ev is not None:
            for i in ev.inputs:
                if isinstance(i.value, NotMeasured):
                    found.add((i.name, i.year))
    return sorted(found)


def compile_indicator(
    *,
    code: str,
    formula: str,
    targets: Mapping[int, str],
    unit: str = "",
    polarity: Polarity = Polarity.HIGHER_IS_BETTER,
    name: str = "",
    measures: Mapping[str, str] | None = None,
    variables: Sequence[Variable] = (),
    data_source: str = "",
    cap_measure: str = "spesa",
    readings: Mapping[int, TargetReading] | None = None,
) -> IndicatorSpec:
    """Parse an indicator's formula, measures and yearly targets into a spec.

    A formula or measure that cannot be read raises :class:`FormulaError`
    (the indicator cannot be scored at all). A year's target that cannot be
    read does not stop the others: it is kept in ``target_errors`` and that
    year scores as not computable, naming the error (a plan lint reports it).
    """
    f = parse(formula)
    parsed: dict[int, Target] = {}
    errors: dict[int, Message] = {}
    partly: dict[int, Message] = {}
    details: dict[int, str] = {}
    for y, text in sorted(targets.items()):
        try:
            parsed[y] = parse_target(text, unit=unit, polarity=polarity,
                                     cap_measure=cap_measure, year=y)
        except TargetPartlyRead as e:
            errors[y], details[y] = e.people(), str(e)
            partly[y] = e.finding_text(y)
        except TargetError as e:
            errors[y], details[y] = e.people(), str(e)
    disagree = _apply_readings(readings or {}, targets, parsed, errors, partly, details,
                               measure_names={*(measures or {}), *(v.name for v in variables)})
    return IndicatorSpec(
        code=code, formula=f, targets=parsed, name=name, unit=unit, polarity=polarity,
        measures={k: parse(v) for k, v in (measures or {}).items()},
        variables={v.name: v for v in variables}, data_source=data_source,
        target_errors=errors, partly_read=partly, target_details=details,
        reading_years=frozenset(y for y in (readings or {}) if y in parsed),
        text_disagrees=disagree,
    )


def _apply_readings(readings: Mapping[int, TargetReading], texts: Mapping[int, str],
                    parsed: dict[int, Target], errors: dict[int, Message],
                    partly: dict[int, Message], details: dict[int, str], *,
                    measure_names: set[str]) -> dict[int, Target]:
    """Put the structured readings in place of the texts' own readings (in ``parsed``,
    clearing the refusals they replace); a reading that cannot be used becomes the
    year's refusal. Returns the texts read fully that disagree with their reading."""
    disagree: dict[int, Target] = {}
    own = dict(parsed)
    for y in sorted(readings):
        reading, text = readings[y], texts.get(y, "")
        problems = reading_problems(reading, year=y, years=texts.keys(),
                                    measures=measure_names)
        try:
            if problems:
                raise ReadingError(problems)
            target = reading_to_target(reading, text=text, year=y,
                                       year_targets={k: v for k, v in parsed.items() if k < y})
        except ReadingError as e:
            parsed.pop(y, None)
            partly.pop(y, None)
            errors[y] = msg(gettext_noop("la lettura impostata del target «%(text)s» non si "
                                         "usa: %(why)s"), text=text,
                            why=e.problems[0])
            details[y] = f"the structured reading of {text!r} cannot be used: {e}"
            continue
        for d in (errors, partly, details):
            d.pop(y, None)
        parsed[y] = target
        if y in own and readings_disagree(own[y], target):
            disagree[y] = own[y]
    return disagree




def spec_findings(spec: IndicatorSpec) -> list[Finding]:
    """What a plan lint should say about a compiled indicator.

    Unreadable targets (error), targets read with a warning, a milestone
    target on a formula that gives a number (or a number target on a yes/no
    formula), and inputs the formula reads that the indicator does not
    declare (when it declares any).
    """
    out: list[Finding] = []
    for year, message in sorted(spec.target_errors.items()):
        error_kind = "target-partly-read" if year in spec.partly_read else "target-unreadable"
        detail = spec.target_details.get(year, message)
        out.append(Finding(Severity.ERROR, error_kind, f"{year}: {detail}",
                           subject=spec.code, text=spec.partly_read.get(year) or msg(
                               gettext_noop("%(year)s: %(why)s"), year=year, why=message)))
    for year, target in sorted(spec.targets.items()):
        for w in target.all_warnings():
            out.append(Finding(Severity.WARNING, "target-read-with-warning",
                               f"{year}: target {target.text!r}: {w}", subject=spec.code,
                               text=msg(gettext_noop("%(year)s: target «%(text)s»: %(why)s"),
                                        year=year, text=target.text, why=w)))
        if target.kind is TargetKind.NONE:
            continue
        kind = spec.formula.result_kind
        tree = spec.formula.tree
        if kind is None and isinstance(tree, Ref) and tree.name in spec.variables:
            # a formula that is one input gives what that input is declared to be
            kind = spec.variables[tree.name].kind
        main_parts = [p for p in (target.parts or (target,)) if not p.measure]
        for part in main_parts:
            wants_yes_no = part.kind is TargetKind.MILESTONE
            if kind is VariableKind.NUMBER and wants_yes_no:
                out.append(Finding(
                    Severity.ERROR, "formula-kind-mismatch",
                    f"{year}: the target {target.text!r} is a milestone but the formula "
                    f"{spec.formula.text!r} gives a number", subject=spec.code,
                    text=msg(gettext_noop("%(year)s: il target «%(text)s» è un traguardo ma "
                                          "la formula «%(formula)s» dà un numero"),
                             year=year, text=target.text, formula=spec.formula.text)))
            if kind is VariableKind.YES_NO and not wants_yes_no:
                out.append(Finding(
                    Severity.ERROR, "formula-kind-mismatch",
                    f"{year}: the target {target.text!r} needs a number but the formula "
                    f"{spec.formula.text!r} gives yes/no", subject=spec.code,
                    text=msg(gettext_noop("%(year)s: il target «%(text)s» vuole un numero ma "
                                          "la formula «%(formula)s» dà sì/no"),
                             year=year, text=target.text, formula=spec.formula.text)))
    if spec.variables:
        for name in sorted(spec.formula.names - set(spec.variables)):
            out.append(Finding(Severity.WARNING, "variable-undeclared",
                               f"the formula reads {name!r}, which the indicator does not "
                               "declare", subject=spec.code,
                               text=msg(gettext_noop("la formula legge «%(name)s», che "
                                                     "l'indicatore non dichiara"), name=name)))
    return out
