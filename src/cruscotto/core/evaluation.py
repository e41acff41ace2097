"""A whole plan through the engine: compile once, then evaluate any year.

``compile_plan(plan)`` parses every indicator's formula, measures and targets
once; ``evaluate_plan(compiled, inputs, year=...)`` scores every indicator and
rolls the results up. Indicators that cannot be compiled (no formula yet, a
formula that cannot be read) are not dropped: they score as *not computable*
with the reason, and the roll-up leaves them out and names them.

Values may also be given for an indicator directly (``direct``), instead of
the inputs of its formula — what an office does when it reports the figure
itself. A direct value replaces the formula for that indicator in every year
the evaluation reads (the previous year too, for a growth target).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from cruscotto.core.formula import FormulaError, parse
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.plan import Plan
from cruscotto.core.rollup import Placement, PlanEvaluation, placements_from_plan, roll_up
from cruscotto.core.scoring import (
    DEFAULT_BANDS,
    IndicatorResult,
    IndicatorSpec,
    Outcome,
    Status,
    StatusBands,
    compile_indicator,
    score_indicator,
)
from cruscotto.core.targets import Polarity
from cruscotto.core.values import Inputs, InputValue, NotComputable, Value, Variable, VarKey

__all__ = [
    "DIRECT",
    "CompiledPlan",
    "DirectValues",
    "compile_plan",
    "evaluate_plan",
    "indicator_inputs",
]

#: the name a directly given value takes in explanations
DIRECT = "valore"
#: ``(indicator code, year) -> value`` given for the indicator itself
DirectValues = Mapping[tuple[str, int], Decimal | bool | int | None]


@dataclass(frozen=True, slots=True)
class CompiledPlan:
    """A plan ready for evaluation: one spec per indicator that compiles."""

    specs: tuple[IndicatorSpec, ...]
    placements: tuple[Placement, ...]
    #: indicators that cannot be scored at all, with the reason
    errors: Mapping[str, Message] = field(default_factory=dict)
    bands: StatusBands = DEFAULT_BANDS
    #: indicator code -> name, for results of indicators that did not compile
    names: Mapping[str, str] = field(default_factory=dict)
    #: indicators in ``errors`` that can still be scored from a value given directly
    direct_only: Mapping[str, IndicatorSpec] = field(default_factory=dict)

    def spec(self, code: str) -> IndicatorSpec:
        for s in self.specs:
            if s.code == code:
                return s
        raise KeyError(code)

    def needs(self, year: int) -> frozenset[VarKey]:
        """Every ``(variable, year)`` evaluating ``year`` may read: fetch them at once."""
        keys: set[VarKey] = set()
        for s in self.specs:
            keys |= s.needs(year)
        return frozenset(keys)


def indicator_inputs(plan: Plan) -> dict[str, set[str]]:
    """indicator code -> every input its formula and measures read.

    An unreadable formula reads nothing here (the plan lint reports it).
    """
    out: dict[str, set[str]] = {}
    for ind in plan.indicators:
        names: set[str] = set()
        for text in (ind.formula, *ind.measures.values()):
            if text.strip():
                try:
                    names |= parse(text).names
                except FormulaError:
                    continue
        out[ind.code] = names
    return out


def compile_plan(plan: Plan) -> CompiledPlan:
    """Parse every indicator of ``plan`` once (formulas, measures, targets)."""
    variables = {v.name: v for v in plan.variables}
    specs: list[IndicatorSpec] = []
    errors: dict[str, Message] = {}
    direct_only: dict[str, IndicatorSpec] = {}

    def fallback(code: str, reason: Message) -> None:
        errors[code] = reason
        ind = plan.indicator(code)
        # the figure may still be given directly: targets need no formula
        direct_only[code] = compile_indicator(
            code=ind.code, name=ind.name, formula=DIRECT, targets=ind.targets,
            unit=ind.unit, polarity=ind.polarity or Polarity.HIGHER_IS_BETTER,
            data_source=ind.data_sources[0] if ind.data_sources else "",
            readings=ind.readings)

    for ind in plan.indicators:
        if not ind.formula.strip():
            fallback(ind.code, msg(gettext_noop("l'indicatore non ha ancora una formula")))
            continue
        try:
            formula_names = parse(ind.formula).names
            for text in ind.measures.values():
                formula_names |= parse(text).names
            spec = compile_indicator(
                code=ind.code, name=ind.name, formula=ind.formula, targets=ind.targets,
                unit=ind.unit, polarity=ind.polarity or Polarity.HIGHER_IS_BETTER,
                measures=ind.measures,
                variables=[variables[n] for n in sorted(formula_names) if n in variables],
                data_source=ind.data_sources[0] if ind.data_sources else "",
                readings=ind.readings,
            )
        except FormulaError as exc:
            fallback(ind.code, exc.reason)
            continue
        specs.append(spec)
    return CompiledPlan(
        specs=tuple(specs), placements=tuple(placements_from_plan(plan)), errors=errors,
        bands=plan.bands, names={i.code: i.name for i in plan.indicators},
        direct_only=direct_only,
    )


def evaluate_plan(
    compiled: CompiledPlan,
    inputs: Inputs,
    *,
    year: int,
    direct: DirectValues | None = None,
    bands: StatusBands | None = None,
) -> PlanEvaluation:
    """Score every indicator of the compiled plan for ``year`` and roll up."""
    use_bands = bands or compiled.bands
    direct = direct or {}
    direct_codes = {code for code, _ in direct}
    results: dict[str, IndicatorResult] = {}
    for spec in compiled.specs:
        if spec.code in direct_codes:
            d_spec, d_inputs = _direct(spec, direct)
            results[spec.code] = score_indicator(d_spec, {**inputs, **d_inputs}, year,
                                                 bands=use_bands)
        else:
            results[spec.code] = score_indicator(spec, inputs, year, bands=use_bands)
    for code, reason in compiled.errors.items():
        only = compiled.direct_only.get(code)
        if only is not None and code in direct_codes:
            d_spec, d_inputs = _direct(only, direct)
            results[code] = score_indicator(d_spec, {**inputs, **d_inputs}, year,
                                            bands=use_bands)
        else:
            results[code] = _not_computable(code, compiled.names.get(code, ""), year, reason)
    return roll_up(list(compiled.placements), results, year=year, bands=use_bands)


def _direct(spec: IndicatorSpec, direct: DirectValues
            ) -> tuple[IndicatorSpec, dict[VarKey, InputValue]]:
    """The spec reading the indicator's own value, and the inputs holding it.

    Measures (the spending of a capped milestone) still read the ordinary inputs.
    """
    var = Variable(DIRECT, label=msg(gettext_noop(
        "valore dell'indicatore %(code)s fornito direttamente"), code=spec.code),
                   source=spec.data_source, unit=spec.unit)
    measures = {m: spec.measure_formula(m) for m in spec.measures}
    d_spec = replace(spec, formula=parse(DIRECT), variables={**spec.variables, DIRECT: var},
                     measures=measures)
    d_inputs: dict[VarKey, InputValue] = {
        (DIRECT, y): v for (code, y), v in direct.items() if code == spec.code}
    return d_spec, d_inputs


def _not_computable(code: str, name: str, year: int, reason: Message) -> IndicatorResult:
    value: Value = NotComputable(reason)
    return IndicatorResult(code=code, name=name, year=year, outcome=Outcome.NOT_COMPUTABLE,
                           value=value, achievement=None, met=None,
                           status=Status.NOT_AVAILABLE,
                           reason=msg(gettext_noop("non calcolabile: %(why)s"), why=reason))


def results_in_plan_order(evaluation: PlanEvaluation,
                          codes: Sequence[str]) -> list[IndicatorResult]:
    """The indicator results of ``evaluation`` in the order of ``codes``."""
    out: list[IndicatorResult] = []
    for c in codes:
        r = evaluation.indicators.get(c)
        if isinstance(r, IndicatorResult):
            out.append(r)
    return out
