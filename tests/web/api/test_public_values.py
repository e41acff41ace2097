"""Who sees which values: signed-in readers from validation on, the public (anonymous
callers) only once the OIV has certified them, and only of a published plan."""

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


def test_viewers_see_values_once_validated_the_public_once_certified(caller: Caller
                                                                     ) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    assert shown(caller.anonymous) == {} and shown(caller.viewer) == {}
    caller.planning.act("3.1.1", "validate")
    values = {"budget_innovazione": 9500000, "contabilizzato_innovazione": 8835000}
    assert shown(caller.viewer) == values
    assert shown(caller.anonymous) == {}
    caller.oiv.act("3.1.1", "certify")
    assert shown(caller.anonymous) == values


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


def test_validated_figures_roll_up_for_viewers_but_not_for_the_public(caller: Caller
                                                                      ) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    caller.planning.act("3.1.1", "validate")
    status, r = caller.viewer.get(caller.viewer.period() + "/indicators/3.1.1/evaluation")
    assert (status, r["outcome"], r["state"]) == (200, "scored", "validated")
    status, ev = caller.viewer.get(caller.viewer.period() + "/evaluation")
    assert "3.1.1" in ev["organisation"]["counted"]

    api = caller.anonymous
    status, r = api.get(api.period() + "/indicators/3.1.1/evaluation")
    assert (status, r["outcome"], r["hidden"]) == (200, "not_computable", True)
    assert "valori non ancora certificati" in r["reason"]
    status, ev = api.get(api.period() + "/evaluation")
    assert "3.1.1" in ev["hidden"]
    assert "3.1.1" not in ev["organisation"]["counted"]
    assert "9500000" not in str(ev)


def test_certified_figures_are_public_and_roll_up(caller: Caller) -> None:
    enter_3_1_1(caller)
    caller.officer_a.act("3.1.1", "submit")
    caller.planning.act("3.1.1", "validate")
    caller.oiv.act("3.1.1", "certify")
    api = caller.anonymous
    status, r = api.get(api.period() + "/indicators/3.1.1/evaluation")
    assert (status, r["outcome"], r["state"]) == (200, "scored", "certified")
    status, ev = api.get(api.period() + "/evaluation")
    assert "3.1.1" not in ev["hidden"]
    assert "3.1.1" in ev["organisation"]["counted"]


def test_an_unpublished_plan_does_not_exist_for_the_public(caller: Caller) -> None:
    from cruscotto.web.plans.services import set_published

    enter_3_1_1(caller)
    for action, who in (("submit", "officer_a"), ("validate", "planning"),
                        ("certify", "oiv")):
        getattr(caller, who).act("3.1.1", action)
    set_published(plan=caller.people.plan, published=False)
    api = caller.anonymous
    status, plans = api.get("/api/plans")
    assert (status, plans) == (200, [])
    for url in (api.plan, api.plan + "/periods", api.period() + "/values",
                api.period() + "/evaluation", api.period() + "/indicators/3.1.1/evaluation"):
        status, body = api.get(url)
        assert status == 404, url
        assert "9500000" not in str(body)
    status, plans = caller.viewer.get("/api/plans")
    assert [p["key"] for p in plans] == [caller.people.plan.key]
    assert shown(caller.viewer)["budget_innovazione"] == 9500000


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
