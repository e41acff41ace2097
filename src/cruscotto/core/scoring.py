"""Achievement: how far an indicator's actual value meets its target.

``assess(target, actual, previous=..., measures=...)`` is the rule book (a
pure function of a target and values); ``score_indicator(spec, inputs,
year)`` evaluates an indicator's formula for a year and assesses it, keeping
every step for the explanation.

Achievement is a percentage from 0 to 100. The engine decides on the exact
value (the status, the roll-up's averages); the figure shown and stored for
display is :func:`shown_achievement`: rounded half up to two decimals, but never
onto a threshold (a status band, 100) the exact value does not reach
(docs/decisions/0008-achievement-rounding.md). It is 100 exactly when the target
is met. The rules (docs/engine.md, "Achievement rules"):

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
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from typing import cast

from cruscotto.core.baselines import Baseline
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
from cruscotto.core.yearly import resolve_target_bases

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
    "shown_achievement",
    "spec_findings",
]

HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
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


def shown_achievement(exact: Decimal | None, bands: StatusBands = DEFAULT_BANDS
                      ) -> Decimal | None:
    """The achievement as shown and stored for display: ``exact`` rounded half up to two
    decimals, except that it never reaches a threshold (``bands``' yellow and green, 100)
    the exact value does not reach (then the largest two-decimal value below it), nor
    falls below one the exact value reaches (then the smallest at or above it).

    ``88.888…`` → ``88.89``; ``79.996`` with an 80 threshold → ``79.99``; ``99.999`` →
    ``99.99``. So the figure shown always has the status of the exact value. A value
    with at most two decimals is returned as it is; one beyond the display range too.
    """
    if exact is None:
        return None
    if _ZERO <= exact <= HUNDRED:  # an achievement: two decimals always fit
        r = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    else:  # a ratio in a working, of any size
        big = rounded(exact, 2, ROUND_HALF_UP)
        if big is None:
            return exact
        r = big
    if r == exact and exact.as_tuple().exponent >= -2:  # type: ignore[operator]
        return exact
    for t, ceiling in _thresholds(bands):
        if exact < t <= r:
            r = ceiling - _CENT
        elif r < t <= exact:
            r = ceiling
    return r


@functools.lru_cache(maxsize=64)
def _thresholds(bands: StatusBands) -> tuple[tuple[Decimal, Decimal], ...]:
    """The thresholds a figure shown must not cross, each with its two-decimal ceiling."""
    return tuple((t, t.quantize(_CENT, rounding=ROUND_CEILING))
                 for t in sorted({bands.yellow, bands.green, HUNDRED}))


def _ratio(raw: Decimal) -> str:
    """A rule's ratio in a working, for people: as an achievement is shown."""
    shown = shown_achievement(raw)
    return format_value(raw if shown is None else shown)


def _clamp(raw: Decimal, met: bool) -> Decimal:
    """The exact achievement: within 0-100, 100 only when met."""
    if met:
        return HUNDRED
    a = min(HUNDRED, max(Decimal(0), raw))
    # a ratio of a target not met that the precision rounds to 100 stays below it
    return a if a < HUNDRED else _ALMOST


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
            f"{p.target.describe('en')} → {_ratio(p.achievement or Decimal(0))}"
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
    working = f"100 × {_show(v, pct)} / {_show(t, pct)} = {_ratio(raw)}"
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
    working = f"100 × {_show(t, pct)} / {_show(v, pct)} = {_ratio(raw)}"
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
                          f"{_ratio(raw)}")
    if hi <= 0:
        return Assessment(target, v, Decimal(0), False, "band_binary",
                          f"{_show(v, pct)} above the {where} → 0")
    raw = HUNDRED * hi / v
    return Assessment(target, v, _clamp(raw, False), False, "band",
                      f"above the {where}: 100 × {_show(hi, pct)} / {_show(v, pct)} = "
                      f"{_ratio(raw)}")


def _growth(target: Target, v: Decimal, previous: Value | None) -> Assessment:
    if target.base_target_year is not None and target.base_value is None:
        # "rispetto al target 2024" read alone, not through the plan: no base to compare
        return _failed(target, NotComputable(msg(gettext_noop(
            "il target %(year)s, base del confronto, non è noto"), year=target.base_target_year)))
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
               f"{_ratio(raw)}")
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
               f"100 × {format_value(d)} / {format_value(step)} = {_ratio(raw)}")
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
    #: later definitions of the indicator, each in force from its year on:
    #: ``(from_year, spec)`` in year order (see :meth:`in_force`)
    periods: tuple[tuple[int, IndicatorSpec], ...] = ()
    #: years whose target is a structured reading set by the planning office
    #: (``core.target_structure``), not the text's own reading
    reading_years: frozenset[int] = frozenset()
    #: years whose text reads fully but otherwise than the reading set beside it:
    #: the text's own reading (the lint warns)
    text_disagrees: Mapping[int, Target] = field(default_factory=dict)

    def measure_formula(self, name: str) -> Formula:
        f = self.measures.get(name)
        return f if f is not None else _input_formula(name)

    def in_force(self, year: int) -> IndicatorSpec:
        """The spec computing ``year``: the latest period starting on or before it."""
        spec = self
        for start, period in self.periods:
            if start <= year:
                spec = period
        return spec

    def needs(self, year: int) -> frozenset[VarKey]:
        """Every ``(variable, year)`` scoring ``year`` may read: fetch these at once."""
        now = self.in_force(year)
        keys: set[VarKey] = set(now.formula.needs(year))
        target = self.targets.get(year)
        if target is not None:
            if target.needs_previous:
                keys |= self.in_force(year - 1).formula.needs(year - 1)
            for m in target.measures:
                keys |= now.measure_formula(m).needs(year)
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
    #: the achievement as shown and stored for display (:func:`shown_achievement`)
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
    #: the exact achievement, which the status and the roll-up's averages use
    exact_achievement: Decimal | None = None

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
            "exact_achievement": to_data(self.exact_achievement),
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
    """Evaluate ``spec`` for ``year`` against ``inputs`` and assess its target.

    The formula is the one in force that year (:meth:`IndicatorSpec.in_force`);
    the previous year's value, for a growth, is computed as that year defined it.
    """
    before = spec.in_force(year - 1)
    spec = spec.in_force(year)
    evaluation = spec.formula.trace(inputs, year, spec.variables,
                                    default_source=spec.data_source)

    def result(
        outcome: Outcome, reason: Message | None, *, target: Target | None = None,
        previous: Evaluation | None = None,
        measures: tuple[tuple[str, Evaluation], ...] = (),
        assessment: Assessment | None = None,
    ) -> IndicatorResult:
        scored = outcome is Outcome.SCORED and assessment is not None
        exact = assessment.achievement if scored and assessment else None
        return IndicatorResult(
            code=spec.code, name=spec.name, year=year,
            evaluation=evaluation, value=evaluation.value, outcome=outcome, reason=reason,
            achievement=shown_achievement(exact, bands),
            met=assessment.met if scored and assessment else None,
            status=bands.status(exact), target=target, previous=previous,
            measures=measures, assessment=assessment,
            warnings=target.all_warnings() if target else (), exact_achievement=exact,
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
        previous = before.formula.trace(inputs, year - 1, before.variables,
                                        default_source=before.data_source)
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
    baselines: Sequence[Baseline] = (),
    target_units: Mapping[int, tuple[str, Polarity]] | None = None,
    readings: Mapping[int, TargetReading] | None = None,
) -> IndicatorSpec:
    """Parse an indicator's formula, measures and yearly targets into a spec.

    A formula or measure that cannot be read raises :class:`FormulaError`
    (the indicator cannot be scored at all). A year's target that cannot be
    read does not stop the others: it is kept in ``target_errors`` and that
    year scores as not computable, naming the error (a plan lint reports it).

    ``baselines`` are those the plan declares for the indicator (what
    ``rispetto alla baseline`` names); ``target_units`` gives, for a year whose
    definition differs, the unit and polarity its target is read with. A target
    compared with another year's target gets that target's value, or is refused.
    """
    f = parse(formula)
    parsed: dict[int, Target] = {}
    errors: dict[int, Message] = {}
    partly: dict[int, Message] = {}
    details: dict[int, str] = {}
    for y, text in sorted(targets.items()):
        y_unit, y_polarity = (target_units or {}).get(y, (unit, polarity))
        try:
            parsed[y] = parse_target(text, unit=y_unit, polarity=y_polarity,
                                     cap_measure=cap_measure, year=y, baselines=baselines)
        except TargetPartlyRead as e:
            errors[y], details[y] = e.people(), str(e)
            partly[y] = e.finding_text(y)
        except TargetError as e:
            errors[y], details[y] = e.people(), str(e)
    disagree = _apply_readings(readings or {}, targets, parsed, errors, partly, details,
                               measure_names={*(measures or {}), *(v.name for v in variables)})
    parsed, unresolved = resolve_target_bases(parsed, targets)
    for y, why in unresolved.items():
        errors[y], details[y] = why, f"target {targets[y]!r}: {why}"
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
        now = spec.in_force(year)  # the formula in force that year
        kind = now.formula.result_kind
        tree = now.formula.tree
        if kind is None and isinstance(tree, Ref) and tree.name in now.variables:
            # a formula that is one input gives what that input is declared to be
            kind = now.variables[tree.name].kind
        main_parts = [p for p in (target.parts or (target,)) if not p.measure]
        for part in main_parts:
            wants_yes_no = part.kind is TargetKind.MILESTONE
            if kind is VariableKind.NUMBER and wants_yes_no:
                out.append(Finding(
                    Severity.ERROR, "formula-kind-mismatch",
                    f"{year}: the target {target.text!r} is a milestone but the formula "
                    f"{now.formula.text!r} gives a number", subject=spec.code,
                    text=msg(gettext_noop("%(year)s: il target «%(text)s» è un traguardo ma "
                                          "la formula «%(formula)s» dà un numero"),
                             year=year, text=target.text, formula=now.formula.text)))
            if kind is VariableKind.YES_NO and not wants_yes_no:
                out.append(Finding(
                    Severity.ERROR, "formula-kind-mismatch",
                    f"{year}: the target {target.text!r} needs a number but the formula "
                    f"{now.formula.text!r} gives yes/no", subject=spec.code,
                    text=msg(gettext_noop("%(year)s: il target «%(text)s» vuole un numero ma "
                                          "la formula «%(formula)s» dà sì/no"),
                             year=year, text=target.text, formula=now.formula.text)))
    if spec.variables:
        read = set(spec.formula.names)
        for _start, period in spec.periods:
            read |= period.formula.names
        for name in sorted(read - set(spec.variables)):
            out.append(Finding(Severity.WARNING, "variable-undeclared",
                               f"the formula reads {name!r}, which the indicator does not "
                               "declare", subject=spec.code,
                               text=msg(gettext_noop("la formula legge «%(name)s», che "
                                                     "l'indicatore non dichiara"), name=name)))
    return out
