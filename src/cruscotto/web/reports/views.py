"""The report page of a plan and its downloads (PDF, DOCX, XLSX).

Public like the plan's pages: what a reader sees is decided here, through the
actor-aware selectors (validated and certified values for the public and
viewers; every state, marked, for the planning office, the OIV and a
centre's own indicators).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cruscotto.core.workflow import Actor
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.page_cache import cached_page
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import readable_plan, stored_plan
from cruscotto.web.reports import editions, jobs, narrative, render
from cruscotto.web.reports.data import (
    BASES,
    CERTIFIED,
    Report,
    ReportError,
    allowed_bases,
    basis_label,
    build_report,
    report_periods,
)
from cruscotto.web.reports.models import (
    ACT_LENGTH,
    NARRATIVE_LENGTH,
    TITLE_LENGTH,
    Edition,
    ReportJob,
)


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


class BasisRefused(Exception):
    """A basis the reader may not ask for (the public: certified values only)."""


def _basis(request: HttpRequest, actor: Actor) -> tuple[str, tuple[str, ...]]:
    """The basis asked for (``?basis=certified``, the default) and those the reader may
    choose; a basis beyond the reader's rights is refused, saying which are allowed."""
    allowed = allowed_bases(actor)
    basis = request.GET.get("basis", "").strip() or CERTIFIED
    if basis not in BASES:
        raise ReportError(_("Base %(basis)s sconosciuta: attesa una tra %(bases)s.") % {
            "basis": basis, "bases": ", ".join(BASES)})
    if basis not in allowed:
        raise BasisRefused(_("La base «%(basis)s» non è disponibile per te: puoi scegliere "
                             "%(allowed)s.") % {
            "basis": basis_label(basis),
            "allowed": ", ".join(basis_label(b) for b in allowed)})
    return basis, allowed


def _report(db: pm.Plan, period: mm.Period, basis: str, original: Any = None) -> Report:
    date = period.end_date if period.kind == PeriodKind.INTERIM else None
    return build_report(plan_key=db.key, year=period.year, date=date, basis=basis,
                        db_plan=db, period=period, original=original)


@require_GET
@cached_page
def report(request: HttpRequest, key: str) -> HttpResponse:
    db = _plan(request, key)
    periods = report_periods(db.pk)
    error = ""
    status = 200
    chosen: mm.Period | None = None
    data: Report | None = None
    actor = actor_for(request.user, db.pk)
    basis, allowed = CERTIFIED, allowed_bases(actor)
    plan = stored_plan(db.pk)
    try:
        basis, allowed = _basis(request, actor)
        chosen = _chosen(request, periods)
        if chosen is not None:
            data = _report(db, chosen, basis, original=plan)
    except ReportError as exc:
        error, status = str(exc), 400
    except BasisRefused as exc:
        error, status = str(exc), 403
    context = {
        "key": key, "plan": plan, "periods": periods, "chosen": chosen,
        "error": error, "formats": render.FORMATS, "basis": basis,
        "bases": [(b, basis_label(b)) for b in allowed],
        **(render.context(data, page=True) if data is not None else {"report": None}),
        **editions_context(actor, db, chosen),
    }
    return TemplateResponse(request, "reports/report.html", context, status=status)


@require_GET
def download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in render.FORMATS:
        raise Http404("unknown format")
    db = _plan(request, key)
    try:
        basis, _allowed = _basis(request, actor_for(request.user, db.pk))
        chosen = _chosen(request, report_periods(db.pk))
        if chosen is None:
            raise ReportError(_("Il piano non ha periodi di misurazione."))
        # a queued format is built by the worker: the request does not build it too
        data = None if fmt in jobs.QUEUED_FORMATS else _report(db, chosen, basis)
    except ReportError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    except BasisRefused as exc:
        return HttpResponse(str(exc), status=403, content_type="text/plain; charset=utf-8")
    if fmt in jobs.QUEUED_FORMATS:
        # the worker renders it: the request does not wait for WeasyPrint
        job = jobs.ask(plan=db, year=chosen.year,
                       date=chosen.end_date if chosen.kind == PeriodKind.INTERIM else None,
                       basis=basis, fmt=fmt, user=request.user,
                       lang=translation.get_language() or "it")
        return redirect("reports:job", key=key, pk=job.pk, permanent=False)
    assert data is not None
    response = HttpResponse(render.render(data, fmt), content_type=render.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{render.file_name(data, fmt)}"'
    # the content depends on who asks: never share it between readers
    response["Cache-Control"] = "private, no-store"
    return response


# -- approved editions -------------------------------------------------------------------

def editions_context(actor: Actor, db: pm.Plan, chosen: mm.Period | None
                     ) -> dict[str, Any]:
    """The approved editions of the chosen year, and what the reader may do with them."""
    if chosen is None or chosen.kind != PeriodKind.YEAR_END:
        return {"editions": [], "may_approve": False, "may_validate": False}
    return {
        "editions": editions.editions(db.pk, chosen.year),
        "pending_approvals": jobs.pending_approvals(db.pk, chosen.year),
        "may_approve": editions.can_approve(actor),
        "may_validate": editions.can_validate(actor),
        "act_length": ACT_LENGTH,
    }


def _year_end(db: pm.Plan, text: str) -> mm.Period:
    try:
        year = int(text)
    except ValueError:
        raise ReportError(_("Anno %(y)s non valido: atteso un anno del piano come 2021.")
                          % {"y": text}) from None
    found = [p for p in report_periods(db.pk)
             if p.year == year and p.kind == PeriodKind.YEAR_END]
    if not found:
        raise ReportError(_("Il piano non ha un periodo di fine anno nel %(y)s.")
                          % {"y": year})
    return found[0]


def _back(key: str, period: mm.Period, anchor: str = "edizioni") -> HttpResponse:
    url = reverse("reports:report", args=[key])
    return redirect(f"{url}?period={period.end_date:%Y-%m-%d}#{anchor}")


@login_required
@require_POST
def approve(request: HttpRequest, key: str) -> HttpResponse:
    """Record the Giunta's approval: freeze the year's edition (planning office)."""
    db = _plan(request, key)
    if not editions.may_approve(request.user, db.pk):
        raise PermissionDenied
    try:
        period = _year_end(db, request.POST.get("year", ""))
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:report", key=key)
    try:
        job = jobs.ask_approval(plan=db, year=period.year, act=request.POST.get("act", ""),
                                user=request.user, lang=translation.get_language() or "it")
    except editions.ApprovalError as exc:
        messages.error(request, str(exc))
        return _back(key, period)
    messages.success(request, _("Approvazione registrata: l'edizione %(n)s della relazione "
                                "%(y)s (%(act)s) è in preparazione con i dati letti ora e "
                                "sarà pubblicata appena pronta.") % {
        "n": job.edition_number, "y": job.year, "act": job.act})
    return _back(key, period)


@login_required
@require_POST
def validate(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Attach the OIV's validation document to an approved edition."""
    db = _plan(request, key)
    edition = get_object_or_404(Edition, pk=pk, plan=db)
    if not editions.may_validate(request.user, db.pk):
        raise PermissionDenied
    period = _year_end(db, str(edition.year))
    try:
        editions.attach_validation(edition=edition, user=request.user,
                                   upload=request.FILES.get("document"),
                                   note=request.POST.get("note", ""))
    except editions.ApprovalError as exc:
        messages.error(request, str(exc))
        return _back(key, period)
    messages.success(request, _("Documento di validazione dell'OIV allegato all'edizione "
                                "%(n)s.") % {"n": edition.number})
    return _back(key, period)


@require_GET
def edition_file(request: HttpRequest, key: str, pk: int, fmt: str) -> HttpResponse:
    db = _plan(request, key)
    return editions.file_response(get_object_or_404(Edition, pk=pk, plan=db), fmt)


# -- the narrative ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def narrative_page(request: HttpRequest, key: str) -> HttpResponse:
    """The planning office writes the year's narrative (Markdown, with a preview)."""
    db = _plan(request, key)
    if not editions.may_approve(request.user, db.pk):
        raise PermissionDenied
    years = sorted({p.year for p in report_periods(db.pk) if p.kind == PeriodKind.YEAR_END})
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or
                   (years[-1] if years else 0))
    except ValueError:
        year = 0
    if year not in years:
        raise Http404("not a year of the plan")
    plan = stored_plan(db.pk)
    slot_list = narrative.slots(db.pk, year, [(s.code, s.title) for s in plan.strategic_objectives])
    errors: list[str] = []
    preview: dict[str, Any] = {}
    posted: dict[str, tuple[str, str]] = {}
    if request.method == "POST":
        posted = {s.key: (request.POST.get(f"title-{s.key}", s.title),
                          request.POST.get(f"text-{s.key}", s.text)) for s in slot_list
                  if f"text-{s.key}" in request.POST}
        if request.POST.get("action") == "preview":
            errors = narrative.check(slot_list, posted)
            preview = {k: narrative.to_html(t) for k, (_ti, t) in posted.items()
                       if t.strip()}
        else:
            try:
                saved = narrative.save(plan_id=db.pk, year=year, user=request.user,
                                       slot_list=slot_list, posted=posted)
            except narrative.NarrativeError as exc:
                errors = str(exc).split("\n")
            else:
                if saved:
                    messages.success(request, _("Salvate nuove versioni di: %(s)s.")
                                     % {"s": "; ".join(saved)})
                else:
                    messages.info(request, _("Nessuna sezione cambiata: niente da salvare."))
                return redirect(f"{reverse('reports:narrative', args=[key])}?year={year}")
    forms = [{"slot": s, "title": posted.get(s.key, (s.title, s.text))[0],
              "text": posted.get(s.key, (s.title, s.text))[1],
              "preview": preview.get(s.key)} for s in slot_list]
    # the saved versions by their sections' names, as the form above names them
    labels = {s.key: s.label for s in slot_list}
    history = narrative.history(db.pk, year)[:50]
    for v in history:
        v.label = labels.get(v.section, v.section)
    return TemplateResponse(request, "reports/narrative.html", {
        "key": key, "plan": plan, "year": year, "years": years, "forms": forms,
        "errors": errors, "length": NARRATIVE_LENGTH, "title_length": TITLE_LENGTH,
        "history": history,
    }, status=400 if errors and request.POST.get("action") != "preview" else 200)


# -- report jobs ---------------------------------------------------------------------------

def _job(request: HttpRequest, key: str, pk: Any) -> tuple[pm.Plan, ReportJob]:
    """The job if the reader may have it: the plan readable, its basis allowed."""
    db = _plan(request, key)
    job = get_object_or_404(ReportJob.objects.select_related("plan"), pk=pk, plan=db)
    if job.basis not in allowed_bases(actor_for(request.user, db.pk)):
        raise PermissionDenied
    return db, job


@require_GET
def job(request: HttpRequest, key: str, pk: Any) -> HttpResponse:
    """A report being prepared: its progress, then its download (htmx polls the status)."""
    _db, j = _job(request, key, pk)
    j = jobs.with_number(j)  # an approval not yet published: the number it will take
    context = {"key": key, "job": j, "plan": stored_plan(j.plan_id),
               "may_retry": not j.is_approval or editions.may_approve(request.user,
                                                                      j.plan_id),
               "period": (j.date.strftime("%Y-%m-%d") if j.date else f"{j.year}-12-31"),
               "basis_label": basis_label(j.basis)}
    template = "reports/job.html#status" if request.htmx else "reports/job.html"
    response = TemplateResponse(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def job_retry(request: HttpRequest, key: str, pk: Any) -> HttpResponse:
    """Put a failed job back on the queue: an approval (planning office) with the figures
    read when it was approved, a document with what was asked."""
    db, j = _job(request, key, pk)
    if j.is_approval and not editions.may_approve(request.user, db.pk):
        raise PermissionDenied
    if jobs.retry(j):
        messages.success(request, _("Preparazione rimessa in coda."))
    else:
        messages.error(request, _("Questa preparazione non è fallita: non c'è nulla da "
                                  "riprovare."))
    if j.is_approval:
        return _back(key, _year_end(db, str(j.year)))
    return redirect("reports:job", key=key, pk=j.pk, permanent=False)


@require_GET
def job_file(request: HttpRequest, key: str, pk: Any) -> HttpResponse:
    _db, j = _job(request, key, pk)
    if j.status != ReportJob.DONE or not j.file or j.is_approval:
        raise Http404("not ready")
    response = FileResponse(j.file.open("rb"), as_attachment=True,
                            filename=j.file.name.rsplit("/", 1)[-1],
                            content_type=render.CONTENT_TYPES[j.fmt])
    response["Cache-Control"] = "private, no-store"
    return response
