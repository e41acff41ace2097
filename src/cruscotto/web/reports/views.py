"""The report page of a plan and its downloads (PDF, DOCX, XLSX).

Public like the plan's pages: what a reader sees is decided here, through the
actor-aware selectors (validated and certified values for the public and
viewers; every state, marked, for the planning office, the OIV and a
centre's own indicators).
"""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import readable_plan, stored_plan
from cruscotto.web.reports import render
from cruscotto.web.reports.data import Report, ReportError, build_report, report_periods


def _plan(request: HttpRequest, key: str) -> pm.Plan:
    """The plan if the reader may read it: for the public an unpublished plan does
    not exist."""
    try:
        return readable_plan(request.user, key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


def _chosen(request: HttpRequest, periods: list[mm.Period]) -> mm.Period | None:
    """The period asked for (``?period=2021-12-31``), else the latest year end with values."""
    text = request.GET.get("period", "").strip()
    if text:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise ReportError(_("Periodo %(p)s non valido: atteso una data come 2021-12-31.")
                              % {"p": text}) from None
        found = next((p for p in periods if p.end_date == day), None)
        if found is None:
            raise ReportError(_("Il piano non ha un periodo al %(d)s.")
                              % {"d": day.strftime("%d/%m/%Y")})
        return found
    ends = [p for p in periods if p.kind == PeriodKind.YEAR_END]
    with_values = set(mm.Value.objects.filter(period__in=ends).values_list(
        "period_id", flat=True))
    measured = [p for p in ends if p.pk in with_values]
    if measured:
        return measured[-1]
    return ends[0] if ends else None


def _report(request: HttpRequest, db: pm.Plan, period: mm.Period) -> Report:
    date = period.end_date if period.kind == PeriodKind.INTERIM else None
    return build_report(plan_key=db.key, year=period.year, date=date,
                        actor=actor_for(request.user, db.pk))


@require_GET
def report(request: HttpRequest, key: str) -> HttpResponse:
    db = _plan(request, key)
    periods = report_periods(db.pk)
    error = ""
    chosen: mm.Period | None = None
    data: Report | None = None
    try:
        chosen = _chosen(request, periods)
        if chosen is not None:
            data = _report(request, db, chosen)
    except ReportError as exc:
        error = str(exc)
    context = {
        "key": key, "plan": stored_plan(db.pk), "periods": periods, "chosen": chosen,
        "error": error, "formats": render.FORMATS,
        **(render.context(data, page=True) if data is not None else {"report": None}),
    }
    return TemplateResponse(request, "reports/report.html", context,
                            status=400 if error else 200)


@require_GET
def download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in render.FORMATS:
        raise Http404("unknown format")
    db = _plan(request, key)
    try:
        chosen = _chosen(request, report_periods(db.pk))
        if chosen is None:
            raise ReportError(_("Il piano non ha periodi di misurazione."))
        data = _report(request, db, chosen)
    except ReportError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render.render(data, fmt), content_type=render.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{render.file_name(data, fmt)}"'
    # the content depends on who asks: never share it between readers
    response["Cache-Control"] = "private, no-store"
    return response
