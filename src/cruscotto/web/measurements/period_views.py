"""The planning office's page of measurement dates and data-entry deadlines."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cruscotto.core.workflow import Role, WorkflowError
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import services
from cruscotto.web.plans import models as pm


class _BadDate(ValueError):
    pass


def _date(text: str, *, field: str, required: bool = True) -> datetime.date | None:
    """A date from a form: ISO (what ``<input type=date>`` sends) or 30/09/2021."""
    t = text.strip()
    if not t:
        if required:
            raise _BadDate(_("%(field)s: manca la data") % {"field": field})
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
    try:
        if m:
            return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return datetime.date.fromisoformat(t)
    except ValueError:
        raise _BadDate(_("%(field)s: «%(text)s» non è una data (per esempio 30/09/2021)") % {
            "field": field, "text": t}) from None


@require_http_methods(["GET", "POST"])
@login_required
def periods(request: HttpRequest, key: str) -> HttpResponse:
    try:
        db = pm.Plan.objects.get(key=key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None
    if not actor_for(request.user, db.pk).roles & {Role.PLANNING, Role.ADMIN}:
        raise PermissionDenied(_("Solo il controllo di gestione configura i periodi."))
    message, error, status = "", "", 200
    confirm_remove = None
    if (request.method == "POST" and request.POST.get("action") == "remove"
            and not request.POST.get("confirm")):
        # removing a period is asked twice: the page names it and waits
        confirm_remove = _period(db, request.POST.get("period", ""))
    elif request.method == "POST":
        try:
            message = _change(request, db)
        except (_BadDate, WorkflowError) as exc:
            error, status = str(exc), 400
        except PermissionDenied as exc:  # the service's own check
            error, status = str(exc), 403
        else:
            request.session["periods_message"] = message
            return redirect(reverse("measurements:periods", args=[key]))
    message = request.session.pop("periods_message", "")
    rows = mm.Period.objects.filter(plan=db).annotate(n_values=Count("values")).order_by(
        "end_date")
    return TemplateResponse(request, "measurements/periods.html", {
        "key": key, "plan": db, "periods": rows, "message": message, "error": error,
        "posted": request.POST if error else {}, "confirm_remove": confirm_remove,
    }, status=status)


def _change(request: HttpRequest, db: pm.Plan) -> str:
    action = request.POST.get("action", "")
    user = request.user
    if action == "add":
        day = _date(request.POST.get("date", ""), field=_("Data"))
        deadline = _date(request.POST.get("deadline", ""), field=_("Scadenza"),
                         required=False)
        assert day is not None
        services.do_add_period(user=user, plan=db, end_date=day, deadline=deadline)
        return _("Aggiunto il periodo al %(date)s.") % {"date": f"{day:%d/%m/%Y}"}
    period = _period(db, request.POST.get("period", ""))
    if action == "deadline":
        deadline = _date(request.POST.get("deadline", ""), field=_("Scadenza"),
                         required=False)
        services.do_set_deadline(user=user, period=period, deadline=deadline)
        return _("Scadenza del periodo al %(date)s aggiornata.") % {
            "date": f"{period.end_date:%d/%m/%Y}"}
    if action == "remove":
        services.do_remove_period(user=user, period=period)
        return _("Tolto il periodo al %(date)s.") % {"date": f"{period.end_date:%d/%m/%Y}"}
    raise WorkflowError(_("Azione sconosciuta."))


def _period(db: pm.Plan, pk: str) -> mm.Period:
    try:
        return mm.Period.objects.get(plan=db, pk=int(pk))
    except (ValueError, mm.Period.DoesNotExist):
        raise Http404("unknown period") from None
