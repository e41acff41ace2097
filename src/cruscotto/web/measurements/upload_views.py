"""Values upload pages: the upload form with its report, and the templates to fill in.

Thin function views: who may do what is checked here *and* in
:mod:`cruscotto.web.measurements.uploads` (a client can post anything).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cruscotto.core import plan as core
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import uploads
from cruscotto.web.measurements.upload_limit import too_large
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan


def _plan(key: str) -> tuple[pm.Plan, core.Plan]:
    try:
        db = pm.Plan.objects.get(key=key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None
    return db, read_plan(db.pk)


def _chosen(periods: list[mm.Period], text: str | None) -> mm.Period | None:
    """The period asked for; else the first whose deadline has not passed; else the last."""
    if text:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise Http404("unknown period") from None
        for p in periods:
            if p.end_date == day:
                return p
        raise Http404("unknown period")
    today = datetime.date.today()
    open_ = [p for p in periods if p.deadline is None or p.deadline >= today]
    return open_[0] if open_ else (periods[-1] if periods else None)


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest, key: str) -> HttpResponse:
    db, plan = _plan(key)
    actor = actor_for(request.user, db.pk)
    if not uploads.may_download_template(actor):
        raise PermissionDenied(_("Il caricamento dei valori è per chi fa parte di un centro di "
                                 "responsabilità."))
    periods = list(mm.Period.objects.filter(plan=db).order_by("end_date"))
    chosen = _chosen(periods, request.GET.get("period"))
    report, message, status = None, "", 200
    preview: uploads.Preview | None = None
    completed: list[uploads.Completed] = []
    submitted: uploads.Submitted | None = None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and not uploads.may_upload(actor):
        raise PermissionDenied(_("Solo i centri di responsabilità inseriscono valori."))
    if action == "confirm":
        # the file checked before, kept in the session: stored now, all or nothing
        pending = request.session.get(_PENDING)
        message = uploads.pending_refusal(pending, token=request.POST.get("token", ""),
                                          user=request.user, plan_id=db.pk)
        if not message:
            report = uploads.confirm_upload(user=request.user, pending=pending)
            request.session.pop(_PENDING, None)
            if report.accepted:
                completed = uploads.completed_indicators(
                    user=request.user, plan_id=db.pk, report=report, pending=pending)
        status = 400 if message or (report is not None and not report.accepted) else 200
    elif action == "submit":
        items = _completed_items(db, plan, request.POST.getlist("item"))
        if not items:
            message, status = _("Scegli almeno un indicatore da inviare."), 400
        else:
            submitted = uploads.submit_completed(user=request.user, items=items)
            status = 400 if submitted.refused and not submitted.done else 200
    elif request.method == "POST":
        limit = int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES)
        # a body far over the limit: say so without opening the file it carries
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
            report = uploads.UploadReport(filename="")
            report.add(0, "", _("il file è troppo grande: al massimo %(max)s MB") % {
                "max": _megabytes(limit)},
                _("un file più piccolo: dividi i valori in più file"))
        else:
            file = request.FILES.get("file")
            stopped = too_large(request)
            if file is None and stopped is not None:
                report = uploads.UploadReport(filename=stopped.name)
                report.add(0, "", _("il file è troppo grande: più di %(max)s MB; il "
                                    "caricamento è stato interrotto") % {
                    "max": _megabytes(limit)},
                    _("un file più piccolo: dividi i valori in più file"))
            elif file is None:
                message = _("Scegli un file da caricare.")
            else:
                # checked, not stored: the preview says what will change
                preview = uploads.preview_upload(user=request.user, plan_id=db.pk,
                                                 upload=file,
                                                 reason=request.POST.get("reason", ""))
                if preview.report.accepted:
                    request.session[_PENDING] = preview.pending
                else:
                    report, preview = preview.report, None
        status = 400 if message or (report is not None and not report.accepted) else 200
    return TemplateResponse(request, "measurements/upload.html", {
        "key": key, "plan": plan, "periods": periods, "chosen": chosen,
        "report": report, "message": message, "preview": preview, "completed": completed,
        "submitted": submitted, "message_at_top": action in ("confirm", "submit"),
        "may_upload": uploads.may_upload(actor),
        "max_mb": int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES) // 2**20,
    }, status=status)


#: the session key of the file waiting for its confirmation (one at a time)
_PENDING = "upload_pending"


def _completed_items(db: pm.Plan, plan: core.Plan, tokens: list[str]
                     ) -> list[uploads.Completed]:
    """The posted ``code@period@version`` tokens of "submit all" (404 when unknown)."""
    periods = {p.pk: p for p in mm.Period.objects.filter(plan=db)}
    out = []
    for token in tokens:
        code, _sep, rest = token.partition("@")
        period_id, _sep, version = rest.partition("@")
        try:
            out.append(uploads.Completed(plan.indicator(code), periods[int(period_id)],
                                         int(version) if version else None))
        except (KeyError, ValueError):
            raise Http404("unknown indicator or period") from None
    return out


def _megabytes(n: int) -> str:
    """Megabytes to one decimal, rounded (number_format alone would cut the digits)."""
    if n % 2**20 == 0:
        return number_format(n // 2**20, use_l10n=True)
    return number_format(round(n / 2**20, 1), decimal_pos=1, use_l10n=True)


def _template(request: HttpRequest, key: str) -> tuple[pm.Plan, mm.Period, list[
        uploads.TemplateRow]]:
    db, _plan_ = _plan(key)
    if not uploads.may_download_template(actor_for(request.user, db.pk)):
        raise PermissionDenied(_("Il modello è per chi inserisce i valori di un centro."))
    periods = list(mm.Period.objects.filter(plan=db).order_by("end_date"))
    period = _chosen(periods, request.GET.get("period"))
    if period is None:
        raise Http404("the plan has no measurement periods yet")
    rows = uploads.template_rows(user=request.user, plan_id=db.pk, period=period)
    return db, period, rows


def _filename(db: pm.Plan, period: mm.Period, ext: str) -> str:
    return f"valori-{db.key}-{period.end_date:%Y-%m-%d}.{ext}"


@require_GET
@login_required
def template_csv(request: HttpRequest, key: str) -> HttpResponse:
    db, period, rows = _template(request, key)
    response = HttpResponse(uploads.template_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(db, period, "csv")}"'
    return response


@require_GET
@login_required
def template_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    db, period, rows = _template(request, key)
    response = HttpResponse(uploads.template_xlsx(rows, period=period),
                            content_type=uploads.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(db, period, "xlsx")}"'
    return response
