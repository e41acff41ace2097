"""Path parameters to rows: an unknown plan, period or indicator is a 404 that says which."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cruscotto.core import plan as core
from cruscotto.core.workflow import Actor
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import readable_plan, stored_plan


def plan(request: HttpRequest, key: str) -> pm.Plan:
    """The plan ``key`` if the caller may read it: the public (anonymous callers)
    reads published plans only; for them an unpublished plan does not exist."""
    try:
        return readable_plan(user(request), key)
    except pm.Plan.DoesNotExist:
        raise Http404(_("nessun piano «%(key)s»") % {"key": key}) from None


def period(db: pm.Plan, date: datetime.date) -> mm.Period:
    try:
        return mm.Period.objects.get(plan=db, end_date=date)
    except mm.Period.DoesNotExist:
        raise Http404(_("il piano «%(key)s» non ha un periodo al %(date)s") % {
            "key": db.key, "date": f"{date:%d/%m/%Y}"}) from None


def indicator(db: pm.Plan, code: str) -> core.Indicator:
    try:
        return stored_plan(db.pk).indicator(code)
    except KeyError:
        raise Http404(_("il piano «%(key)s» non ha l'indicatore «%(code)s»") % {
            "key": db.key, "code": code}) from None


def indicators_exist(db: pm.Plan, codes: Iterable[str]) -> None:
    """Http404 naming the first code the plan does not have (one query for them all)."""
    wanted = list(dict.fromkeys(codes))
    known = set(pm.Indicator.objects.filter(plan=db, code__in=wanted).values_list(
        "code", flat=True))
    for code in wanted:
        if code not in known:
            raise Http404(_("il piano «%(key)s» non ha l'indicatore «%(code)s»") % {
                "key": db.key, "code": code})


def user(request: HttpRequest) -> Any:
    """The caller as the services take it (``AnonymousUser`` when nobody signed in)."""
    return request.auth  # type: ignore[attr-defined]


def actor(request: HttpRequest, db: pm.Plan) -> Actor:
    return actor_for(user(request), db.pk)
