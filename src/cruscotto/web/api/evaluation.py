"""The engine's figures for a period, as the caller may see them, with their derivation.

The same selector as the pages (:func:`selectors.evaluate_period`): an
indicator whose values are not validated yet is *not computable* ("values not
validated yet") for those who may not read its drafts, and left out of
their roll-up; for anonymous callers (the public) so is one validated but not
certified yet ("values not certified yet").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router

from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.workflow import State
from cruscotto.web.api import lookups
from cruscotto.web.api.auth import PUBLIC, PUBLIC_SECURITY
from cruscotto.web.api.plans import period_out
from cruscotto.web.api.schemas import ErrorOut, IndicatorEvaluationOut, PeriodEvaluationOut
from cruscotto.web.measurements import selectors
from cruscotto.web.measurements.readings import readings_in_force, target_reading

router = Router(tags=["evaluation"], auth=PUBLIC)

PATH = "/{key}/periods/{date}"


def _indicator(ev: selectors.PeriodEvaluation, code: str,
               records: dict[tuple[str, int], Any] | None = None, *,
               signed_in: bool = False) -> dict[str, Any]:
    result = ev.evaluation.indicators[code]
    rec = (records or {}).get((code, ev.period.pk))
    if rec is not None and code not in ev.hidden:
        data = dict(rec.result)  # the public reads the figure as certified
    elif isinstance(result, IndicatorResult):
        data = result.as_dict()
    else:  # a result from elsewhere: what the roll-up knows of it
        data = {"code": code, "year": ev.evaluation.year, "outcome": result.outcome,
                "achievement": result.achievement, "reason": str(result.reason or ""),
                "value": None, "status": "not_available"}
    year = ev.evaluation.year
    text = ev.plan.indicator(code).targets.get(year, "")
    reading = target_reading(readings_in_force(ev.period.plan_id, ev.plan), code, year,
                             text, who=signed_in)
    return {**data, "state": ev.states.get(code, State.DRAFT), "hidden": code in ev.hidden,
            "target_reading": reading}


def _evaluate(request: HttpRequest, key: str, date: datetime.date
              ) -> tuple[str, selectors.PeriodEvaluation, dict[tuple[str, int], Any], bool]:
    """The period's stored results as the caller may see them, and, for the public
    (anonymous callers), the certification records whose figures they read; whether
    the caller is signed in."""
    db = lookups.plan(request, key)
    period = lookups.period(db, date)
    actor = lookups.actor(request, db)
    ev = selectors.evaluate_period(plan_id=db.pk, period=period, actor=actor)
    public = actor is None or actor.anonymous
    return (db.key, ev, selectors.active_records(db.pk, period) if public else {},
            not public)


@router.get(PATH + "/evaluation",
            response={200: PeriodEvaluationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
            openapi_extra=PUBLIC_SECURITY)
def period_evaluation(request: HttpRequest, key: str, date: datetime.date) -> Any:
    """The whole plan evaluated at the period: every indicator with its derivation, and
    the roll-up to operational and strategic objectives, missions, centres and the
    organisation."""
    plan_key, ev, records, signed_in = _evaluate(request, key, date)
    data = ev.evaluation.as_dict()
    return {
        **data, "plan": plan_key, "period": period_out(ev.period), "stale": ev.stale,
        "indicators": [_indicator(ev, i.code, records, signed_in=signed_in)
                       for i in ev.plan.indicators
                       if i.code in ev.evaluation.indicators],
        "hidden": sorted(ev.hidden),
    }


@router.get(PATH + "/indicators/{code}/evaluation",
            response={200: IndicatorEvaluationOut, 400: ErrorOut, 401: ErrorOut,
                      404: ErrorOut},
            openapi_extra=PUBLIC_SECURITY)
def indicator_evaluation(request: HttpRequest, key: str, date: datetime.date,
                         code: str) -> Any:
    """One indicator at the period: inputs (with their sources) → formula → value →
    target → rule → achievement."""
    lookups.indicators_exist(lookups.plan(request, key), [code])
    _, ev, records, signed_in = _evaluate(request, key, date)
    return _indicator(ev, code, records, signed_in=signed_in)
