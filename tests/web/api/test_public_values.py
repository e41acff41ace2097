"""Anonymous callers (and those who may not read drafts) see validated values only."""

from __future__ import annotations

from .conftest import Caller, enter_3_1_1


def shown(api: object) -> dict[str, object]:
    status, body = api.get(api.period() + "/values")  # type: ignore[attr-defined]
    assert status == 200, body
    return {v["variable"]: v["value"] for v in body["values"]}


def test_drafts_are_seen_by_their_centre_and_the_offices_only(caller: Caller) -> None:
    enter_3_1_1(caller)
    for who in ("officer_a", "manager_a", "planning", "oiv"):
        assert shown(getattr(caller, who))["budget_innovazione"] == 9500000, who
    for who in ("anonymous", "viewer", "officer_b"):
        assert shown(getattr(caller, who)) == {}, who


def test_anonymous_callers_see_values_once_validated(caller: Caller) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    assert shown(caller.anonymous) == {}
    caller.planning.act("3.1.1", "validate")
    assert shown(caller.anonymous) == {"budget_innovazione": 9500000,
                                       "contabilizzato_innovazione": 8835000}


def test_the_evaluation_hides_drafts_from_anonymous_callers(caller: Caller) -> None:
    enter_3_1_1(caller)
    api = caller.anonymous
    status, ev = api.get(api.period() + "/evaluation")
    assert status == 200, ev
    assert "3.1.1" in ev["hidden"]
    first = next(i for i in ev["indicators"] if i["code"] == "3.1.1")
    assert (first["outcome"], first["hidden"], first["state"]) == (
        "not_computable", True, "draft")
    assert "non ancora validati" in first["reason"]
    assert "9500000" not in str(ev)


def test_the_centre_sees_its_draft_figure_with_its_derivation(caller: Caller) -> None:
    enter_3_1_1(caller)
    api = caller.officer_a
    status, r = api.get(api.period() + "/indicators/3.1.1/evaluation")
    assert status == 200, r
    assert (r["outcome"], r["hidden"], r["achievement"], r["met"]) == (
        "scored", False, "100", True)
    inputs = {i["name"]: i["value"] for i in r["formula"]["inputs"]}
    assert inputs == {"budget_innovazione": "9500000",
                      "contabilizzato_innovazione": "8835000"}
    assert r["assessment"]["working"]


def test_validated_figures_are_public_and_roll_up(caller: Caller) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    caller.planning.act("3.1.1", "validate")
    api = caller.anonymous
    status, r = api.get(api.period() + "/indicators/3.1.1/evaluation")
    assert (status, r["outcome"], r["state"]) == (200, "scored", "validated")
    status, ev = api.get(api.period() + "/evaluation")
    assert "3.1.1" not in ev["hidden"]
    assert "3.1.1" in ev["organisation"]["counted"]


def test_the_history_is_for_those_who_may_read_drafts(caller: Caller) -> None:
    enter_3_1_1(caller)
    url = caller.anonymous.plan + "/indicators/3.1.1/history"
    for who in ("anonymous", "viewer", "officer_b"):
        status, body = getattr(caller, who).get(url)
        assert status == 403 and "la cronologia è visibile solo" in body["detail"], who
    status, events = caller.officer_a.get(url)
    assert status == 200
    assert [(e["user"], e["action"], e["field"], e["new"]) for e in events] == [
        ("officer_a", "value", "budget_innovazione", "9500000"),
        ("officer_a", "value", "contabilizzato_innovazione", "8835000")]
    assert events[0]["period"] == "2021-12-31"
