"""What may change from one plan year to another: the indicator's definition.

Real plans change an indicator's calculation during the plan: from 2023 on
the number of authentications counts SPID and CIE together, the unit turns
from a count into a percentage. An indicator may list :class:`YearDefinition`
entries, each in force from its year on, until the next one; before the first,
the indicator's own formula, measures, unit and polarity hold. The engine
evaluates each year with the definition in force that year
(:func:`definition_in_force`).

Targets may also compare with another year's *target* (``Aumento del 30%
rispetto al target 2024``): :func:`resolve_target_bases` gives such a target
the value of that year's numeric target, or refuses it, saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.targets import Polarity, Target, TargetKind, format_number

__all__ = ["Definition", "YearDefinition", "definition_in_force", "resolve_target_bases"]


@dataclass(slots=True)
class YearDefinition:
    """From ``from_year`` on, the indicator is computed this way.

    ``unit``, ``polarity`` and ``measures`` left as ``None`` keep the
    indicator's own; ``formula`` is always given (a definition is a new way of
    computing the figure).
    """

    from_year: int
    formula: str
    #: the new *algoritmo di calcolo* as written in the plan
    formula_text: str = ""
    unit: str | None = None
    polarity: Polarity | None = None
    measures: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Definition:
    """The definition in force for a year, every field resolved."""

    formula: str
    formula_text: str
    unit: str
    polarity: Polarity | None
    measures: Mapping[str, str] = field(default_factory=dict)
    #: the year this definition starts; ``None`` for the indicator's own
    from_year: int | None = None


def definition_in_force(own: Definition, definitions: Sequence[YearDefinition],
                        year: int) -> Definition:
    """The definition that holds in ``year``: the latest one starting on or before it."""
    current: YearDefinition | None = None
    for d in sorted(definitions, key=lambda d: d.from_year):
        if d.from_year <= year:
            current = d
    if current is None:
        return own
    return Definition(
        formula=current.formula,
        formula_text=current.formula_text,
        unit=own.unit if current.unit is None else current.unit,
        polarity=own.polarity if current.polarity is None else current.polarity,
        measures=dict(own.measures if current.measures is None else current.measures),
        from_year=current.from_year,
    )


_COMPARABLE = (TargetKind.AT_LEAST, TargetKind.AT_MOST, TargetKind.BAND)


def resolve_target_bases(
    targets: Mapping[int, Target], texts: Mapping[int, str] | None = None,
) -> tuple[dict[int, Target], dict[int, Message]]:
    """Give every target that compares with a year's target (``rispetto al target
    2024``) that target's value as its base.

    Returns the targets (those resolved replaced) and, by year, why a target
    could not be resolved: the year named has no target in the plan, or its
    target is not a number (a growth, a milestone, "n.d."). ``texts`` are the
    targets as written, to tell "not in the plan" from "not readable".
    """
    out: dict[int, Target] = {}
    errors: dict[int, Message] = {}
    for year, target in targets.items():
        base_year = target.base_target_year
        if base_year is None:
            out[year] = target
            continue
        base = targets.get(base_year)
        if base is None:
            written = (texts or {}).get(base_year)
            errors[year] = msg(gettext_noop(
                "il target «%(text)s» si confronta con il target %(base)s, che il piano non "
                "ha") if written is None else gettext_noop(
                "il target «%(text)s» si confronta con il target %(base)s, che non si legge"),
                text=target.text, base=base_year)
            continue
        if base.kind not in _COMPARABLE or base.threshold is None or base.measure or (
                base.kind is TargetKind.BAND and base.tolerance_relative):
            errors[year] = msg(gettext_noop(
                "il target «%(text)s» si confronta con il target %(base)s («%(base_text)s»), "
                "che non è un valore numerico"),
                text=target.text, base=base_year, base_text=base.text)
            continue
        shown = (format_number(base.threshold * 100) + "%" if base.percent
                 else format_number(base.threshold))
        out[year] = replace(target, base_value=base.threshold, base_label=shown)
    return out, errors
