"""Plans and their periods: public for published plans, as the plan pages are."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cruscotto.io.interchange import plan_to_dict
from cruscotto.web.api import lookups
from cruscotto.web.api.auth import PUBLIC, PUBLIC_SECURITY
from cruscotto.web.api.schemas import ErrorOut, PeriodOut, PlanSummaryOut
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans.selectors import is_public, list_plans, stored_plan

router = Router(tags=["plans"], auth=PUBLIC)


def period_out(p: mm.Period) -> dict[str, Any]:
    return {"date": p.end_date, "year": p.year, "kind": p.kind, "deadline": p.deadline}


@router.get("", response={200: list[PlanSummaryOut], 401: ErrorOut},
            openapi_extra=PUBLIC_SECURITY)
def plans(request: HttpRequest) -> Any:
    """The plans the caller may read, the most recent years first: every stored plan
    once signed in, the published ones for anonymous callers."""
    return list_plans(public=is_public(lookups.user(request)))


@router.get("/{key}", response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
            openapi_extra=PUBLIC_SECURITY)
def plan(request: HttpRequest, key: str) -> Any:
    """The plan as stored, in the interchange format (``cruscotto-plan``, as exported
    with ``cruscotto plan export``); target revisions are not applied here."""
    return plan_to_dict(stored_plan(lookups.plan(request, key).pk))


@router.get("/{key}/periods", response={200: list[PeriodOut], 401: ErrorOut, 404: ErrorOut},
            openapi_extra=PUBLIC_SECURITY)
def periods(request: HttpRequest, key: str) -> Any:
    """The plan's periods: the baseline year, interim dates and year ends, in date order."""
    db = lookups.plan(request, key)
    return [period_out(p) for p in mm.Period.objects.filter(plan=db).order_by("end_date")]
