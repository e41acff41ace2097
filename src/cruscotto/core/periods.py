"""An indicator of a plan compiled with every definition it has over the years.

:func:`compile_plan_indicator` is the one place a plan's indicator becomes an
:class:`~cruscotto.core.scoring.IndicatorSpec`: its own definition, then one
period per :class:`~cruscotto.core.yearly.YearDefinition` (each year's target
read with the unit and polarity in force that year), its declared baselines
given to the target reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from cruscotto.core.formula import parse
from cruscotto.core.plan import Indicator
from cruscotto.core.scoring import IndicatorSpec, compile_indicator
from cruscotto.core.targets import Polarity
from cruscotto.core.values import Variable

__all__ = ["compile_plan_indicator", "formula_texts"]


def formula_texts(ind: Indicator) -> list[str]:
    """Every formula and measure of the indicator, over all its definitions."""
    out = [ind.formula, *ind.measures.values()]
    for d in ind.definitions:
        out += [d.formula, *(d.measures or {}).values()]
    return out


def compile_plan_indicator(ind: Indicator, variables: Mapping[str, Variable], *,
                           formula: str | None = None) -> IndicatorSpec:
    """The spec scoring ``ind`` in every year (raises FormulaError on a formula not read).

    ``formula`` replaces the indicator's own formula (the direct value of an
    indicator not yet encoded); the later definitions are then not used.
    """
    source = ind.data_sources[0] if ind.data_sources else ""
    own_polarity = ind.polarity or Polarity.HIGHER_IS_BETTER
    definitions = [] if formula is not None else sorted(ind.definitions,
                                                        key=lambda d: d.from_year)

    def read_names(text: str, measures: Mapping[str, str]) -> list[Variable]:
        names = set(parse(text).names)
        for m in measures.values():
            names |= parse(m).names
        return [variables[n] for n in sorted(names) if n in variables]

    units = {}
    for year in ind.targets:
        d = ind.in_force(year) if definitions else None
        if d is not None and d.from_year is not None:
            units[year] = (d.unit, d.polarity or own_polarity)
    own_formula = ind.formula if formula is None else formula
    own_vars = read_names(own_formula, ind.measures) if formula is None else []
    periods: list[tuple[int, IndicatorSpec]] = []
    every_var = {v.name: v for v in own_vars}
    for yd in definitions:
        d = ind.in_force(yd.from_year)
        p_vars = read_names(d.formula, d.measures)
        every_var.update((v.name, v) for v in p_vars)
        periods.append((yd.from_year, compile_indicator(
            code=ind.code, name=ind.name, formula=d.formula, targets={}, unit=d.unit,
            polarity=d.polarity or own_polarity, measures=d.measures, variables=p_vars,
            data_source=source)))
    spec = compile_indicator(
        code=ind.code, name=ind.name, formula=own_formula, targets=ind.targets,
        unit=ind.unit, polarity=own_polarity, measures=ind.measures if formula is None else {},
        variables=list(every_var.values()) if formula is None else [], data_source=source,
        baselines=ind.baselines, target_units=units, readings=ind.readings)
    if not periods:
        return spec
    shared = {"targets": spec.targets, "target_errors": spec.target_errors,
              "partly_read": spec.partly_read, "target_details": spec.target_details,
              "reading_years": spec.reading_years, "text_disagrees": spec.text_disagrees}
    return replace(spec, periods=tuple((start, replace(p, **shared))  # type: ignore[arg-type]
                                       for start, p in periods))
