"""Declared baselines: a value with its date, which any target may compare with.

A plan declares, for an indicator, the value it starts from: ``992.721.372 al
30/11/2023``. A target then names it instead of writing the number again:
``Incremento del 8% rispetto alla baseline``, ``... rispetto al valore di
novembre 2023``. The target reader binds those words to the declared
baseline (:func:`bind_baseline`); a target naming a baseline the plan does
not declare is refused at the words that name it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Baseline", "bind_baseline"]


@dataclass(frozen=True, slots=True)
class Baseline:
    """A value of the indicator at a date (``992.721.372`` at ``2023-11-30``)."""

    value: Decimal
    date: datetime.date
    #: what the value is, as the plan says it (``monitoraggio di novembre 2023``)
    label: str = ""

    def describe(self) -> str:
        """``baseline al 30/11/2023`` (with the label when the plan gives one)."""
        when = f"{self.date.day:02d}/{self.date.month:02d}/{self.date.year}"
        return f"{self.label}, {when}" if self.label else f"baseline al {when}"


def bind_baseline(baselines: Sequence[Baseline], *, year: int | None = None,
                  month: int | None = None, day: int | None = None) -> Baseline | None:
    """The one declared baseline that fits the date given (all of them when none).

    ``None`` when none fits or when more than one does (the target must name
    the date then).
    """
    found = [b for b in baselines
             if (year is None or b.date.year == year)
             and (month is None or b.date.month == month)
             and (day is None or b.date.day == day)]
    return found[0] if len(found) == 1 else None
