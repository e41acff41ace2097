"""The planning office's pages of a plan: workbook, lifecycle, lint, versions, rolling.

Thin function views over :mod:`.authoring`; who may act is checked here and
again in the service. Every form works without JavaScript (the page comes
back with the outcome) and with htmx (the panel is swapped in place).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import floatformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cruscotto.core.findings import Severity
from cruscotto.core.plan import PlanError
from cruscotto.io.errors import InputError
from cruscotto.io.plan_diff import Change, diff_plans
from cruscotto.io.plan_xlsx import WorkbookError, load_xlsx, plan_to_xlsx_bytes
from cruscotto.web.i18n import translate
from cruscotto.web.plans import models, selectors
from cruscotto.web.plans.signals import ChangeRefused

from . import authoring
from .upload_limit import too_large

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

def _entity_label(entity: str) -> str:
    labels = {
        "plan": _("piano"), "mission": _("missione"), "programme": _("programma"),
        "strategic_objective": _("obiettivo strategico"),
        "operational_objective": _("obiettivo operativo"), "indicator": _("indicatore"),
        "variable": _("variabile"), "centre": _("centro"), "data_source": _("fonte dati"),
        "public_value": _("valore pubblico"),
    }
    return labels.get(entity, entity)


def _field_label(name: str) -> str:
    head, _dot, rest = name.partition(".")
    if head == "definitions" and rest:  # definitions.2022.formula
        year, _dot, sub = rest.partition(".")
        what = _("definizione dal %(year)s") % {"year": year}
        return f"{what}, {_field_label(sub)}" if sub else what
    if head == "baselines" and rest:  # baselines.2023-11-30.label
        day, _dot, sub = rest.partition(".")
        when = _date(day)
        what = _("baseline del %(date)s") % {
            "date": when.strftime("%d/%m/%Y") if when is not None else day}
        return f"{what}, {_('valore') if sub == 'value' else _field_label(sub)}" if sub else what
    if name.startswith("targets."):
        return _("target %(year)s") % {"year": name.split(".", 1)[1]}
    if name.startswith("measures."):
        return _("misura «%(name)s»") % {"name": name.split(".", 1)[1]}
    labels = {
        "name": _("nome"), "title": _("titolo"), "narrative": _("descrizione"),
        "description": _("descrizione"), "kind": _("tipologia"), "unit": _("unità di misura"),
        "data_sources": _("fonti dati"), "formula_text": _("algoritmo di calcolo"),
        "formula": _("formula"), "polarity": _("polarità"),
        "polarity_inferred": _("polarità dedotta"), "weight": _("peso"),
        "centres": _("centri di responsabilità"), "strategic_objective": _("obiettivo strategico"),
        "operational_objective": _("obiettivo operativo"), "mission": _("missione"),
        "programme": _("programma"), "missions": _("missioni"), "area": _("area"),
        "label": _("descrizione"), "source": _("fonte"), "years": _("anni"),
        "budget": _("stanziamento"), "budget_text": _("stanziamento come scritto"),
        "status_bands.green": _("soglia verde"), "status_bands.yellow": _("soglia gialla"),
        "organisation.name": _("ente"), "organisation.code": _("codice dell'ente"),
        "key": _("chiave"),
        "bes": _("domini BES"), "sdgs": _("SDG"),
        "strategic_objectives": _("obiettivi strategici"),
    }
    return labels.get(name, name)


def change_rows(changes: list[Change] | list[dict[str, str]]) -> list[dict[str, str]]:
    """The differences as a table shows them: what, which field, before, after."""
    out = []
    for c in changes:
        d = c.as_dict() if isinstance(c, Change) else c
        kind = {"added": _("aggiunto"), "removed": _("tolto"), "changed": _("cambiato")}.get(
            d["kind"], d["kind"])
        if d["field"].startswith("baselines.") and not d["field"].endswith(".label"):
            d = {**d, "old": _baseline_value(d["old"]), "new": _baseline_value(d["new"])}
        out.append({**d, "kind_label": kind, "entity_label": _entity_label(d["entity"]),
                    "field_label": _field_label(d["field"]) if d["field"] else ""})
    return out


def _baseline_value(text: str) -> str:
    """A baseline's value as the indicator page shows it (``992.721.372``)."""
    try:
        return str(floatformat(Decimal(text), "-4")) if text else text
    except InvalidOperation:
        return text


# -- helpers -----------------------------------------------------------------------------

def _db_plan(key: str) -> models.Plan:
    try:
        return models.Plan.objects.get(key=key)
    except models.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


def _require_author(request: HttpRequest, plan: models.Plan | None = None) -> None:
    if not authoring.may_author(request.user, plan.pk if plan is not None else 0):
        raise PermissionDenied(_("Le pagine di redazione del piano sono per il controllo di "
                                 "gestione e gli amministratori."))


def _date(text: str) -> datetime.date | None:
    t = (text or "").strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
    try:
        if m:
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        return datetime.date.fromisoformat(t) if t else None
    except ValueError:
        return None


def _problem(message: str, *, sheet: str = "", row: int | None = None, column: str = "",
             expected: str = "") -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "column": column, "message": message,
            "expected": expected}


_KINDS = {"mission": "missione", "strategic objective": "obiettivo strategico",
          "operational objective": "obiettivo operativo", "indicator": "indicatore",
          "centre": "centro", "centre key": "chiave di centro", "data source": "fonte dati",
          "variable": "variabile", "public value": "valore pubblico"}


def _kind(word: str) -> str:
    return {"missione": _("missione"), "obiettivo strategico": _("obiettivo strategico"),
            "obiettivo operativo": _("obiettivo operativo"), "indicatore": _("indicatore"),
            "centro": _("centro"), "chiave di centro": _("chiave di centro"),
            "fonte dati": _("fonte dati"), "variabile": _("variabile"),
            "valore pubblico": _("valore pubblico")}[_KINDS[word]]


def plan_problem(text: str) -> str:
    """A structural problem of a plan (``core.plan.validate_plan``, written in English
    for the command line) in the reader's language; other texts as they are."""
    kinds = "|".join(sorted(map(re.escape, _KINDS), key=len, reverse=True))
    m = re.fullmatch(rf"duplicate ({kinds}) code '(.*)'", text)
    if m:
        return _("%(kind)s «%(code)s»: codice ripetuto") % {"kind": _kind(m[1]), "code": m[2]}
    m = re.fullmatch(rf"({kinds}) '?([^':]*)'?: unknown ({kinds}) '(.*)'", text)
    if m:
        return _("%(kind)s %(code)s: %(other)s «%(ref)s» non presente nel piano") % {
            "kind": _kind(m[1]), "code": m[2], "other": _kind(m[3]), "ref": m[4]}
    m = re.fullmatch(rf"({kinds}) '?([^':]*)'?: code must (?:be a number|look like (\S+))",
                     text)
    if m:
        return _("%(kind)s «%(code)s»: il codice deve essere nella forma %(form)s") % {
            "kind": _kind(m[1]), "code": m[2], "form": m[3] or "N"}
    m = re.fullmatch(rf"({kinds}) ([^:]*): code does not match its ({kinds}) '(.*)'", text)
    if m:
        return _("%(kind)s %(code)s: il codice non corrisponde a quello dell'%(other)s "
                 "«%(ref)s»") % {"kind": _kind(m[1]), "code": m[2], "other": _kind(m[3]),
                                  "ref": m[4]}
    m = re.fullmatch(r"indicator ([^:]*): target for (\d+), outside the plan years", text)
    if m:
        return _("indicatore %(code)s: target per il %(year)s, fuori dagli anni del piano") % {
            "code": m[1], "year": m[2]}
    return text


def _refusal_problems(exc: Exception) -> list[dict[str, Any]]:
    """Any refusal of an upload or a change, as rows of the report (translated)."""
    if isinstance(exc, WorkbookError):
        return [_problem(translate(c.message), sheet=c.sheet, row=c.row, column=c.column,
                         expected=translate(c.expected)) for c in exc.cells]
    if isinstance(exc, InputError):
        if isinstance(exc.message, str) and exc.message.startswith("the plan is not valid"):
            # the structural problems the interchange reader found, each in words
            return [_problem(plan_problem(p)) for p in exc.problems]
        return [_problem(translate(exc.as_message()))] + [_problem(p) for p in exc.problems]
    if isinstance(exc, PlanError):
        return [_problem(plan_problem(p)) for p in exc.problems] or [_problem(str(exc))]
    if isinstance(exc, authoring.AuthoringError):
        return [_problem(p) for p in exc.problems]
    return [_problem(translate(exc))]


def _read_upload(request: HttpRequest) -> tuple[Any, list[dict[str, Any]]]:
    """The plan in the uploaded workbook, or the problems found (nothing is stored)."""

    limit = int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES)
    big = _("il file è troppo grande: al massimo %(max)s MB") % {"max": limit // 2**20}
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
        return None, [_problem(big)]
    file = request.FILES.get("file")
    if file is None:
        if too_large(request) is not None:
            return None, [_problem(big)]
        return None, [_problem(_("Scegli un file Excel (.xlsx) da caricare."),
                               column=_("File"))]
    name = str(getattr(file, "name", "") or "piano.xlsx")
    if not name.lower().endswith(".xlsx"):
        return None, [_problem(_("«%(name)s» non è un file Excel .xlsx") % {"name": name[:80]},
                               column=_("File"),
                               expected=_("il file scritto da «Scarica il piano in Excel»"))]
    try:
        return load_xlsx(file.read(), filename=name), []
    except InputError as exc:
        return None, _refusal_problems(exc)


def _render(request: HttpRequest, db: models.Plan, context: dict[str, Any],
            status: int = 200) -> HttpResponse:
    plan = authoring.in_force(db.pk)
    findings = authoring.lint(plan, db.pk)
    template = ("plans/includes/authoring_panel.html" if getattr(request, "htmx", False)
                else "plans/authoring.html")
    versions = list(db.versions.order_by("-number").only("number", "at", "username", "action",
                                                             "reason"))
    return TemplateResponse(request, template, {
        "key": db.key, "db": db, "plan": plan,
        "findings": [{"severity": f.severity.value, "subject": f.subject,
                      "text": authoring.finding_text(f), "kind": f.kind} for f in findings],
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
        "versions": versions,
        "successors": list(db.successors.values_list("key", "first_year", "last_year")),
        "next_years": f"{db.first_year + 1}-{db.last_year + 1}",
        "max_mb": int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES) // 2**20,
        "today": datetime.date.today(),
        **context,
    }, status=status)


# -- pages -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def manage(request: HttpRequest, key: str) -> HttpResponse:
    """The plan's authoring page; its forms post here with ``action``."""
    db = _db_plan(key)
    _require_author(request, db)
    if request.method == "GET":
        return _render(request, db, {})
    action = request.POST.get("action", "")
    handlers = {"upload": _upload, "adopt": _adopt, "publish": _publish,
                "unpublish": _publish, "roll": _roll}
    if action not in handlers:
        return _render(request, db, {"problems": [_problem(_("Azione sconosciuta."))],
                                     "action": action}, status=400)
    return handlers[action](request, db)


def _upload(request: HttpRequest, db: models.Plan) -> HttpResponse:
    plan, problems = _read_upload(request)
    reason = request.POST.get("reason", "")
    if plan is not None:
        try:
            result = authoring.store_plan(plan=plan, user=request.user, key=db.key,
                                          reason=reason, target=db)
        except (authoring.AuthoringError, PlanError, ChangeRefused) as exc:
            problems = _refusal_problems(exc)
        else:
            db.refresh_from_db()
            return _render(request, db, {
                "action": "upload", "stored": result,
                "changes": change_rows(result.changes)})
    return _render(request, db, {"action": "upload", "problems": problems,
                                 "reason": reason}, status=400)


def _adopt(request: HttpRequest, db: models.Plan) -> HttpResponse:
    act = request.POST.get("act", "")
    on = _date(request.POST.get("adopted_on", ""))
    if on is None:
        problems = [_problem(_("Scrivi la data dell'atto, come 31/01/2021."),
                             column=_("Data dell'atto"))]
    else:
        try:
            db = authoring.adopt(plan=db, act=act, on=on, user=request.user)
        except authoring.AuthoringError as exc:
            problems = _refusal_problems(exc)
        else:
            return _render(request, db, {"action": "adopt", "done": _(
                "Piano adottato: %(act)s del %(day)s. Da ora i target cambiano con una "
                "rimodulazione e ogni modifica è una nuova versione.") % {
                "act": db.adoption_act, "day": f"{on:%d/%m/%Y}"}})
    return _render(request, db, {"action": "adopt", "problems": problems, "act": act},
                   status=400)


def _publish(request: HttpRequest, db: models.Plan) -> HttpResponse:
    published = request.POST.get("action") == "publish"
    try:
        db = authoring.publish(plan=db, published=published, user=request.user)
    except authoring.AuthoringError as exc:
        return _render(request, db, {"action": "publish",
                                     "problems": _refusal_problems(exc)}, status=400)
    return _render(request, db, {"action": "publish", "done": _(
        "Piano pubblicato: i risultati certificati sono visibili al pubblico.") if published
        else _("Piano ritirato dalla sezione pubblica.")})


def _roll(request: HttpRequest, db: models.Plan) -> HttpResponse:
    try:
        years = authoring.parse_years(request.POST.get("years", ""))
        result = authoring.roll_plan(plan=db, years=years, user=request.user,
                                     copy_targets=bool(request.POST.get("copy_targets")))
    except (authoring.AuthoringError, PlanError, ChangeRefused) as exc:
        return _render(request, db, {"action": "roll", "problems": _refusal_problems(exc)},
                       status=400)
    new = result.plan
    return _render(request, db, {"action": "roll", "done": format_html(
        _("Creato il piano {title}: <a href=\"{url}\">apri la sua pagina di redazione</a>. "
          "Questo piano resta com'era."), title=new.title,
        url=reverse("plans:manage", args=[new.key]))})


@require_GET
@login_required
def workbook(request: HttpRequest, key: str) -> HttpResponse:
    """The plan (targets in force) as the Excel workbook to edit and upload again."""
    db = _db_plan(key)
    _require_author(request, db)
    data = plan_to_xlsx_bytes(authoring.in_force(db.pk))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="piano-{db.key}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def import_plan(request: HttpRequest) -> HttpResponse:
    """A new plan from a workbook (a plan already stored is updated from its own page)."""
    _require_author(request)
    context: dict[str, Any] = {"max_mb": int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES) // 2**20}
    status = 200
    if request.method == "POST":
        plan, problems = _read_upload(request)
        if plan is not None:
            try:
                result = authoring.store_plan(plan=plan, user=request.user,
                                              reason=request.POST.get("reason", ""))
            except (authoring.AuthoringError, PlanError, ChangeRefused) as exc:
                problems = _refusal_problems(exc)
            else:
                context["done"] = format_html(
                    _("Piano {title} salvato ({what}), con {periods} periodi di misurazione: "
                      "<a href=\"{url}\">apri la sua pagina di redazione</a>."),
                    title=result.plan.title,
                    what=_("nuovo") if result.created else _("aggiornato"),
                    periods=result.plan.periods.count(),
                    url=reverse("plans:manage", args=[result.plan.key]))
                context["changes"] = change_rows(result.changes)
        if problems:
            context["problems"] = problems
            status = 400
    template = ("plans/includes/import_panel.html" if getattr(request, "htmx", False)
                else "plans/import.html")
    return TemplateResponse(request, template, context, status=status)


@require_GET
@login_required
def versions(request: HttpRequest, key: str) -> HttpResponse:
    """Two versions of an adopted plan side by side: every difference, field by field."""

    db = _db_plan(key)
    if not selectors.readable_plans(request.user).filter(pk=db.pk).exists():
        raise Http404("unknown plan")
    all_versions = list(db.versions.order_by("number"))
    by_number = {v.number: v for v in all_versions}

    def pick(name: str, default: int | None) -> int | None:
        try:
            n = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return n if n in by_number else default

    last = all_versions[-1].number if all_versions else None
    b = pick("b", last)
    a = pick("a", (b - 1) if b is not None and (b - 1) in by_number else b)
    rows: list[dict[str, str]] = []
    if a is not None and b is not None:
        rows = change_rows(diff_plans(by_number[a].snapshot, by_number[b].snapshot))
    return TemplateResponse(request, "plans/versions.html", {
        "key": key, "db": db, "versions": all_versions, "a": a, "b": b,
        "va": by_number.get(a) if a else None, "vb": by_number.get(b) if b else None,
        "changes": rows,
    })
