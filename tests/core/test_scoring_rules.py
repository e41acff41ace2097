"""The achievement rules: each target kind against actual values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cruscotto.core.scoring import DEFAULT_BANDS, Status, StatusBands, assess, shown_achievement
from cruscotto.core.targets import Polarity, Target, TargetKind, parse_target
from cruscotto.core.values import NotComputable, NotMeasured, Value

H, L, B = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.TARGET_BAND
D = Decimal


def t(text: str, unit: str = "numero", polarity: Polarity = H) -> Target:
    return parse_target(text, unit=unit, polarity=polarity)


# target, unit, polarity, actual, previous -> achievement as shown, met, rule (the rule
# keeps the exact achievement; it is shown rounded half up, never onto 100 when not met)
RULES: list[tuple[str, str, Polarity, Value, Value | None, str, bool, str]] = [
    # at least: proportional, capped at 100
    (">=90%", "percentuale", H, D("0.95"), None, "100", True, "at_least_proportional"),
    (">=90%", "percentuale", H, D("0.9"), None, "100", True, "at_least_proportional"),
    (">=90%", "percentuale", H, D("0.45"), None, "50", False, "at_least_proportional"),
    (">=90%", "percentuale", H, D("0.8999"), None, "99.99", False, "at_least_proportional"),
    ("45%", "percentuale", H, D("0.4"), None, "88.89", False, "at_least_proportional"),
    (">=3", "numero", H, D(2), None, "66.67", False, "at_least_proportional"),
    (">=3", "numero", H, D(-2), None, "0", False, "at_least_binary"),
    (">=0", "numero", H, D(0), None, "100", True, "at_least_binary"),
    (">=0", "numero", H, D(-1), None, "0", False, "at_least_binary"),
    # at most: inverse
    ("36%", "percentuale", L, D("0.38"), None, "94.74", False, "at_most_inverse"),
    ("36%", "percentuale", L, D("0.30"), None, "100", True, "at_most_inverse"),
    ("1", "valore", L, D("1.25"), None, "80", False, "at_most_inverse"),
    ("1", "valore", L, D("-3"), None, "100", True, "at_most_inverse"),
    ("<=0", "numero", L, D(2), None, "0", False, "at_most_binary"),
    ("<=0", "numero", L, D(0), None, "100", True, "at_most_inverse"),
    # bands
    ("50 ± 2", "numero", B, D(50), None, "100", True, "band"),
    ("50 ± 2", "numero", B, D(52), None, "100", True, "band"),
    ("50 ± 2", "numero", B, D(46), None, "95.83", False, "band"),
    ("50 ± 2", "numero", B, D(65), None, "80", False, "band"),
    ("=50% ±5%", "percentuale", B, D("0.6"), None, "91.67", False, "band"),
    ("12", "numero", B, D(12), None, "100", True, "band"),
    ("12", "numero", B, D(6), None, "50", False, "band"),
    ("=-5 ± 1", "numero", B, D(0), None, "0", False, "band_binary"),
    ("=-5 ± 1", "numero", B, D(-7), None, "0", False, "band_binary"),
    ("mantenimento ±10%", "numero", H, D(105), D(100), "100", True, "band"),
    ("mantenimento ±10%", "numero", H, D(120), D(100), "91.67", False, "band"),
    # growth and reduction: the actual change against the target change
    ("+20%", "percentuale", H, D(13800), D(12000), "75", False, "growth"),
    ("+20%", "percentuale", H, D(14400), D(12000), "100", True, "growth"),
    ("+20%", "percentuale", H, D(15000), D(12000), "100", True, "growth"),
    ("+20%", "percentuale", H, D(11000), D(12000), "0", False, "growth"),
    ("+10%", "percentuale", H, D(-90), D(-100), "100", True, "growth"),
    ("-3%", "percentuale", L, D(1164), D(1200), "100", True, "reduction"),
    ("-3%", "percentuale", L, D(1182), D(1200), "50", False, "reduction"),
    ("-3%", "percentuale", L, D(1100), D(1200), "100", True, "reduction"),
    ("-3%", "percentuale", L, D(1300), D(1200), "0", False, "reduction"),
    ("mantenimento", "numero", H, D(95), D(100), "95", False, "maintain_proportional"),
    ("mantenimento", "numero", H, D(100), D(100), "100", True, "maintain_proportional"),
    ("mantenimento", "numero", L, D(125), D(100), "80", False, "maintain_inverse"),
    # milestones and compounds
    ("sì realizzazione", "realizzazione", H, True, None, "100", True, "milestone"),
    ("sì realizzazione", "realizzazione", H, False, None, "0", False, "milestone"),
    ("Avvio (go live)", "realizzazione", H, True, None, "100", True, "milestone"),
]


@pytest.mark.parametrize(
    ("text", "unit", "polarity", "actual", "previous", "achievement", "met", "rule"), RULES)
def test_each_rule_gives_the_documented_achievement(
    text: str, unit: str, polarity: Polarity, actual: Value, previous: Value | None,
    achievement: str, met: bool, rule: str,
) -> None:
    a = assess(t(text, unit, polarity), actual, previous=previous)
    assert a.problem is None, a.working
    shown = shown_achievement(a.achievement)
    assert (shown, a.met, a.rule) == (D(achievement), met, rule), a.working
    assert a.working


def test_achievement_is_100_exactly_when_met() -> None:
    # 28 nines: the ratio rounds very close to 1, but the target is not met
    a = assess(t(">=1"), D("0." + "9" * 40))
    assert a.met is False
    assert a.achievement is not None and a.achievement < 100
    assert shown_achievement(a.achievement) == D("99.99")


def test_a_compound_target_needs_every_part_and_counts_the_lowest() -> None:
    cap = t("sì max € 4.293.180", "realizzazione")
    a = assess(cap, True, measures={"spesa": D(4500000)})
    assert (shown_achievement(a.achievement), a.met, a.rule) == (D("95.40"), False,
                                                                  "compound")
    assert [shown_achievement(p.achievement) for p in a.parts] == [D(100), D("95.40")]
    a = assess(cap, True, measures={"spesa": D(4000000)})
    assert (a.achievement, a.met) == (D(100), True)
    a = assess(cap, False, measures={"spesa": D(4000000)})
    assert (a.achievement, a.met) == (D(0), False)


def test_a_compound_with_a_missing_part_is_not_measured() -> None:
    cap = t("sì max € 4.293.180", "realizzazione")
    missing = NotMeasured((("spesa", 2021),))
    a = assess(cap, True, measures={"spesa": missing})
    assert a.achievement is None and a.problem == missing
    a = assess(cap, True)
    assert isinstance(a.problem, NotComputable)
    assert "spesa" in str(a.problem.reason)


@pytest.mark.parametrize(("target", "actual", "previous", "reason"), [
    ("+20%", D(10), D(0), "the previous year's value is 0"),
    ("+20%", D(10), None, "the previous year's value was not supplied"),
    ("+20%", D(10), True, "the previous year's value is yes/no"),
    ("sì", D(1), None, "a milestone needs a yes/no value"),
    (">=5", True, None, "the target is a number but the value is yes/no"),
    ("", D(1), None, "no target for the year"),
    ("mantenimento ±5%", D(10), None, "the previous year's value was not supplied"),
])
def test_what_cannot_be_assessed_says_why(
    target: str, actual: Value, previous: Value | None, reason: str
) -> None:
    a = assess(t(target, "realizzazione" if target.startswith("sì") else "numero"), actual,
               previous=previous)
    assert a.achievement is None and a.met is None
    assert isinstance(a.problem, NotComputable)
    assert reason in str(a.problem.reason)


def test_problems_of_the_actual_value_are_passed_on() -> None:
    missing = NotMeasured((("x", 2021),))
    assert assess(t(">=5"), missing).problem == missing
    assert assess(t("+5%"), D(1), previous=missing).problem == missing
    nc = NotComputable("division by zero")
    assert assess(t(">=5"), nc).problem == nc


def test_absurd_magnitudes_do_not_raise() -> None:
    a = assess(t(">=0,0001"), D("9e999998"))
    assert a.achievement in (None, D(100))
    a = assess(Target(TargetKind.AT_LEAST, threshold=D("1e-999990")), D("9e999990"))
    assert a.achievement == D(100) or isinstance(a.problem, NotComputable)


def test_status_bands_default_and_per_plan() -> None:
    assert [DEFAULT_BANDS.status(D(x)) for x in ("100", "99.99", "70", "69.99")] == [
        Status.GREEN, Status.YELLOW, Status.YELLOW, Status.RED]
    assert DEFAULT_BANDS.status(None) is Status.NOT_AVAILABLE
    strict = StatusBands(green=D(100), yellow=D(90))
    assert strict.status(D(85)) is Status.RED
    with pytest.raises(ValueError, match="yellow <= green"):
        StatusBands(green=D(60), yellow=D(70))
    with pytest.raises(ValueError):
        StatusBands(green=D(120))


@pytest.mark.parametrize(("exact", "bands", "shown"), [
    ("88.88888888888888888888888889", DEFAULT_BANDS, "88.89"),
    ("88.885", DEFAULT_BANDS, "88.89"),
    ("88.884", DEFAULT_BANDS, "88.88"),
    ("99.999", DEFAULT_BANDS, "99.99"),  # never 100 when the target is not met
    ("79.996", StatusBands(green=D(100), yellow=D(80)), "79.99"),  # still red
    ("79.996", DEFAULT_BANDS, "80.00"),  # no threshold at 80: plainly rounded
    ("69.995", DEFAULT_BANDS, "69.99"),  # below the yellow band of 70
    ("89.9951", StatusBands(green=D(90), yellow=D(60)), "89.99"),
    ("90", StatusBands(green=D(90), yellow=D(60)), "90"),
    ("100", DEFAULT_BANDS, "100"),
    ("0", DEFAULT_BANDS, "0"),
])
def test_an_achievement_is_shown_rounded_half_up_but_never_onto_a_threshold(
        exact: str, bands: StatusBands, shown: str) -> None:
    got = shown_achievement(D(exact), bands)
    assert got == D(shown)
    # the figure shown always has the status of the exact value
    assert bands.status(got) is bands.status(D(exact))


def test_a_threshold_with_more_decimals_is_not_crossed_either_way() -> None:
    bands = StatusBands(green=D("79.994"), yellow=D(50))
    assert shown_achievement(D("79.9941"), bands) == D("80.00")  # green, shown 80,00
    assert shown_achievement(D("79.9939"), bands) == D("79.99")  # yellow
    assert shown_achievement(D("79.995"), StatusBands(green=D("79.996"))) == D("79.99")
