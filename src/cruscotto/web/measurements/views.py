"""Measurement pages: "my updates", the values form of an indicator, its workflow.

Function views, thin: permissions are checked here *and* in the services (a
client can post anything), every change goes through ``services``, every
figure comes from ``selectors`` (the engine).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cruscotto.core import plan as core
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.targets import format_number
from cruscotto.core.values import VariableKind
from cruscotto.core.workflow import (
    Action,
    Role,
    State,
    WorkflowError,
    can,
    can_read_drafts,
    public_states,
)
from cruscotto.io.evaluation_out import display_value, working_text
from cruscotto.io.values_csv import parse_value
from cruscotto.web.i18n import translate
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import selectors, services
from cruscotto.web.measurements.permissions import actor_for
from cruscotto.web.measurements.upload_limit import too_large
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan


def _plan(key: str) -> tuple[pm.Plan, core.Plan]:
    try:
        db = pm.Plan.objects.get(key=key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None
    return db, read_plan(db.pk)


def _period(db: pm.Plan, date: str) -> mm.Period:
    try:
        day = datetime.date.fromisoformat(date)
        return mm.Period.objects.get(plan=db, end_date=day)
    except (ValueError, mm.Period.DoesNotExist):
        raise Http404("unknown period") from None


@login_required
def my_updates(request: HttpRequest, key: str) -> HttpResponse:
    db, plan = _plan(key)
    updates = selectors.my_updates(user=request.user, plan_id=db.pk)
    return TemplateResponse(request, "measurements/my_updates.html", {
        "key": key, "plan": plan, "updates": updates,
        "late": sum(1 for u in updates if u.late),
        "can_configure": bool(actor_for(request.user, db.pk).roles
                              & {Role.PLANNING, Role.ADMIN}),
    })


@dataclass
class Row:
    """One input of the form: the variable, its current value and version."""

    name: str
    label: str
    source: str
    unit: str
    yes_no: bool
    year: int
    value: Any
    shown: str
    note: str
    version: int
    #: the year before (growth targets): shown, entered in its own period
    previous: bool = False
    error: str = ""


def _rows(plan: core.Plan, ind: core.Indicator, period: mm.Period,
          result: IndicatorResult | None) -> list[Row]:
    names = sorted(selectors.reads_by_indicator(plan).get(ind.code, ()))
    values = {v.variable: v for v in mm.Value.objects.filter(period=period,
                                                             variable__in=names)}
    variables = {v.name: v for v in plan.variables}
    rows = []
    for n in names:
        var = variables.get(n)
        v = values.get(n)
        data = v.data if v else None
        rows.append(Row(
            name=n, label=var.label if var else n, source=var.source if var else "",
            unit=var.unit if var else "", yes_no=bool(var and var.kind is VariableKind.YES_NO),
            year=period.year, value=data, shown=_shown(data), note=v.note if v else "",
            version=v.version if v else 0))
    if result is not None and result.previous is not None:
        for i in result.previous.inputs:
            rows.append(Row(
                name=i.name, label=i.label or i.name, source=i.source, unit="",
                yes_no=isinstance(i.value, bool), year=i.year,
                value=i.value, shown=_shown(i.value) if isinstance(
                    i.value, Decimal | bool) else _("non misurato"),
                note="", version=0, previous=True))
    return rows


def _shown(data: Any) -> str:
    if data is None:
        return ""
    if isinstance(data, bool):
        return _("sì") if data else _("no")
    return format_number(Decimal(data))


@require_http_methods(["GET", "POST"])
@login_required
def measure(request: HttpRequest, key: str, code: str, date: str) -> HttpResponse:
    db, plan = _plan(key)
    try:
        ind = plan.indicator(code)
    except KeyError:
        raise Http404("unknown indicator") from None
    period = _period(db, date)
    actor = actor_for(request.user, db.pk)
    meas = mm.Measurement.objects.filter(indicator__plan=db, indicator__code=code,
                                         period=period).first()
    state = State(meas.state) if meas else State.DRAFT
    if not (can_read_drafts(actor, centres=ind.centres)
            or state in public_states(actor)):
        raise PermissionDenied(_("Non puoi vedere i valori non ancora validati di questo "
                                 "indicatore."))
    message, errors, status = "", {}, 200
    if request.method == "POST":
        message, errors, status = _post(request, plan, ind, period, meas)
        if status == 200 and not errors and not getattr(request, "htmx", False):
            return redirect(reverse("measurements:measure", args=[key, code, date]))
        meas = mm.Measurement.objects.filter(indicator__plan=db, indicator__code=code,
                                             period=period).first()
        state = State(meas.state) if meas else State.DRAFT
    effective = selectors.effective_plan(db.pk)  # with target revisions; read once
    result = selectors.evaluate_indicator(plan_id=db.pk, period=period, code=code,
                                          actor=actor, plan=effective)
    rows = _rows(effective, ind, period, result)
    for r in rows:
        if r.name in errors and not r.previous:
            r.error = errors[r.name]
            r.shown = request.POST.get(f"value-{r.name}", r.shown)
    centres = ind.centres
    allowed = {a.value: can(actor, a, centres=centres, state=state) for a in Action}
    template = "measurements/measure.html"
    if getattr(request, "htmx", False) and request.method == "POST":
        template += "#panel"
    return TemplateResponse(request, template, {
        "key": key, "plan": plan, "indicator": ind, "period": period,
        "periods": mm.Period.objects.filter(plan=db).order_by("end_date"),
        "measurement": meas, "state": state,
        "state_label": dict(mm.Measurement._meta.get_field("state").choices)[state.value],
        "rows": rows, "result": result,
        "value_shown": _shown(result.value) if result and isinstance(result.value, bool)
        else display_value(result, ind.unit) if result else "",
        "working": working_text(result, get_language() or "it") if result else "",
        "allowed": allowed, "message": message, "errors": errors,
        "message_is_error": status >= 400,
        "history": selectors.history(plan_id=db.pk, code=code),
        "evidence": mm.Evidence.objects.filter(
            value__period=period, value__variable__in=[r.name for r in rows]).order_by("pk"),
        "revisions": selectors.target_revisions(plan_id=db.pk, code=code),
        "can_revise": bool(actor.roles & {Role.PLANNING, Role.ADMIN}),
    }, status=status)


def _post(request: HttpRequest, plan: core.Plan, ind: core.Indicator, period: mm.Period,
          meas: mm.Measurement | None) -> tuple[str, dict[str, str], int]:
    """Carry out the posted action; (message, errors by field, HTTP status)."""
    action = request.POST.get("action", "save")
    user = request.user
    version = _int(request.POST.get("measurement_version"))
    errors: dict[str, str] = {}
    try:
        if action == "save":
            items = []
            kinds = {v.name: v.kind for v in plan.variables}
            for name in sorted(selectors.reads_by_indicator(plan).get(ind.code, ())):
                raw = request.POST.get(f"value-{name}")
                if raw is None:
                    continue
                try:
                    value = parse_value(raw, kinds.get(name))
                except ValueError as exc:
                    errors[name] = translate(exc)
                    continue
                items.append(services.ValueInput(
                    ind.code, name, value, note=request.POST.get(f"note-{name}", ""),
                    expected_version=_int(request.POST.get(f"version-{name}")),
                    where=name))
            if errors:
                return _("Nessun valore salvato: correggi i campi segnalati."), errors, 400
            services.do_set_values(user=user, period=period, items=items,
                                   reason=request.POST.get("reason", ""))
            return _("Valori salvati."), {}, 200
        kwargs: dict[str, Any] = {"user": user, "period": period, "indicator": ind.code,
                                  "expected_version": version}
        if action == "evidence":
            upload = request.FILES.get("evidence")
            stopped = too_large(request)
            if upload is None and stopped is not None:
                return _("%(name)s: il file è troppo grande; il caricamento è stato "
                         "interrotto") % {"name": stopped.name}, {}, 400
            if upload is None:
                return _("Scegli un file da allegare."), {}, 400
            services.do_attach_evidence(user=user, period=period, indicator=ind.code,
                                        variable=request.POST.get("evidence_variable", ""),
                                        upload=upload)
            return _("Documento allegato."), {}, 200
        if action == "revise_target":
            services.do_revise_target(
                user=user, plan_id=period.plan_id, indicator=ind.code, year=period.year,
                text=request.POST.get("target_text", "").strip(),
                justification=request.POST.get("justification", ""))
            return _("Target rimodulato."), {}, 200
        if action == "submit":
            services.do_submit(gap_explanation=request.POST.get("gap_explanation", ""),
                               forecast=request.POST.get("forecast", ""), **kwargs)
            return _("Valori inviati al controllo di gestione."), {}, 200
        if action == "validate":
            services.do_validate(**kwargs)
            return _("Valori validati."), {}, 200
        if action == "return":
            services.do_return(reason=request.POST.get("reason", ""), **kwargs)
            return _("Valori restituiti al centro."), {}, 200
        if action == "certify":
            services.do_certify(**kwargs)
            return _("Valori certificati."), {}, 200
        if action == "reopen":
            services.do_reopen(reason=request.POST.get("reason", ""), **kwargs)
            return _("Valori riaperti per una rettifica."), {}, 200
        return _("Azione sconosciuta."), {}, 400
    except services.ConflictError as exc:
        return _("Conflitto: %(msg)s") % {"msg": exc}, {}, 409
    except PermissionDenied as exc:
        return _("Non consentito: %(msg)s") % {"msg": exc}, {}, 403
    except WorkflowError as exc:
        return translate(exc), {}, 400


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


@login_required
def evidence_file(request: HttpRequest, key: str, code: str, date: str, pk: int
                  ) -> HttpResponse:
    """Download a supporting document: the same people who may read the values."""
    from django.http import FileResponse

    db, plan = _plan(key)
    try:
        ind = plan.indicator(code)
    except KeyError:
        raise Http404("unknown indicator") from None
    period = _period(db, date)
    try:
        ev = mm.Evidence.objects.select_related("value").get(pk=pk, value__period=period)
    except mm.Evidence.DoesNotExist:
        raise Http404("unknown document") from None
    if ev.value.variable not in selectors.reads_by_indicator(plan).get(code, set()):
        raise Http404("unknown document")
    if not selectors.may_read_values(actor=actor_for(request.user, db.pk), plan_id=db.pk,
                                     period=period, indicator=ind):
        raise PermissionDenied
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name,
                        content_type=ev.content_type)
