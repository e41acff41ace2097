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
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cruscotto.core import plan as core
from cruscotto.core.messages import Message
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.targets import format_number
from cruscotto.core.values import VariableKind
from cruscotto.core.workflow import (
    ACTION_NAMES,
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
from cruscotto.web import display
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.i18n import translate
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import notifications, selectors, services
from cruscotto.web.measurements.readings import reading_states
from cruscotto.web.measurements.upload_limit import too_large
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan


def _plan(key: str) -> tuple[pm.Plan, core.Plan]:
    try:
        db = pm.Plan.objects.get(key=key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None
    return db, read_plan(db.pk)


def _shared_plan(key: str) -> tuple[pm.Plan, core.Plan]:
    """:func:`_plan` for pages that only read the plan: this process's copy, read once
    per plan revision (one query when unchanged). Never change the plan returned."""
    try:
        db = pm.Plan.objects.get(key=key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None
    return db, selectors.stored_plan(db.pk)


def _period(db: pm.Plan, date: str) -> mm.Period:
    try:
        day = datetime.date.fromisoformat(date)
        return mm.Period.objects.get(plan=db, end_date=day)
    except (ValueError, mm.Period.DoesNotExist):
        raise Http404("unknown period") from None


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: the person's queue in their plan (the newest of the
    plans where they have a centre), or the list of plans when there is none."""
    plans = pm.Plan.objects.order_by("-last_year", "-updated_at")
    mine = plans.filter(responsibilitycentre__memberships__user=request.user).first()
    if mine is None and request.user.is_superuser:  # type: ignore[union-attr]
        mine = plans.first()
    if mine is None:  # a plan of an organisation where the person has a role
        mine = plans.filter(organisation__roles__user=request.user).first()
    if mine is None:
        return redirect(reverse("plans:home"))
    return redirect(reverse("measurements:my_updates", args=[mine.key]))


@login_required
def my_updates(request: HttpRequest, key: str) -> HttpResponse:
    """A person's queue: what to fill (centres), validate (planning), certify (OIV)."""
    db, plan = _shared_plan(key)
    actor = actor_for(request.user, db.pk)
    queue = selectors.queue(user=request.user, plan_id=db.pk, actor=actor)
    updates = queue.to_fill
    return TemplateResponse(request, "measurements/my_updates.html", {
        "key": key, "plan": plan, "updates": updates, "queue": queue,
        "late": sum(1 for u in updates if u.late),
        "returned": sum(1 for u in updates if u.state is State.RETURNED),
        "can_configure": bool(actor.roles & {Role.PLANNING, Role.ADMIN}),
        "message": request.session.pop("queue_message", ""),
        "mail_language": notifications.language_of(request.user),
        "campaign_period": _campaign_period(db) if actor.roles & {
            Role.PLANNING, Role.OIV, Role.ADMIN} else None,
    })


def _campaign_period(db: pm.Plan) -> mm.Period | None:
    """The campaign to follow: the next deadline from today, else the latest period
    where something was measured, else the first period."""
    periods = mm.Period.objects.filter(plan=db).exclude(kind="baseline")
    return (periods.filter(deadline__gte=datetime.date.today()).order_by("deadline").first()
            or periods.filter(measurements__isnull=False).order_by("-end_date").first()
            or periods.order_by("end_date").first())


#: the bulk actions, and who may start them (the services check each item again)
_BULK = {Action.VALIDATE: {Role.PLANNING, Role.ADMIN}, Action.CERTIFY: {Role.OIV}}


def _bulk_items(db: pm.Plan, plan: core.Plan, tokens: list[str]
                ) -> list[tuple[services.BulkItem, core.Indicator]]:
    """The posted ``code@period@version`` tokens as service items (404 when unknown)."""
    periods = {p.pk: p for p in mm.Period.objects.filter(plan=db)}
    out = []
    for token in tokens:
        code, _sep, rest = token.partition("@")
        period_id, _sep, version = rest.partition("@")
        try:
            ind = plan.indicator(code)
            period = periods[int(period_id)]
        except (KeyError, ValueError):
            raise Http404("unknown indicator or period") from None
        out.append((services.BulkItem(period=period, indicator=code,
                                      expected_version=_int(version)), ind))
    return out


@require_http_methods(["POST"])
@login_required
def bulk(request: HttpRequest, key: str) -> HttpResponse:
    """Validate or certify the chosen measurements: first a page that lists what
    will be done, then (``confirm``) all of them in one transaction."""
    db, plan = _plan(key)
    actor = actor_for(request.user, db.pk)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        raise Http404("unknown action") from None
    if action not in _BULK:
        raise Http404("unknown action")
    if not actor.roles & _BULK[action]:
        raise PermissionDenied(_("Non puoi %(action)s.") % {
            "action": translate(Message(ACTION_NAMES[action]))})
    chosen = _bulk_items(db, plan, request.POST.getlist("item"))
    error, status = "", 200
    if not chosen:
        error, status = _("Scegli almeno un indicatore."), 400
    elif request.POST.get("confirm"):
        try:
            done = services.do_bulk(user=request.user, action=action,
                                    items=[item for item, _ind in chosen])
        except services.ConflictError as exc:
            error, status = _("Conflitto: %(msg)s") % {"msg": exc}, 409
        except PermissionDenied as exc:
            error, status = _("Non consentito: %(msg)s") % {"msg": exc}, 403
        except WorkflowError as exc:
            error, status = translate(exc), 400
        else:
            request.session["queue_message"] = (
                ngettext("%(n)s indicatore validato.", "%(n)s indicatori validati.", len(done))
                if action is Action.VALIDATE else
                ngettext("%(n)s indicatore certificato.", "%(n)s indicatori certificati.",
                         len(done))) % {"n": len(done)}
            return redirect(reverse("measurements:my_updates", args=[key]))
    return TemplateResponse(request, "measurements/bulk_confirm.html", {
        "key": key, "plan": plan, "action": action.value,
        "items": [(item, ind) for item, ind in chosen], "error": error,
    }, status=status)


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
    revise_error = ""
    # certifying locks the values and publishes them: asked twice
    confirm_certify = (request.method == "POST" and request.POST.get("action") == "certify"
                       and not request.POST.get("confirm"))
    if confirm_certify:
        if not can(actor, Action.CERTIFY, centres=ind.centres, state=state):
            raise PermissionDenied(_("Non puoi certificare i valori di questo indicatore."))
    elif request.method == "POST":
        message, errors, status = _post(request, plan, ind, period, meas)
        if request.POST.get("action") == "revise_target" and status >= 400:
            # shown beside the revision form, where the person is looking
            revise_error, message = message, ""
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
        # the formula and unit that compute this period's year
        "in_force": ind.in_force(period.year),
        "periods": mm.Period.objects.filter(plan=db).order_by("end_date"),
        "measurement": meas, "state": state,
        "state_label": display.state_label(state),
        "rows": rows, "result": result,
        "value_shown": _shown(result.value) if result and isinstance(result.value, bool)
        else display_value(result, ind.in_force(period.year).unit) if result else "",
        "working": working_text(result, get_language() or "it") if result else "",
        "allowed": allowed, "message": message, "errors": errors,
        "message_is_error": status >= 400,
        "history": _history(selectors.history(plan_id=db.pk, code=code),
                            {v.name: v.label for v in plan.variables if v.label}),
        "evidence": mm.Evidence.objects.filter(
            value__period=period, value__variable__in=[r.name for r in rows]).order_by("pk"),
        "revisions": selectors.target_revisions(plan_id=db.pk, code=code),
        "can_revise": bool(actor.roles & {Role.PLANNING, Role.ADMIN}),
        "revise_error": revise_error, "confirm_certify": confirm_certify,
        "comments": selectors.comments(plan_id=db.pk, code=code, period=period),
        "may_comment": can_read_drafts(actor, centres=ind.centres),
        "comment_length": services.COMMENT_LENGTH,
        "revise_posted": request.POST if revise_error else {},
        "reading_state": reading_states(effective, db.pk, code).get(period.year),
    }, status=status)


def _action_labels() -> dict[str, str]:
    """The audit trail's actions as a person reads them."""
    return {
        "value": _("valore"), "submit": _("invio"), "validate": _("validazione"),
        "return": _("restituzione"), "certify": _("certificazione"),
        "reopen": _("riapertura"), "target_revision": _("rimodulazione del target"),
        "evidence": _("documento allegato"), "comment": _("commento"),
        # changes of the plan (measurements.authoring)
        "plan_import": _("piano importato"), "plan_edit": _("piano modificato"),
        "plan_admin": _("piano corretto nell'amministrazione"),
    }


@dataclass
class HistoryRow:
    event: mm.AuditEvent
    action: str
    #: the field as a person reads it: a variable by its label
    field: str
    old: str
    new: str


def _readable(text: str, states: dict[str, str]) -> str:
    """A stored audit value as a person reads it: a state by its label, a number in
    the Italian format, yes/no translated."""
    if text in states:
        return states[text]
    if text in ("sì", "no"):
        return _("sì") if text == "sì" else _("no")
    try:
        return format_number(Decimal(text)) if text and text[0] in "-0123456789" else text
    except ArithmeticError:
        return text


def _history(events: list[mm.AuditEvent], variables: dict[str, str]) -> list[HistoryRow]:
    labels = _action_labels()
    states = {k: str(v) for k, v in mm.Measurement._meta.get_field("state").choices or ()}
    fields = {"state": _("stato"), **variables}
    return [HistoryRow(e, labels.get(e.action, e.action), fields.get(e.field, e.field),
                       _readable(e.old, states), _readable(e.new, states)) for e in events]


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
        if action == "comment":
            services.do_comment(user=user, period=period, indicator=ind.code,
                                text=request.POST.get("comment", ""))
            return _("Commento aggiunto."), {}, 200
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
