"""The plan editor: objectives, indicators, variables, targets and centres in the browser.

Each form changes one entity of the plan in force and stores the whole plan
through :func:`.authoring.store_plan`, the path of every import: the same
checks, the same refusals (nothing is written), the same audit trail and,
for an adopted plan, a new version (a changed target becomes a revision,
with the reason given). Codes, variable names and centre keys are fixed once
stored (values, workflow and history refer to them): a new code is a new
entity. The formula field is checked as it is typed (htmx,
:func:`formula_check`) and previewed on the plan's last year-end values.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cruscotto.core import plan as core
from cruscotto.core.formula import FormulaError, parse
from cruscotto.core.plan import PlanError, slugify
from cruscotto.core.targets import format_number
from cruscotto.core.values import NotComputable, NotMeasured, VariableKind
from cruscotto.web.plans import models
from cruscotto.web.plans.signals import ChangeRefused

from . import authoring, editor_yearly
from . import models as mm
from .authoring_views import _db_plan, _problem, _refusal_problems, _require_author
from .choices import PeriodKind
from .readings import reading_states
from .selectors import inputs_for

KINDS = ("strategic", "operational", "indicator", "variable", "centre")
#: the longest text a field of the editor takes (the workbook's cell limit)
MAX_TEXT = 32_767


class _Invalid(Exception):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems


def _text(post: Any, name: str, label: str, *, required: bool = False,
          limit: int = MAX_TEXT) -> str:
    value = str(post.get(name, "")).strip()
    if required and not value:
        raise _Invalid([_problem(_("Campo obbligatorio."), column=label)])
    if len(value) > limit:
        raise _Invalid([_problem(_("Testo troppo lungo: al massimo %(n)s caratteri.") % {
            "n": limit}, column=label)])
    return value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _find(items: list[Any], attr: str, ident: str) -> Any:
    for item in items:
        if getattr(item, attr) == ident:
            return item
    raise Http404("unknown entity")


def _collection(plan: core.Plan, kind: str) -> tuple[list[Any], str]:
    return {
        "strategic": (plan.strategic_objectives, "code"),
        "operational": (plan.operational_objectives, "code"),
        "indicator": (plan.indicators, "code"),
        "variable": (plan.variables, "name"),
        "centre": (plan.centres, "key"),
    }[kind]


# -- applying a form to the plan -----------------------------------------------------------

def _apply(plan: core.Plan, kind: str, item: Any, post: Any) -> Any:
    """Change ``item`` (``None``: a new one, added to ``plan``) from the form; the item."""
    new = item is None
    if kind == "strategic":
        if new:
            item = core.StrategicObjective(code=_text(post, "code", _("Codice"), required=True,
                                                      limit=models.CODE_LENGTH), title="")
            plan.strategic_objectives.append(item)
        item.title = _text(post, "title", _("Titolo"), required=True)
        item.narrative = _text(post, "narrative", _("Descrizione"))
        item.mission_codes = [c for c in post.getlist("missions") if c]
    elif kind == "operational":
        if new:
            item = core.OperationalObjective(
                code=_text(post, "code", _("Codice"), required=True, limit=models.CODE_LENGTH),
                title="", strategic_code="")
            plan.operational_objectives.append(item)
        item.title = _text(post, "title", _("Titolo"), required=True)
        item.area = _text(post, "area", _("Area"))
        item.strategic_code = _text(post, "strategic", _("Obiettivo strategico"), required=True)
        item.mission_code = _text(post, "mission", _("Missione"))
        item.programme_code = _text(post, "programme", _("Programma"), limit=models.CODE_LENGTH)
    elif kind == "indicator":
        if new:
            item = core.Indicator(code=_text(post, "code", _("Codice"), required=True,
                                             limit=models.CODE_LENGTH), name="")
            plan.indicators.append(item)
        _apply_indicator(plan, item, post)
    elif kind == "variable":
        name = (_text(post, "name", _("Nome"), required=True, limit=models.NAME_LENGTH)
                if new else item.name)
        kind_text = _text(post, "kind", _("Tipo"), required=True)
        try:
            var_kind = VariableKind(kind_text)
        except ValueError:
            raise _Invalid([_problem(_("Tipo sconosciuto."), column=_("Tipo"),
                                     expected=_("numero o sì/no"))]) from None
        # a variable is an immutable value: the edited one replaces it
        edited = core.Variable(name=name, label=_text(post, "label", _("Descrizione")),
                               source=_text(post, "source", _("Fonte dati")), kind=var_kind,
                               unit=_text(post, "unit", _("Unità di misura")))
        if new:
            plan.variables.append(edited)
        else:
            plan.variables[plan.variables.index(item)] = edited
        item = edited
    elif kind == "centre":
        name = _text(post, "name", _("Nome"), required=True)
        if new:
            key = slugify(name)[:models.KEY_LENGTH] or "centro"
            if any(c.key == key for c in plan.centres):
                raise _Invalid([_problem(_("Un centro con questo nome esiste già."),
                                         column=_("Nome"))])
            item = core.ResponsibilityCentre(key=key, name=name)
            plan.centres.append(item)
        else:
            old = item.name
            for ind in plan.indicators:  # indicators name their centres
                ind.centres = [name if c == old else c for c in ind.centres]
            item.name = name
    plan.sync_registries()
    return item


def _apply_indicator(plan: core.Plan, ind: core.Indicator, post: Any) -> None:
    ind.name = _text(post, "name", _("Nome"), required=True)
    ind.description = _text(post, "description", _("Descrizione"))
    ind.kind = _text(post, "kind", _("Tipologia"))
    ind.unit = _text(post, "unit", _("Unità di misura"))
    ind.strategic_code = _text(post, "strategic", _("Obiettivo strategico"), required=True)
    ind.operational_code = _text(post, "operational", _("Obiettivo operativo"))
    ind.formula_text = _text(post, "formula_text", _("Algoritmo di calcolo"))
    ind.formula = _text(post, "formula", _("Formula"))
    ind.data_sources = _lines(_text(post, "data_sources", _("Fonti dati")))
    problems = []
    measures: dict[str, str] = {}
    for line in _lines(_text(post, "measures", _("Misure"))):
        name, sep, var = line.partition("=")
        if not sep or not name.strip() or not var.strip():
            problems.append(_problem(_("«%(text)s» non è nome=variabile") % {"text": line[:40]},
                                     column=_("Misure"),
                                     expected=_("una misura per riga, come spesa=speso")))
        else:
            measures[name.strip()] = var.strip()
    ind.measures = measures
    polarity = _text(post, "polarity", _("Polarità"))
    try:
        ind.polarity = core.Polarity(polarity) if polarity else None
    except ValueError:
        problems.append(_problem(_("Polarità sconosciuta."), column=_("Polarità")))
    ind.polarity_inferred = bool(post.get("polarity_inferred")) and ind.polarity is not None
    weight = _text(post, "weight", _("Peso"), required=True, limit=30).replace(",", ".")
    try:
        ind.weight = Decimal(weight)
        if not ind.weight.is_finite() or ind.weight < 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(_problem(_("«%(text)s» non è un peso") % {"text": weight[:20]},
                                 column=_("Peso"), expected=_("un numero non negativo, "
                                                              "come 1 o 0,5")))
    ind.centres = [c for c in post.getlist("centres") if c]
    targets = {}
    for year in plan.years:
        text = _text(post, f"target-{year}", _("Target %(year)s") % {"year": year}, limit=200)
        if text:
            targets[year] = text
    ind.targets = targets
    # a structured reading stands beside its text: no text, no reading
    ind.readings = {y: r for y, r in ind.readings.items() if y in targets}
    if ind.formula:
        try:
            parse(ind.formula)
        except FormulaError as exc:
            problems.append(_problem(exc.describe(), column=_("Formula")))
    problems += editor_yearly.apply(plan, ind, post)
    if problems:
        raise _Invalid(problems)


# -- views -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, key: str, kind: str, ident: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("unknown kind")
    db = _db_plan(key)
    _require_author(request, db)
    plan = copy.deepcopy(authoring.in_force(db.pk))
    items, attr = _collection(plan, kind)
    item = None if ident == "new" else _find(items, attr, ident)
    problems: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        try:
            saved = _apply(plan, kind, item, request.POST)
            authoring.store_plan(plan=plan, user=request.user, key=db.key, target=db,
                                 reason=request.POST.get("reason", ""), action="edit")
        except _Invalid as exc:
            problems = exc.problems
        except (authoring.AuthoringError, PlanError, ChangeRefused) as exc:
            problems = _refusal_problems(exc)
        else:
            ident = getattr(saved, attr)
            return redirect(reverse("plans:edit", args=[key, kind, ident]) + "?saved=1")
        status = 400
        # the form shows what was typed
        plan = copy.deepcopy(authoring.in_force(db.pk))
    findings = [{"severity": f.severity.value, "text": authoring.finding_text(f)}
                for f in authoring.lint(plan, db.pk) if item is not None and f.subject == ident]
    return TemplateResponse(request, "plans/edit.html", {
        "findings": findings,
        "key": key, "db": db, "plan": plan, "kind": kind, "ident": ident, "item": item,
        "form": request.POST if request.method == "POST" else None,
        "values": _values(plan, kind, item, request.POST if request.method == "POST" else None),
        "problems": problems, "saved": request.GET.get("saved") == "1" and not problems,
        "reading_states": (reading_states(plan, db.pk, ident)
                           if kind == "indicator" and item is not None else {}),
        "polarities": [(p.value, label) for p, label in (
            (core.Polarity.HIGHER_IS_BETTER, _("più alto è meglio")),
            (core.Polarity.LOWER_IS_BETTER, _("più basso è meglio")),
            (core.Polarity.TARGET_BAND, _("restare al target")))],
        "yearly": editor_yearly.values(plan, item, request.POST if request.method == "POST"
                                       else None) if kind == "indicator" else None,
    }, status=status)


def _values(plan: core.Plan, kind: str, item: Any, post: Any) -> dict[str, Any]:
    """What the form shows: what was posted, else the entity as stored."""
    if kind == "indicator":
        ind = item or core.Indicator(code="", name="")
        base: dict[str, Any] = {
            "code": ind.code, "name": ind.name, "description": ind.description,
            "kind": ind.kind, "unit": ind.unit, "strategic": ind.strategic_code,
            "operational": ind.operational_code, "formula_text": ind.formula_text,
            "formula": ind.formula, "data_sources": "\n".join(ind.data_sources),
            "measures": "\n".join(f"{k}={v}" for k, v in ind.measures.items()),
            "polarity": ind.polarity.value if ind.polarity else "",
            "polarity_inferred": ind.polarity_inferred,
            "weight": format(ind.weight.normalize(), "f") if item else "1",
            "centres": list(ind.centres),
            "targets": [(y, ind.targets.get(y, "")) for y in plan.years],
        }
        if post is not None:
            base.update({k: post.get(k, "") for k in base if k not in ("centres", "targets")})
            base["polarity_inferred"] = bool(post.get("polarity_inferred"))
            base["centres"] = post.getlist("centres")
            base["targets"] = [(y, post.get(f"target-{y}", "")) for y in plan.years]
        return base
    fields = {
        "strategic": ("code", "title", "narrative"),
        "operational": ("code", "title", "area"),
        "variable": ("name", "label", "source", "unit"),
        "centre": ("key", "name"),
    }[kind]
    base = {f: getattr(item, f) if item is not None else "" for f in fields}
    if kind == "strategic":
        base["missions"] = list(item.mission_codes) if item else []
    if kind == "operational":
        base.update(strategic=item.strategic_code if item else "",
                    mission=item.mission_code if item else "",
                    programme=item.programme_code if item else "")
    if kind == "variable":
        base["kind"] = str(item.kind) if item else VariableKind.NUMBER.value
    if post is not None:
        base.update({k: post.get(k, "") for k in base if k != "missions"})
        if kind == "strategic":
            base["missions"] = post.getlist("missions")
    return base


@require_http_methods(["GET", "POST"])
@login_required
def formula_check(request: HttpRequest, key: str) -> HttpResponse:
    """The formula as typed: read or refused (with the column), the variables it reads
    (declared or not) and its value on the plan's last year-end values."""
    db = _db_plan(key)
    _require_author(request, db)
    data = request.POST if request.method == "POST" else request.GET
    # a per-year definition's formula field names itself (``def-2-formula``)
    field = str(data.get("field") or request.GET.get("field", ""))
    field = field if re.fullmatch(r"def-\d{1,2}-formula", field) else "formula"
    text = str(data.get(field, ""))[:2000].strip()
    context: dict[str, Any] = {"key": key, "text": text,
                               "check_id": "formula-check" if field == "formula"
                               else f"{field}-check"}
    if text:
        try:
            formula = parse(text)
        except FormulaError as exc:
            context["error"] = exc.describe()
            context["pointer"] = exc.pointer()
        else:
            plan = authoring.in_force(db.pk)
            declared = {v.name for v in plan.variables}
            context["canonical"] = formula.canonical
            context["reads"] = [(name, name in declared) for name in sorted(formula.names)]
            context.update(_preview(db, formula))
    template = ("plans/includes/formula_check.html" if getattr(request, "htmx", False)
                else "plans/formula_check.html")
    return TemplateResponse(request, template, context)


def _preview(db: models.Plan, formula: Any) -> dict[str, Any]:
    """The formula's value on the last year-end (or baseline) values of the plan."""

    period = (mm.Period.objects.filter(plan=db, kind__in=(PeriodKind.YEAR_END,
                                                          PeriodKind.BASELINE),
                                       values__isnull=False)
              .order_by("-end_date").first())
    if period is None:
        return {"preview_none": True}
    value = formula.evaluate(inputs_for(db.pk, period), period.year)
    if isinstance(value, bool):
        shown = _("sì") if value else _("no")
    elif isinstance(value, Decimal):
        shown = format_number(value)
    elif isinstance(value, NotMeasured):
        shown = _("non calcolabile: mancano %(names)s") % {
            "names": ", ".join(f"{n} {y}" for n, y in value.missing)}
    elif isinstance(value, NotComputable):
        shown = _("non calcolabile: %(why)s") % {"why": value.reason}
    else:
        shown = str(value)
    return {"preview_year": period.year, "preview": shown}
