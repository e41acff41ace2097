"""Values the engine computes: a number, a yes/no, or a reason there is none.

A report is never interrupted by one bad figure and never shows a missing
figure as zero, so the engine returns problems as values (as OCA/mis-builder
does with ``#DIV/0``):

- :class:`NotMeasured` -- an input was not supplied; it names which
  (variable and year), so the office that owes it can be asked;
- :class:`NotComputable` -- the inputs are there but the figure cannot be
  worked out (a division by zero, a yes/no where a number was expected).

``Value`` is the union the engine passes around. Numbers are always
:class:`~decimal.Decimal`, never ``float``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias, cast

from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import displayable

__all__ = [
    "Input",
    "InputValue",
    "Inputs",
    "NotComputable",
    "NotMeasured",
    "Problem",
    "Value",
    "VarKey",
    "Variable",
    "VariableKind",
    "format_value",
    "is_problem",
    "lookup",
    "merge_problems",
    "missing_message",
    "to_data",
]

#: ``(variable name, year)``: the key of one input value
VarKey: TypeAlias = tuple[str, int]


@dataclass(frozen=True, slots=True)
class NotMeasured:
    """One or more inputs are missing; ``missing`` names them, sorted."""

    missing: tuple[VarKey, ...]

    @property
    def reason(self) -> Message:
        return missing_message(self.missing)

    def __str__(self) -> str:
        return str(self.reason)


def missing_message(missing: Iterable[VarKey], labels: Mapping[str, str | Message] | None = None
                    ) -> Message:
    """«non misurato: manca …», each input by its label when ``labels`` has one."""
    labels = labels or {}
    keys = list(missing)
    names = ", ".join(f"{labels.get(n) or n} ({y})" for n, y in keys)
    if len(keys) == 1:
        return msg(gettext_noop("non misurato: manca %(inputs)s"), inputs=names)
    return msg(gettext_noop("non misurato: mancano %(inputs)s"), inputs=names)


@dataclass(frozen=True, slots=True)
class NotComputable:
    """The inputs are there, but the figure cannot be computed (``reason`` says why)."""

    reason: Message

    def __str__(self) -> str:
        return str(msg(gettext_noop("non calcolabile: %(why)s"), why=self.reason))


Problem: TypeAlias = NotMeasured | NotComputable
#: what a formula evaluates to
Value: TypeAlias = Decimal | bool | NotMeasured | NotComputable
#: what an office supplies for one variable and year (``None``: known to be missing)
InputValue: TypeAlias = Decimal | bool | int | None
#: the inputs of an evaluation, keyed by ``(variable, year)``
Inputs: TypeAlias = Mapping[VarKey, InputValue]


def is_problem(value: object) -> bool:
    return isinstance(value, NotMeasured | NotComputable)


def merge_problems(values: Iterable[Value]) -> Problem | None:
    """The problem a combination of ``values`` has, or ``None`` if there is none.

    Missing inputs win over "not computable" (the missing data must come
    first) and are merged so that every missing input is named once. Among
    several "not computable" the first, in formula order, is kept.
    """
    missing: set[VarKey] = set()
    first_nc: NotComputable | None = None
    for v in values:
        if isinstance(v, NotMeasured):
            missing.update(v.missing)
        elif isinstance(v, NotComputable) and first_nc is None:
            first_nc = v
    if missing:
        return NotMeasured(tuple(sorted(missing)))
    return first_nc


def lookup(inputs: Inputs, name: str, year: int) -> Value:
    """The input ``name`` for ``year`` as an engine value.

    Absent and ``None`` are both "not measured"; an ``int`` becomes a
    :class:`Decimal`; anything else is "not computable" rather than an
    exception (a value typed in by a person can be anything).
    """
    raw = inputs.get((name, year))
    if raw is None:
        return NotMeasured(((name, year),))
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return NotComputable(msg(gettext_noop("%(name)s (%(year)s) non è un numero finito"),
                                     name=name, year=year))
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    return NotComputable(msg(gettext_noop("%(name)s (%(year)s) ha un valore non ammesso: "
                                          "%(raw)s"), name=name, year=year, raw=repr(raw)))


class VariableKind(enum.StrEnum):
    NUMBER = "number"
    YES_NO = "yes_no"


@dataclass(frozen=True, slots=True)
class Variable:
    """An input a formula reads, declared once per indicator.

    ``source`` is who supplies it (the *fonte dati*); it travels with every
    explanation so a reader knows whom to ask about a figure.
    """

    name: str
    #: for people (a message where the engine writes it, e.g. a value given directly)
    label: str | Message = ""
    source: str = ""
    kind: VariableKind = VariableKind.NUMBER
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Input:
    """One input as used by an evaluation: for explanations."""

    name: str
    year: int
    #: 0 for the evaluated year, 1 for the year before, ...
    offset: int
    value: Value
    source: str = ""
    label: str | Message = ""

    def as_dict(self) -> dict[str, object]:
        return cast(dict[str, object], to_data(self))


def format_value(value: Value, *, percent: bool = False) -> str:
    """A short, locale-neutral rendering for messages (``0.92``, ``yes``, ...)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        if percent:
            return f"{_plain(value * 100)}%"
        return _plain(value)
    return str(value)


def _plain(d: Decimal) -> str:
    """Decimal as plain text without exponent or trailing zeros."""
    if not displayable(d):
        return f"{d:E}" if d.is_finite() else str(d)  # never a 10^29-digit string
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


def to_data(obj: object) -> object:
    """Convert engine results to plain JSON-ready data.

    Decimals become strings (no precision is lost on the way to JSON),
    enums their value, problem values a small dict with their kind.
    """
    if isinstance(obj, bool) or obj is None or isinstance(obj, str | int):
        return obj
    if isinstance(obj, Decimal):
        return _plain(obj) if obj.is_finite() else str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, NotMeasured):
        return {
            "kind": "not_measured",
            "reason": str(obj.reason),
            "missing": [{"name": n, "year": y} for n, y in obj.missing],
        }
    if isinstance(obj, NotComputable):
        return {"kind": "not_computable", "reason": str(obj.reason)}
    if isinstance(obj, Message):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(to_data(k)): to_data(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = [to_data(v) for v in obj]
        if isinstance(obj, set | frozenset):
            items.sort(key=repr)
        return items
    return str(obj)
