"""Target forms beyond the seed, Italian numbers, warnings, errors and descriptions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cruscotto.core.targets import (
    Deadline,
    Polarity,
    TargetError,
    TargetKind,
    format_number,
    parse_italian_number,
    parse_target,
)

H, L, B = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.TARGET_BAND
D = Decimal


@pytest.mark.parametrize(("text", "value"), [
    ("4.293.180", D(4293180)),
    ("1.234,5", D("1234.5")),
    ("1.234.567,89", D("1234567.89")),
    ("0,5", D("0.5")),
    ("18000", D(18000)),
    ("1.500", D(1500)),
    ("90", D(90)),
])
def test_it_reads_italian_numbers(text: str, value: Decimal) -> None:
    assert parse_italian_number(text) == (value, ())


@pytest.mark.parametrize(("text", "value"), [("0.5", D("0.5")), ("90.5", D("90.5")),
                                             ("1234.567", D("1234.567")), ("0.500", D("0.5"))])
def test_it_reads_a_lone_dot_as_a_decimal_point_with_a_warning(text: str, value: Decimal) -> None:
    got, warnings = parse_italian_number(text)
    assert got == value
    assert len(warnings) == 1 and "decimal point" in str(warnings[0])


@pytest.mark.parametrize(("text", "why"), [
    ("4.200.00", "is it 4.200.000 or 4.200,00?"),
    ("1.2.3", "exactly three digits"),
    ("1,234.5", "mixes “.” and “,”"),
    ("1,2,3", "more than one decimal comma"),
])
def test_it_refuses_broken_numbers(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("?", r"\?").replace(".", r"\.")):
        parse_italian_number(text)


@pytest.mark.parametrize(("value", "it", "en"), [
    (D(4293180), "4.293.180", "4,293,180"),
    (D("1234.5"), "1.234,5", "1,234.5"),
    (D("-0.250"), "-0,25", "-0.25"),
    (D(0), "0", "0"),
])
def test_it_writes_numbers_the_italian_way(value: Decimal, it: str, en: str) -> None:
    assert format_number(value, "it") == it
    assert format_number(value, "en") == en


# text, unit, polarity -> kind, threshold, extra checks
FORMS = [
    ("≥ 90%", "percentuale", H, TargetKind.AT_LEAST, "0.9"),
    ("=> 90 %", "percentuale", H, TargetKind.AT_LEAST, "0.9"),
    ("<= 5", "numero", L, TargetKind.AT_MOST, "5"),
    ("≤5", "numero", L, TargetKind.AT_MOST, "5"),
    ("al massimo 5", "numero", L, TargetKind.AT_MOST, "5"),
    ("Max 10", "numero", L, TargetKind.AT_MOST, "10"),
    ("non più di 3", "numero", L, TargetKind.AT_MOST, "3"),
    ("minimo 3", "numero", H, TargetKind.AT_LEAST, "3"),
    ("non meno di 1.000", "numero", H, TargetKind.AT_LEAST, "1000"),
    ("ALMENO 2", "numero", H, TargetKind.AT_LEAST, "2"),
    (">= -5", "numero", H, TargetKind.AT_LEAST, "-5"),
    ("<= € 1.000.000", "valore", L, TargetKind.AT_MOST, "1000000"),
    ("<= 1.000.000 euro", "valore", L, TargetKind.AT_MOST, "1000000"),
    ("12", "numero", B, TargetKind.BAND, "12"),
    ("= 12", "numero", H, TargetKind.BAND, "12"),
    ("incremento del 10%", "numero", H, TargetKind.GROWTH, "0.1"),
    ("riduzione del 5%", "numero", L, TargetKind.GROWTH, "-0.05"),
    ("+ 0%", "numero", H, TargetKind.GROWTH, "0"),
    ("−2%", "numero", L, TargetKind.GROWTH, "-0.02"),
    ("mantenimento", "numero", H, TargetKind.GROWTH, "0"),
    ("mantenimento ±5%", "numero", H, TargetKind.BAND, None),
    ("=50% ±5%", "percentuale", B, TargetKind.BAND, "0.5"),
    ("50% ± 5", "percentuale", B, TargetKind.BAND, "0.5"),
    ("50 ± 2", "numero", B, TargetKind.BAND, "50"),
    ("50 +/- 2", "numero", B, TargetKind.BAND, "50"),
    ("50 ± 5%", "numero", B, TargetKind.BAND, "50"),
    ("50 ± 5", "percentuale", B, TargetKind.BAND, "0.5"),
    ("1,5", "valore", L, TargetKind.AT_MOST, "1.5"),
    ("SI", "realizzazione", H, TargetKind.MILESTONE, None),
    ("yes", "realizzazione", H, TargetKind.MILESTONE, None),
    ("Avvio", "", H, TargetKind.MILESTONE, None),
    ("-", "numero", H, TargetKind.NONE, None),
    ("   ", "numero", H, TargetKind.NONE, None),
]


@pytest.mark.parametrize(("text", "unit", "polarity", "kind", "threshold"), FORMS)
def test_it_reads_other_target_forms(
    text: str, unit: str, polarity: Polarity, kind: TargetKind, threshold: str | None
) -> None:
    t = parse_target(text, unit=unit, polarity=polarity)
    assert t.kind is kind
    assert t.threshold == (None if threshold is None else D(threshold))
    assert t.describe("it") and t.describe("en")


def test_band_tolerances_follow_the_scale_of_the_centre() -> None:
    points = parse_target("=50% ±5%", unit="percentuale", polarity=B)
    assert (points.tolerance, points.tolerance_relative) == (D("0.05"), False)
    absolute = parse_target("50 ± 2", unit="numero", polarity=B)
    assert (absolute.tolerance, absolute.tolerance_relative) == (D(2), False)
    relative = parse_target("50 ± 5%", unit="numero", polarity=B)
    assert (relative.tolerance, relative.tolerance_relative) == (D("0.05"), True)
    assert relative.describe("it") == "tra 47,5 e 52,5 (50 ± 5%)"
    maintain = parse_target("mantenimento ± 5%", unit="numero", polarity=H)
    assert maintain.relative_to_previous and maintain.needs_previous
    assert maintain.describe("en") == "within ±5% of the previous year's value"


def test_maintain_reads_through_the_polarity() -> None:
    up = parse_target("mantenimento", unit="numero", polarity=H)
    down = parse_target("mantenimento", unit="numero", polarity=L)
    assert (up.decrease, down.decrease) == (False, True)
    assert up.describe("it") == "non inferiore al valore dell'anno precedente"
    assert down.describe("en") == "not above the previous year's value"


def test_milestones_keep_their_label_deadline_and_cap() -> None:
    t = parse_target("sì, consegna entro il 30/06/2022", unit="realizzazione", polarity=H)
    assert (t.kind, t.label, t.deadline) == (TargetKind.MILESTONE, "consegna",
                                            Deadline(30, 6, 2022))
    assert t.describe("it") == "traguardo raggiunto (sì): consegna entro il 30/06/2022"
    t = parse_target("sì Collaudo max 250.000 €", unit="realizzazione", polarity=H)
    assert t.kind is TargetKind.COMPOUND
    milestone, cap = t.parts
    assert milestone.label == "Collaudo"
    assert (cap.kind, cap.threshold, cap.currency, cap.measure) == (
        TargetKind.AT_MOST, D(250000), True, "spesa")
    assert t.measures == {"spesa"}
    t = parse_target("sì max € 10.000", unit="realizzazione", polarity=H, cap_measure="costo")
    assert t.parts[1].measure == "costo"


def test_it_warns_about_what_looks_odd() -> None:
    cases = [
        (">=90", "percentuale", H, "no “%” after 90"),
        (">=90%", "numero", H, "the unit is “numero” but the target is a percentage"),
        (">= 5", "numero", L, "“at least” but lower is better"),
        ("<= 5", "numero", H, "“at most” but higher is better"),
        ("+10%", "numero", L, "a growth target on an indicator where lower is better"),
        ("-10%", "numero", H, "a reduction target on an indicator where higher is better"),
        ("Avvio", "", H, "“Avvio” read as a milestone"),
        ("sì", "numero", H, "a milestone target on an indicator measured in “numero”"),
        ("0.5", "valore", H, "decimal point"),
    ]
    for text, unit, polarity, warning in cases:
        t = parse_target(text, unit=unit, polarity=polarity)
        warnings = [str(w) for w in t.all_warnings()]
        assert any(warning in w for w in warnings), (text, warnings)


# text, unit, column, token, the start of the message, expected
TARGET_ERRORS = [
    (">90%", "percentuale", 1, ">", "a target cannot be a strict comparison", "'>=' or '<='"),
    ("< 5", "numero", 1, "<", "a target cannot be a strict comparison", "'>=' or '<='"),
    ("+20", "percentuale", 4, "", "a change against the previous year is a percentage",
     "'%'"),
    ("no", "realizzazione", 1, "no", "'no' is not a target", "a number"),
    ("molti", "numero", 1, "molti", "'molti' does not start a target", "a number"),
    (">=", "numero", 3, "", "expected a number", "a number"),
    (">= tanti", "numero", 4, "tanti", "expected a number", "a number"),
    (">=90%)", "percentuale", 6, ")", "unexpected text after the target",
     "the end of the target"),
    ("sì max € 4.200.00", "realizzazione", 10, "4.200.00", "“4.200.00” is not a valid number",
     "a number such as 4.200.000"),
    ("4.200.00", "numero", 1, "4.200.00", "“4.200.00” is not a valid number", "a number"),
    ("sì entro 31/2", "realizzazione", 10, "31", "31/2 is not a date", "a day/month"),
    ("± 5", "numero", 1, "±", "this is not a target", "a number"),
    ("+/- 5", "numero", 1, "+", "a band needs its centre before '±'", "a number"),
    (">= 5 ± 1", "numero", 1, ">", "a tolerance '±' only goes with a value to keep",
     "'=' or no operator"),
    ("mantenimento ± 5", "numero", 17, "", "the tolerance of 'mantenimento' is a percentage",
     "'%'"),
    ("mantenimento 5", "numero", 14, "5", "unexpected text after the target",
     "the end of the target"),
]


@pytest.mark.parametrize(("text", "unit", "column", "token", "message", "expected"),
                         TARGET_ERRORS)
def test_it_says_where_a_target_is_wrong(
    text: str, unit: str, column: int, token: str, message: str, expected: str
) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(text, unit=unit, polarity=H)
    err = info.value
    assert (err.column, err.token) == (column, token), str(err)
    assert err.message.startswith(message), err.message
    assert err.expected.startswith(expected), err.expected
    assert err.as_dict()["column"] == column


def test_a_target_is_data_with_words_in_both_languages() -> None:
    data = parse_target("sì Trasloco entro 31/8", unit="realizzazione", polarity=H).as_dict()
    assert data["kind"] == "milestone"
    assert data["deadline"] == {"day": 31, "month": 8, "year": None}
    assert data["description_it"] == "traguardo raggiunto (sì): Trasloco entro il 31/08"
    assert data["description_en"] == "milestone reached (yes): Trasloco by 31/08"
