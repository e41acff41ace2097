"""Roll-up: weighted averages up the plan, with what was left out and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from cruscotto.core.plan import (
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    StrategicObjective,
)
from cruscotto.core.rollup import Level, Placement, evaluate, needs, placements_from_plan, roll_up
from cruscotto.core.scoring import Outcome, Status, compile_indicator
from cruscotto.core.values import InputValue, VarKey

D = Decimal


@dataclass(frozen=True)
class Given:
    """An indicator result as the roll-up sees it."""

    outcome: Outcome
    achievement: Decimal | None
    reason: str = ""


def scored(a: str) -> Given:
    return Given(Outcome.SCORED, D(a))


def make_plan() -> Plan:
    return Plan(
        organisation=Organisation("Ente di prova"), title="Piano", years=[2021],
        missions=[Mission("011", "Competitività"), Mission("016", "Internazionalizzazione"),
                  Mission("032", "Servizi")],
        strategic_objectives=[
            StrategicObjective("3", "IMPRESE", "", ["011", "016"]),
            StrategicObjective("6", "FATTORI", "", ["032"])],
        operational_objectives=[
            OperationalObjective("3.1", "3", "Innovazione", mission_code="011"),
            OperationalObjective("3.3", "3", "Export", mission_code="016"),
            OperationalObjective("6.4", "6", "Comunicazione", mission_code="032")],
        indicators=[
            Indicator("3.1.1", "Budget", centres=["A", "B"], strategic_code="3",
                      operational_code="3.1", mission_code="011"),
            Indicator("3.1.2", "Giudizi", centres=["A"], strategic_code="3",
                      operational_code="3.1"),
            Indicator("3.3.1", "Budget export", centres=["B"], strategic_code="3",
                      operational_code="3.3"),
            Indicator("6.0.1", "Equilibrio", centres=["C"], strategic_code="6"),
            Indicator("6.4.1", "Follower", centres=["A", "C"], strategic_code="6",
                      operational_code="6.4"),
        ],
    )


def test_it_places_indicators_from_the_plan() -> None:
    placements = {p.indicator: p for p in placements_from_plan(
        make_plan(), weights={"3.3.1": D(3)})}
    assert placements["3.1.2"] == Placement("3.1.2", "3", "3.1", "011", ("A",), D(1))
    assert placements["3.3.1"].mission == "016"  # from its operational objective
    assert placements["3.3.1"].weight == D(3)
    assert placements["6.0.1"] == Placement("6.0.1", "6", "", "032", ("C",), D(1))


def test_it_averages_every_level_and_leaves_out_what_has_no_achievement() -> None:
    results = {
        "3.1.1": scored("100"), "3.1.2": scored("50"), "3.3.1": scored("80"),
        "6.0.1": Given(Outcome.NOT_MEASURED, None, "not measured: missing oneri (2021)"),
        "6.4.1": scored("70"),
    }
    ev = roll_up(placements_from_plan(make_plan()), results, year=2021)
    assert ev.operational["3.1"].achievement == D(75)
    assert ev.strategic["3"].achievement == D("76.67")  # (100 + 50 + 80) / 3, half up
    assert [(c.code, c.achievement, c.weight) for c in ev.strategic["3"].children] == [
        ("3.1", D(75), D(2)), ("3.3", D(80), D(1))]
    # 6.0.1 hangs on the strategic objective directly and is left out, not zero
    six = ev.strategic["6"]
    assert six.achievement == D(70) and six.counted == ("6.4.1",)
    assert [(x.indicator, x.outcome, x.reason) for x in six.left_out] == [
        ("6.0.1", Outcome.NOT_MEASURED, "not measured: missing oneri (2021)")]
    assert [(c.level, c.code) for c in six.children] == [
        (Level.INDICATOR, "6.0.1"), (Level.OPERATIONAL, "6.4")]
    # a strategic objective under two missions is split between them
    assert ev.missions["011"].achievement == D(75)
    assert ev.missions["011"].children[0].scope == "mission 011"
    assert ev.missions["016"].achievement == D(80)
    # a shared indicator counts fully for each of its centres
    assert ev.centres["A"].achievement == D("73.33")  # 100, 50, 70
    assert ev.centres["B"].achievement == D(90)  # 100, 80
    assert ev.centres["C"].achievement == D(70)
    assert ev.centres["C"].left_out[0].indicator == "6.0.1"
    assert ev.organisation.achievement == D(75)  # (100 + 50 + 80 + 70) / 4
    assert ev.organisation.status is Status.YELLOW
    assert ev.organisation.working == "(1 × 100 + 1 × 50 + 1 × 80 + 1 × 70) / 4 = 75"
    assert ev.node(Level.MISSION, "016") is ev.missions["016"]
    assert ev.node(Level.ORGANISATION) is ev.organisation


def test_weights_count_and_a_node_with_nothing_scored_has_no_achievement() -> None:
    placements = [Placement("1.1.1", "1", "1.1", weight=D(3)),
                  Placement("1.1.2", "1", "1.1", weight=D(1)),
                  Placement("1.2.1", "1", "1.2"),
                  Placement("1.3.1", "1", "1.3", weight=D(0))]
    results = {"1.1.1": scored("100"), "1.1.2": scored("60"),
               "1.2.1": Given(Outcome.NO_TARGET, None, "no target for 2021"),
               "1.3.1": scored("10")}
    ev = roll_up(placements, results, year=2021)
    assert ev.operational["1.1"].achievement == D(90)  # (3 × 100 + 60) / 4
    assert ev.operational["1.2"].achievement is None
    assert ev.operational["1.2"].status is Status.NOT_AVAILABLE
    assert ev.operational["1.2"].working == "nothing scored below: no achievement"
    assert ev.operational["1.3"].achievement is None
    assert ev.operational["1.3"].working == "the weights of the scored indicators sum to 0"
    assert ev.strategic["1"].achievement == D(90)
    assert [c.share for c in ev.strategic["1"].children] == [D(1), None, None]


def test_it_reports_indicators_without_a_result_or_a_place() -> None:
    ev = roll_up([Placement("1.1.1", "1", "1.1")], {"9.9.9": scored("1")}, year=2021)
    assert ev.unscored == ("1.1.1",) and ev.unplaced == ("9.9.9",)
    assert str(ev.organisation.left_out[0].reason) == "no result for the year"


def test_it_refuses_bad_placements() -> None:
    with pytest.raises(ValueError, match="placed twice"):
        roll_up([Placement("1.1.1", "1"), Placement("1.1.1", "1")], {}, year=2021)
    with pytest.raises(ValueError, match="non-negative"):
        Placement("1.1.1", "1", weight=D(-1))


def test_collect_fetch_evaluate() -> None:
    specs = [
        compile_indicator(code="3.1.1", formula="contabilizzato / budget",
                          targets={2021: ">=90%"}, unit="percentuale"),
        compile_indicator(code="6.4.1", formula="follower", targets={2021: "+20%"},
                          unit="percentuale"),
    ]
    keys = needs(specs, 2021)
    assert keys == {("contabilizzato", 2021), ("budget", 2021), ("follower", 2021),
                    ("follower", 2020)}
    store: dict[VarKey, InputValue] = {
        ("contabilizzato", 2021): D(90), ("budget", 2021): D(100), ("follower", 2021): D(110),
        ("follower", 2020): D(100), ("unrelated", 2021): D(1)}
    fetched = {k: store.get(k) for k in keys}
    placements = [Placement("3.1.1", "3", "3.1", "011", ("A",)),
                  Placement("6.4.1", "6", "6.4", "032", ("A",))]
    ev = evaluate(specs, placements, fetched, year=2021)
    assert ev.organisation.achievement == D(75)  # (100 + 50) / 2
    data = ev.as_dict()
    assert data["organisation"]["achievement"] == "75"  # type: ignore[index]
    assert data["indicators"]["6.4.1"]["assessment"]["rule"] == "growth"  # type: ignore[index]


@dataclass(frozen=True)
class GivenExact:
    """A result as the engine gives it: the figure shown and the exact achievement."""

    outcome: Outcome
    achievement: Decimal | None
    exact_achievement: Decimal | None
    reason: str = ""


def test_levels_average_the_exact_achievements_and_never_show_a_band_not_reached() -> None:
    # 69.9949 and 69.9999 are both shown 69.99 (red: below the yellow band of 70); the
    # average of what is shown would be 69.99, of the exact values 69.9974: red, 69.99
    ps = [Placement("1.1.1", "1", "1.1"), Placement("1.1.2", "1", "1.1"),
          Placement("2.1.1", "2", "2.1"), Placement("2.1.2", "2", "2.1")]
    results = {
        "1.1.1": GivenExact(Outcome.SCORED, D("69.99"), D("69.9949")),
        "1.1.2": GivenExact(Outcome.SCORED, D("69.99"), D("69.9999")),
        # 88.888… twice and 100: shown 88.89 each; the exact average is 92.59259…
        "2.1.1": GivenExact(Outcome.SCORED, D("88.89"), D(800) / D(9)),
        "2.1.2": GivenExact(Outcome.SCORED, D("100"), D(100)),
    }
    ev = roll_up(ps, results, year=2021)
    one = ev.operational["1.1"]
    assert (one.achievement, one.status) == (D("69.99"), Status.RED)
    assert one.exact_achievement == D("69.9974")
    two = ev.operational["2.1"]
    assert two.achievement == D("94.44")  # (88.888… + 100) / 2 = 94.444…
    # the organisation: (69.9949 + 69.9999 + 88.888… + 100) / 4 = 82.2209…
    assert ev.organisation.achievement == D("82.22")
    # a result without an exact achievement counts with the figure it has
    old = roll_up(ps[:1], {"1.1.1": scored("69.99")}, year=2021)
    assert old.organisation.achievement == D("69.99")
