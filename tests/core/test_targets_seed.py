"""Every target string of the seed plan, read into its structured form.

The strings are taken from the seed file itself (the three year columns of
each indicator row), so a target the table below forgets fails the test.
The polarity column is the reading proposed for the shipped plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from cruscotto.core.targets import Deadline, Polarity, Target, TargetError, TargetKind, parse_target
from tests.core.seed import YEARS, seed_rows

H, L = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER


@dataclass(frozen=True)
class Want:
    kind: TargetKind
    threshold: str | None = None
    percent: bool = False
    implicit: bool = False
    label: str = ""
    unit_label: str = ""
    deadline: Deadline | None = None
    decrease: bool = False
    parts: tuple[Want, ...] = ()
    measure: str = ""
    currency: bool = False
    warnings: int = 0


def least(t: str, *, pct: bool = False, implicit: bool = False, unit_label: str = "",
          warnings: int = 0) -> Want:
    return Want(TargetKind.AT_LEAST, t, pct, implicit, unit_label=unit_label, warnings=warnings)


def most(t: str, *, pct: bool = False, implicit: bool = True) -> Want:
    return Want(TargetKind.AT_MOST, t, pct, implicit)


def growth(t: str) -> Want:
    return Want(TargetKind.GROWTH, t, True, decrease=t.startswith("-"))


def ms(label: str, deadline: Deadline | None = None) -> Want:
    return Want(TargetKind.MILESTONE, label=label, deadline=deadline)


def cap(amount: str) -> Want:
    return Want(TargetKind.COMPOUND, parts=(
        ms(""), Want(TargetKind.AT_MOST, amount, measure="spesa", currency=True)))


NONE = Want(TargetKind.NONE)
BROKEN = "error"

P90 = least("0.9", pct=True)
EXPECTED: dict[str, tuple[Polarity, list[Want | str]]] = {
    "3.1.1": (H, [P90, P90, P90]),
    "3.1.2": (H, [P90, P90, P90]),
    "3.1.3": (H, [growth("0.2")] * 3),
    "3.2.1": (H, [P90, P90, P90]),
    "3.2.2": (H, [least("2")] * 3),
    "4.1.2": (H, [least(n, implicit=True, unit_label="merchant") for n in ("150", "200", "250")]),
    "4.2.1": (H, [ms("realizzazione"), NONE, NONE]),
    "4.2.2": (H, [ms("realizzazione"), NONE, NONE]),
    "5.1.1": (H, [least("4"), least("4"), least("5")]),
    "5.2.1": (H, [ms("realizzazione"), NONE, NONE]),
    "1.1.1": (H, [least("0.8", pct=True)] * 3),
    "1.1.2": (H, [least(t, pct=True) for t in ("0.7", "0.72", "0.75")]),
    "1.1.3": (L, [growth("-0.03")] * 3),
    "1.2.1": (H, [least(n, implicit=True) for n in ("18000", "20000", "22000")]),
    "1.2.2": (H, [least("30000", implicit=True)] * 3),
    "1.3.1": (H, [least(t, pct=True, implicit=True) for t in ("0.45", "0.5", "0.55")]),
    "1.3.2": (H, [ms("realizzazione"), NONE, NONE]),
    # ">=90" on a percentage: read as 90%, with a warning
    "2.1.1": (H, [least("0.9", pct=True, warnings=1)] * 3),
    "2.2.1": (H, [least(n, implicit=True) for n in ("14", "15", "15")]),
    "2.2.2": (H, [least("2", implicit=True)] * 3),
    "3.3.1": (H, [P90, P90, P90]),
    # unit "numero" with a percentage target: read, with a warning
    "3.3.2": (H, [least("0.9", pct=True, warnings=1)] * 3),
    "3.3.3": (H, [growth("0.1")] * 3),
    "6.0.1": (L, [most("1")] * 3),
    "6.0.2": (L, [most(t, pct=True) for t in ("0.36", "0.36", "0.42")]),
    "6.0.3": (H, [least(t, pct=True, implicit=True) for t in ("0.34", "0.33", "0.21")]),
    "6.1.1": (H, [least("2", implicit=True)] * 3),
    "6.2.1": (H, [ms("Avvio (go live)"), NONE, NONE]),
    "6.3.1": (H, [least("0.75", pct=True, implicit=True)] * 3),
    "6.4.1": (H, [growth("0.2")] * 3),
    "6.4.2": (H, [ms("Avvio progetto e affidamento"), ms("Messa a regime"), NONE]),
    "6.4.3": (H, [growth("0.15"), growth("0.15"), growth("0.1")]),
    "6.5.1": (H, [ms("Avvio lavori di demolizione"), ms("Avvio lavori di ricostruzione"),
                  ms("Trasloco", Deadline(31, 8))]),
    "6.5.2": (H, [ms("realizzazione"), NONE, NONE]),
    "6.5.3": (H, [ms("progettazione"), ms("realizzazione"), NONE]),
    # 4.200.00 is refused: 4.200.000 or 4.200,00? (the shipped plan has an erratum)
    "6.5.4": (H, [cap("4293180"), BROKEN, cap("4120000")]),
}


def project(t: Target) -> Want:
    return Want(
        kind=t.kind,
        threshold=None if t.threshold is None else str(t.threshold.normalize()),
        percent=t.percent, implicit=t.implicit, label=t.label, unit_label=t.unit_label,
        deadline=t.deadline, decrease=t.decrease, parts=tuple(project(p) for p in t.parts),
        measure=t.measure, currency=t.currency, warnings=len(t.warnings),
    )


def normalise(w: Want) -> Want:
    th = None if w.threshold is None else str(Decimal(w.threshold).normalize())
    return Want(w.kind, th, w.percent, w.implicit, w.label, w.unit_label, w.deadline,
                w.decrease, tuple(normalise(p) for p in w.parts), w.measure, w.currency,
                w.warnings)


CASES = [
    pytest.param(code, unit, year, text, id=f"{code}-{year}-{text or 'empty'}")
    for code, (unit, texts) in sorted(seed_rows().items())
    for year, text in zip(YEARS, texts, strict=True)
]


def test_it_finds_all_36_indicators_of_the_seed() -> None:
    assert sorted(seed_rows()) == sorted(EXPECTED)
    assert len(CASES) == 36 * 3


@pytest.mark.parametrize(("code", "unit", "year", "text"), CASES)
def test_it_reads_every_target_of_the_seed(code: str, unit: str, year: int, text: str) -> None:
    polarity, wants = EXPECTED[code]
    want = wants[YEARS.index(year)]
    if want == BROKEN:
        with pytest.raises(TargetError) as err:
            parse_target(text, unit=unit, polarity=polarity)
        assert err.value.column == 10
        assert err.value.token == "4.200.00"
        assert "4.200.000 or 4.200,00" in err.value.message
        return
    assert isinstance(want, Want)
    got = parse_target(text, unit=unit, polarity=polarity)
    assert project(got) == normalise(want)
    assert got.text == text
    # every seed target can be said in both languages
    assert got.describe("it") and got.describe("en")
