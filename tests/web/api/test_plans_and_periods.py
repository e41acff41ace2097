"""Plans and periods: public reads."""

from __future__ import annotations

from .conftest import Caller


def test_it_lists_the_plans(caller: Caller) -> None:
    status, plans = caller.anonymous.get("/api/plans")
    assert status == 200
    assert [p["key"] for p in plans] == [caller.people.plan.key]
    assert plans[0]["indicator_count"] == 36


def test_it_gives_the_plan_in_the_interchange_format(caller: Caller) -> None:
    api = caller.anonymous
    status, plan = api.get(api.plan)
    assert status == 200
    assert plan["format"] == "cruscotto-plan"
    assert "3.1.1" in [i["code"] for i in plan["indicators"]]


def test_it_lists_the_periods_in_date_order(caller: Caller) -> None:
    api = caller.anonymous
    status, periods = api.get(api.plan + "/periods")
    assert status == 200
    assert [(p["date"], p["kind"]) for p in periods][:3] == [
        ("2020-12-31", "baseline"), ("2021-06-30", "interim"), ("2021-12-31", "year_end")]
    assert periods[2]["deadline"] == "2022-01-31"


def test_unknown_plans_and_periods_are_404_saying_which(caller: Caller) -> None:
    api = caller.anonymous
    assert api.get("/api/plans/nessuno") == (404, {"detail": "nessun piano «nessuno»"})
    status, body = api.get(api.period("2021-03-31") + "/values")
    assert status == 404 and "non ha un periodo al 31/03/2021" in body["detail"]
    status, body = api.get(api.period() + "/indicators/9.9.9/evaluation")
    assert status == 404 and "non ha l'indicatore «9.9.9»" in body["detail"]
