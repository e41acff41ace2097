"""The campaign overview: one period, every indicator by state, every centre's progress.

For the planning office and the OIV; the same rows as CSV or XLSX.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cruscotto.core.workflow import Role
from cruscotto.io.tables import to_csv, to_xlsx
from cruscotto.web import display
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import selectors
from cruscotto.web.measurements.views import _period, _shared_plan

#: who follows a campaign
READERS = {Role.PLANNING, Role.OIV, Role.ADMIN}


def _labels() -> dict[str, str]:
    return {c.value: display.state_label(c) for c in display.StateChoices}


@require_GET
@login_required
def campaign(request: HttpRequest, key: str, date: str) -> HttpResponse:
    db, plan = _shared_plan(key)
    if not actor_for(request.user, db.pk).roles & READERS:
        raise PermissionDenied(_("Solo il controllo di gestione e l'OIV seguono la campagna."))
    period = _period(db, date)
    overview = selectors.campaign(plan_id=db.pk, period=period)
    labels = _labels()
    wanted_state = request.GET.get("state", "")
    wanted_centre = request.GET.get("centre", "")
    late_only = request.GET.get("late") == "1"
    rows = [r for r in overview.rows
            if (not wanted_state or r.state.value == wanted_state)
            and (not wanted_centre or wanted_centre in r.centres)
            and (not late_only or r.late)]
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [_("Indicatore"), _("Nome"), _("Centri"), _("Stato"), _("In ritardo")]
        table = [[r.code, r.name, "; ".join(r.centres), labels[r.state.value],
                  _("sì") if r.late else _("no")] for r in rows]
        name = f"campagna-{key}-{period.end_date:%Y-%m-%d}.{fmt}"
        if fmt == "csv":
            body, kind = to_csv(header, table), "text/csv; charset=utf-8"
        else:
            body = to_xlsx(header, table, title=_("Campagna"))
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    states = [(s.value, labels[s.value], overview.by_state.get(s, 0))
              for s in selectors.CAMPAIGN_STATES]
    return TemplateResponse(request, "measurements/campaign.html", {
        "key": key, "plan": plan, "period": period, "overview": overview,
        "rows": [(r, labels[r.state.value]) for r in rows],
        "labels": labels, "states": states,
        "centre_rows": [(c, [(s.value, c.by_state.get(s, 0))
                             for s in selectors.CAMPAIGN_STATES])
                        for c in overview.centres],
        "periods": mm.Period.objects.filter(plan=db).exclude(kind="baseline")
        .order_by("end_date"),
        "wanted_state": wanted_state, "wanted_centre": wanted_centre, "late_only": late_only,
        "query": request.GET.urlencode(),
        "late": sum(1 for r in overview.rows if r.late),
    })
