"""A structured reading of a target, set by the planning office beside the text.

Where the target reader (:mod:`cruscotto.core.targets`) refuses a text as
*partly read*, or should not decide, the office states the target's
structure: operator, value, unit, base, parts each on its own measure,
deadline. The text stays as written; the reading is what is scored.

``TargetReading.from_data({"operator": "at_least", "value": "125"})`` reads the
interchange data; :func:`reading_problems` says what is wrong with it (every
problem a :class:`~cruscotto.core.messages.Message`, naming the field);
:func:`reading_to_target` turns a sound reading into the very
:class:`~cruscotto.core.targets.Target` the text reader gives, so scoring is
the same whichever way a target was read. :func:`readings_disagree` tells
whether a text the reader reads fully means something else than the reading
set beside it (the lint warns).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import domain_problem
from cruscotto.core.targets import Deadline, Target, TargetKind, format_number

__all__ = [
    "BASES",
    "LABEL_LENGTH",
    "OPERATORS",
    "UNITS",
    "ReadingError",
    "TargetReading",
    "describe_reading",
    "read_from_text",
    "reading_problems",
    "reading_to_target",
    "readings_disagree",
    "set_by",
    "set_in_plan",
]

#: the operators a reading may state (a closed list)
OPERATORS = ("at_least", "at_most", "exactly", "growth", "reduction", "milestone", "none",
             "compound")
#: what the value is: a plain number, a percentage, an amount in euro
UNITS = ("number", "percent", "euro")
#: what a growth or reduction is measured against
BASES = ("previous_year", "value", "year_target")
#: free text of a reading (a label, a base's date) is at most this long
LABEL_LENGTH = 200
#: a compound target has at most this many parts
MAX_PARTS = 6

_MEASURE = re.compile(r"^[^\W\d]\w*$")

#: the words of each operator, for people (Italian msgids)
OPERATOR_LABELS: dict[str, str] = {
    "at_least": gettext_noop("almeno"),
    "at_most": gettext_noop("al massimo"),
    "exactly": gettext_noop("esattamente (± tolleranza)"),
    "growth": gettext_noop("crescita rispetto a una base"),
    "reduction": gettext_noop("riduzione rispetto a una base"),
    "milestone": gettext_noop("traguardo (sì/no)"),
    "none": gettext_noop("nessun target"),
    "compound": gettext_noop("più soglie (tutte da rispettare)"),
}
UNIT_LABELS: dict[str, str] = {
    "number": gettext_noop("numero"),
    "percent": gettext_noop("percentuale"),
    "euro": gettext_noop("euro"),
}
BASE_LABELS: dict[str, str] = {
    "previous_year": gettext_noop("valore dell'anno precedente"),
    "value": gettext_noop("un valore dichiarato, con la sua data"),
    "year_target": gettext_noop("il target di un anno"),
}


class ReadingError(ValueError):
    """A structured reading that cannot be used; ``problems`` says why (for people)."""

    def __init__(self, problems: list[Message]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class TargetReading:
    """The structure of a target, as the planning office states it.

    ``value`` is written as people write it: ``30`` with ``unit="percent"`` is 30%.
    """

    operator: str
    value: Decimal | None = None
    unit: str = "number"
    #: ``exactly``: the half-width of the band, on the value's scale
    tolerance: Decimal | None = None
    #: what the number counts (``amministrazioni``) or, for a milestone, what must happen
    label: str = ""
    #: which value the threshold compares: "" the indicator's, else a measure's name
    measure: str = ""
    #: growth and reduction: ``previous_year``, ``value`` (``base_value`` at
    #: ``base_date``) or ``year_target`` (the target of ``base_year``)
    base: str = ""
    base_value: Decimal | None = None
    base_date: str = ""
    base_year: int | None = None
    deadline: datetime.date | None = None
    #: ``compound``: every part must be met, each on its own measure
    parts: tuple[TargetReading, ...] = ()

    # -- plain data (interchange) ----------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """The interchange shape: only the fields set, numbers as exact text."""
        out: dict[str, Any] = {"operator": self.operator}
        if self.value is not None:
            out["value"] = _number_out(self.value)
        if self.operator != "compound" and self.operator not in ("milestone", "none"):
            out["unit"] = self.unit
        if self.tolerance is not None:
            out["tolerance"] = _number_out(self.tolerance)
        if self.label:
            out["label"] = self.label
        if self.measure:
            out["measure"] = self.measure
        if self.base:
            out["base"] = self.base
        if self.base_value is not None:
            out["base_value"] = _number_out(self.base_value)
        if self.base_date:
            out["base_date"] = self.base_date
        if self.base_year is not None:
            out["base_year"] = self.base_year
        if self.deadline is not None:
            out["deadline"] = self.deadline.isoformat()
        if self.parts:
            out["parts"] = [p.to_data() for p in self.parts]
        return out

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> TargetReading:
        """A reading from plain data; raises :class:`ReadingError` for a value of the
        wrong form (a number that is not one, a date that is not a date)."""
        problems: list[Message] = []

        def number(name: str) -> Decimal | None:
            raw = data.get(name)
            if raw is None or raw == "":
                return None
            try:
                value = Decimal(str(raw).strip().replace(",", "."))
            except InvalidOperation:
                problems.append(msg(gettext_noop("%(field)s: «%(text)s» non è un numero"),
                                    field=name, text=str(raw)[:40]))
                return None
            return value

        deadline = None
        raw_deadline = data.get("deadline")
        if raw_deadline:
            try:
                deadline = (raw_deadline if isinstance(raw_deadline, datetime.date)
                            else datetime.date.fromisoformat(str(raw_deadline).strip()))
            except ValueError:
                problems.append(msg(gettext_noop(
                    "deadline: «%(text)s» non è una data (AAAA-MM-GG)"),
                    text=str(raw_deadline)[:40]))
        base_year = data.get("base_year")
        if base_year not in (None, ""):
            try:
                base_year = int(str(base_year).strip())
            except ValueError:
                problems.append(msg(gettext_noop("base_year: «%(text)s» non è un anno"),
                                    text=str(base_year)[:40]))
                base_year = None
        else:
            base_year = None
        parts: list[TargetReading] = []
        for n, p in enumerate(data.get("parts") or ()):
            if not isinstance(p, Mapping):
                problems.append(msg(gettext_noop("parte %(n)s: non è una lettura"), n=n + 1))
                continue
            try:
                parts.append(cls.from_data(p))
            except ReadingError as exc:
                problems.extend(msg(gettext_noop("parte %(n)s: %(why)s"), n=n + 1, why=w)
                                for w in exc.problems)
        reading = cls(
            operator=str(data.get("operator") or "").strip(),
            value=number("value"),
            unit=str(data.get("unit") or "number").strip(),
            tolerance=number("tolerance"),
            label=str(data.get("label") or "").strip(),
            measure=str(data.get("measure") or "").strip(),
            base=str(data.get("base") or "").strip(),
            base_value=number("base_value"),
            base_date=str(data.get("base_date") or "").strip(),
            base_year=base_year,
            deadline=deadline,
            parts=tuple(parts),
        )
        if problems:
            raise ReadingError(problems)
        return reading


def _number_out(value: Decimal) -> str:
    return format(value.copy_abs() if value.is_zero() else value, "f")


# -- validation -------------------------------------------------------------------

def reading_problems(reading: TargetReading, *, year: int, years: Collection[int] = (),
                     measures: Collection[str] = (), part: int = 0) -> list[Message]:
    """Every reason ``reading`` cannot be used for the target of ``year``.

    ``measures`` are the names a part may compare (the indicator's measures and the
    plan's inputs); ``years`` the plan's years (a base that is a year's target must
    be one of them, and earlier than ``year``).
    """
    out: list[Message] = []

    def bad(template: str, **params: object) -> None:
        m = msg(template, **params)
        out.append(msg(gettext_noop("parte %(n)s: %(why)s"), n=part, why=m) if part else m)

    op = reading.operator
    if op not in OPERATORS:
        bad(gettext_noop("operatore «%(op)s» sconosciuto: uno tra %(known)s"),
            op=op[:40], known=", ".join(OPERATORS))
        return out
    if reading.unit not in UNITS:
        bad(gettext_noop("unità «%(unit)s» sconosciuta: una tra %(known)s"),
            unit=reading.unit[:40], known=", ".join(UNITS))
    for name in ("label", "base_date"):
        if len(getattr(reading, name)) > LABEL_LENGTH:
            bad(gettext_noop("%(field)s troppo lungo: al massimo %(n)s caratteri"),
                field=name, n=LABEL_LENGTH)
    for name in ("value", "tolerance", "base_value"):
        value = getattr(reading, name)
        if value is not None:
            why = domain_problem(value)
            if why is not None:
                bad(gettext_noop("%(field)s: %(why)s"), field=name, why=why)
    if reading.measure and (not _MEASURE.match(reading.measure)
                            or reading.measure not in measures):
        bad(gettext_noop("la misura «%(measure)s» non è tra quelle dell'indicatore "
                         "(%(known)s)"),
            measure=reading.measure[:60], known=", ".join(sorted(measures)) or "—")
    if op == "compound":
        if part:
            bad(gettext_noop("una parte non può avere a sua volta delle parti"))
            return out
        if not 2 <= len(reading.parts) <= MAX_PARTS:
            bad(gettext_noop("più soglie vogliono da 2 a %(n)s parti"), n=MAX_PARTS)
        for n, p in enumerate(reading.parts, start=1):
            out += reading_problems(p, year=year, years=years, measures=measures, part=n)
        return out
    if reading.parts:
        bad(gettext_noop("solo «più soglie» ha delle parti"))
    if op in ("none", "milestone"):
        if reading.value is not None:
            bad(gettext_noop("«%(op)s» non ha un valore"), op=op)
        if op == "milestone" and reading.deadline is not None and reading.deadline.year not in (
                year, year - 1, year + 1):
            bad(gettext_noop("la scadenza %(date)s non è nell'anno %(year)s"),
                date=reading.deadline.isoformat(), year=year)
        return out
    if reading.value is None:
        bad(gettext_noop("manca il valore"))
    elif reading.value < 0 and op in ("growth", "reduction"):
        bad(gettext_noop("il tasso è una quantità positiva: la direzione la dà l'operatore"))
    if reading.tolerance is not None and (op != "exactly" or reading.tolerance < 0):
        bad(gettext_noop("la tolleranza va solo con «esattamente» ed è positiva"))
    if op in ("growth", "reduction"):
        base = reading.base or "previous_year"
        if base not in BASES:
            bad(gettext_noop("base «%(base)s» sconosciuta: una tra %(known)s"),
                base=base[:40], known=", ".join(BASES))
        elif base == "value":
            if reading.base_value is None:
                bad(gettext_noop("la base è un valore dichiarato: manca il valore"))
            if not reading.base_date:
                bad(gettext_noop("la base è un valore dichiarato: manca la sua data"))
        elif base == "year_target":
            if reading.base_year is None:
                bad(gettext_noop("la base è il target di un anno: manca l'anno"))
            elif reading.base_year >= year or (years and reading.base_year not in years):
                bad(gettext_noop("la base è il target del %(base)s: serve un anno del piano "
                                 "precedente al %(year)s"), base=reading.base_year, year=year)
        if reading.base and reading.base != "value" and (
                reading.base_value is not None or reading.base_date):
            bad(gettext_noop("valore e data della base vanno solo con una base dichiarata"))
        if reading.base_year is not None and base != "year_target":
            bad(gettext_noop("l'anno della base va solo con il target di un anno"))
    elif reading.base or reading.base_value is not None or reading.base_year is not None:
        bad(gettext_noop("una base va solo con crescita o riduzione"))
    return out


# -- to the reader's own result ------------------------------------------------------

def reading_to_target(reading: TargetReading, *, text: str, year: int,
                      year_targets: Mapping[int, Target] | None = None) -> Target:
    """The :class:`Target` the reading means (as :func:`~.targets.parse_target` gives
    it). ``year_targets`` are the indicator's targets of other years, for a base that
    is a year's target. Raises :class:`ReadingError` when the reading cannot be used
    (check it with :func:`reading_problems` first)."""
    if reading.operator == "compound":
        return Target(TargetKind.COMPOUND, text=text, parts=tuple(
            _simple(p, text=text, year=year, year_targets=year_targets or {})
            for p in reading.parts))
    return _simple(reading, text=text, year=year, year_targets=year_targets or {})


_KINDS = {"at_least": TargetKind.AT_LEAST, "at_most": TargetKind.AT_MOST,
          "exactly": TargetKind.BAND}


def _simple(r: TargetReading, *, text: str, year: int,
            year_targets: Mapping[int, Target]) -> Target:
    deadline = (Deadline(r.deadline.day, r.deadline.month, r.deadline.year)
                if r.deadline is not None else None)
    if r.operator == "none":
        return Target(TargetKind.NONE, text=text)
    if r.operator == "milestone":
        return Target(TargetKind.MILESTONE, text=text, label=r.label, deadline=deadline,
                      measure=r.measure)
    if r.value is None:
        raise ReadingError([msg(gettext_noop("manca il valore"))])
    percent = r.unit == "percent"
    scale = Decimal(100) if percent else Decimal(1)
    value = r.value / scale
    if r.operator in _KINDS:
        kind = _KINDS[r.operator]
        tolerance = None
        if kind is TargetKind.BAND:
            tolerance = (r.tolerance or Decimal(0)) / scale
        return Target(kind, text=text, threshold=value, tolerance=tolerance, percent=percent,
                      currency=r.unit == "euro", unit_label=r.label, measure=r.measure,
                      deadline=deadline)
    if r.operator not in ("growth", "reduction"):
        raise ReadingError([msg(gettext_noop("operatore «%(op)s» sconosciuto"),
                                op=r.operator)])
    decrease = r.operator == "reduction"
    base = r.base or "previous_year"
    base_value: Decimal | None = None
    base_label = ""
    if base == "value":
        base_value, base_label = r.base_value, r.base_date
    elif base == "year_target":
        base_value = _target_value(year_targets.get(r.base_year or 0), r.base_year or 0)
        base_label = f"target {r.base_year}"
    rate = -value if decrease else value
    return Target(TargetKind.GROWTH, text=text, threshold=rate or Decimal(0), percent=percent,
                  currency=r.unit == "euro", unit_label=r.label, measure=r.measure,
                  relative_to_previous=base == "previous_year", decrease=decrease,
                  base_value=base_value, base_label=base_label, deadline=deadline)


def _target_value(target: Target | None, base_year: int) -> Decimal:
    """The value a year's target states (its threshold), as a base."""
    if target is None or target.threshold is None or target.kind not in (
            TargetKind.AT_LEAST, TargetKind.AT_MOST, TargetKind.BAND):
        raise ReadingError([msg(gettext_noop(
            "la base è il target del %(base)s, che non è un valore (una soglia) letto"),
            base=base_year)])
    return target.threshold


# -- comparing with the text's own reading --------------------------------------------

def _shape(t: Target) -> tuple[Any, ...]:
    """What scoring uses of a target (not its words)."""
    return (t.kind, t.threshold.normalize() if t.threshold is not None else None,
            t.tolerance.normalize() if t.tolerance is not None else None,
            t.tolerance_relative, t.percent, t.measure, t.relative_to_previous, t.decrease,
            t.base_value.normalize() if t.base_value is not None else None,
            tuple(_shape(p) for p in t.parts))


def readings_disagree(from_text: Target, from_reading: Target) -> bool:
    """Whether the text, read fully, is scored otherwise than the reading set beside it."""
    return _shape(from_text) != _shape(from_reading)


# -- which reading is in force, for people ----------------------------------------------

def read_from_text() -> Message:
    """A target scored as its text reads."""
    return msg(gettext_noop("letto dal testo"))


def set_by(who: str, when: str) -> Message:
    """A target scored by the reading ``who`` set on ``when`` (a date as people read it)."""
    if not who:
        return msg(gettext_noop("lettura impostata il %(when)s"), when=when)
    return msg(gettext_noop("lettura impostata da %(who)s il %(when)s"), who=who, when=when)


def set_in_plan() -> Message:
    """A reading stated in the plan file, with no history saying who set it."""
    return msg(gettext_noop("lettura impostata nel piano"))


def describe_reading(r: TargetReading) -> Message:
    """The reading in words, for people (translated where it is shown)."""
    if r.operator == "compound" and r.parts:
        out = describe_reading(r.parts[0])
        for p in r.parts[1:]:
            out = msg(gettext_noop("%(first)s e %(next)s"), first=out, next=describe_reading(p))
        return out
    op = msg(OPERATOR_LABELS.get(r.operator, r.operator))
    if r.operator in ("none", "milestone") or r.value is None:
        out = op
        if r.label:
            out = msg(gettext_noop("%(reading)s: %(label)s"), reading=out, label=r.label)
    else:
        out = msg(gettext_noop("%(op)s %(value)s"), op=op, value=_amount(r, r.value))
        if r.tolerance is not None:
            out = msg(gettext_noop("%(reading)s ± %(tolerance)s"), reading=out,
                      tolerance=_amount(r, r.tolerance))
        if r.label:
            out = msg(gettext_noop("%(reading)s %(label)s"), reading=out, label=r.label)
    if r.operator in ("growth", "reduction"):
        base = r.base or "previous_year"
        if base == "value" and r.base_value is not None:
            out = msg(gettext_noop("%(reading)s rispetto a %(value)s (%(date)s)"), reading=out,
                      value=format_number(r.base_value), date=r.base_date)
        elif base == "year_target":
            out = msg(gettext_noop("%(reading)s rispetto al target %(year)s"), reading=out,
                      year=r.base_year)
        else:
            out = msg(gettext_noop("%(reading)s rispetto all'anno precedente"), reading=out)
    if r.measure:
        out = msg(gettext_noop("%(reading)s (misura «%(measure)s»)"), reading=out,
                  measure=r.measure)
    if r.deadline is not None:
        out = msg(gettext_noop("%(reading)s entro il %(date)s"), reading=out,
                  date=r.deadline.strftime("%d/%m/%Y"))
    return out


def _amount(r: TargetReading, value: Decimal) -> str:
    text = format_number(value)
    if r.unit == "percent":
        return text + "%"
    if r.unit == "euro":
        return "€ " + text
    return text
