"""The pure plan model: validation and the tree view."""

from __future__ import annotations

from cruscotto.core.plan import (
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    PlanError,
    Programme,
    StrategicObjective,
    check_plan,
    code_sort_key,
    plan_tree,
    validate_plan,
)


def make_plan() -> Plan:
    plan = Plan(
        organisation=Organisation("Ente di prova"),
        title="Piano 2021-2023",
        years=[2021, 2022, 2023],
        missions=[Mission("011", "Competitività", [Programme("005", "Promozione")]),
                  Mission("016", "Internazionalizzazione", [Programme("005", "Export")])],
        strategic_objectives=[StrategicObjective("3", "IMPRESE", "", ["011", "016"]),
                              StrategicObjective("6", "FATTORI", "", ["011"])],
        operational_objectives=[
            OperationalObjective("3.1", "3", "Innovare", "INNOVAZIONE", "011", "005"),
            OperationalObjective("3.3", "3", "Esportare", "INTERNAZ.", "016", "005"),
        ],
        indicators=[
            Indicator("3.1.1", "Budget", strategic_code="3", operational_code="3.1",
                      mission_code="011", centres=["Centro A"], targets={2021: ">=90%"}),
            Indicator("3.3.1", "Export", strategic_code="3", operational_code="3.3",
                      mission_code="016", centres=["Centro A", "Centro B"]),
            Indicator("6.0.1", "Pareto", strategic_code="6", mission_code="011",
                      centres=["Centro B"], data_sources=["Controllo di gestione"]),
        ],
    )
    plan.sync_registries()
    return plan


def test_it_accepts_a_sound_plan() -> None:
    assert validate_plan(make_plan()) == []


def test_it_lists_every_duplicate_and_mismatched_code() -> None:
    plan = make_plan()
    plan.indicators.append(Indicator("3.1.1", "Again", strategic_code="3",
                                     operational_code="3.1", centres=["Centro A"]))
    plan.indicators.append(Indicator("3.2.1", "Wrong parent", strategic_code="3",
                                     operational_code="3.1", centres=["Centro A"]))
    problems = validate_plan(plan)
    assert "duplicate indicator code '3.1.1'" in problems
    assert any("3.2.1" in p and "does not match its operational objective" in p
               for p in problems)
    try:
        check_plan(plan)
    except PlanError as exc:
        assert "3.1.1" in str(exc) and "3.2.1" in str(exc)
    else:
        raise AssertionError("check_plan accepted duplicate codes")


def test_it_refuses_unknown_centres_and_targets_outside_the_plan_years() -> None:
    plan = make_plan()
    plan.indicators[0].centres.append("Nobody")
    plan.indicators[0].targets[2030] = "1"
    problems = validate_plan(plan)
    assert "indicator 3.1.1: unknown centre 'Nobody'" in problems
    assert "indicator 3.1.1: target for 2030, outside the plan years" in problems


def test_the_tree_shows_a_shared_strategic_objective_under_each_mission() -> None:
    tree = plan_tree(make_plan())
    m011, m016 = tree
    assert [s.objective.code for s in m011.strategic] == ["3", "6"]
    assert [o.objective.code for o in m011.strategic[0].operational] == ["3.1"]
    assert [o.objective.code for o in m016.strategic[0].operational] == ["3.3"]
    assert [i.code for i in m011.strategic[1].indicators] == ["6.0.1"]
    assert m011.indicator_count == 2 and m016.indicator_count == 1


def test_registries_get_centres_and_sources_in_order_of_first_use() -> None:
    plan = make_plan()
    assert [c.name for c in plan.centres] == ["Centro A", "Centro B"]
    assert [c.key for c in plan.centres] == ["centro-a", "centro-b"]
    assert [s.key for s in plan.data_sources] == ["controllo-di-gestione"]
    assert [i.code for i in plan.indicators_of_centre("Centro B")] == ["3.3.1", "6.0.1"]


def test_codes_sort_numerically() -> None:
    assert sorted(["3.10.1", "3.2.1", "10.1.1"], key=code_sort_key) == [
        "3.2.1", "3.10.1", "10.1.1"]
