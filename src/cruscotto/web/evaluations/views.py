"""The pages of the individual evaluation.

- "La mia valutazione" (``/plans/<key>/valutazioni/``): one's own cards, the cards
  one evaluates, the overview for the offices;
- a card (``/plans/<key>/valutazioni/<year>/<username>/``), with its actions;
- the evaluator's list with progress (``/plans/<key>/valutazioni/<year>/``);
- the offices' overview with the distribution chart, the differentiation
  check and the payroll table (``/plans/<key>/riepilogo-valutazioni/<year>/``);
- the public aggregate for *Amministrazione trasparente*
  (``/trasparenza/<key>/premi/<year>/``): counts and amounts, no names.

Every page asks :mod:`.permissions`; a card one may not read is refused (403)
whether or not it exists, so typing its address reveals nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cruscotto.core.appraisal import COMPONENTS, CardState
from cruscotto.core.workflow import Role
from cruscotto.io.evaluation_out import assessment_text, italian_numbers
from cruscotto.io.svg_charts import Bar, achievement_bars
from cruscotto.web.i18n import translate
from cruscotto.web.measurements.upload_limit import too_large
from cruscotto.web.plans import models as pm

from . import exports, selectors, services
from . import models as em
from .choices import CardStateChoices
from .imports import ImportRefused, import_workbook
from .permissions import allowed_actions, is_office, may_read, org_roles


def _plan(key: str) -> pm.Plan:
    try:
        return pm.Plan.objects.select_related("organisation").get(key=key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


def component_labels() -> dict[str, str]:
    return {"organisation": _("Performance dell'ente"),
            "centres": _("Performance dei centri"),
            "objectives": _("Obiettivi individuali"),
            "behaviours": _("Comportamenti")}


def state_labels() -> dict[str, str]:
    return {c.value: str(c.label) for c in CardStateChoices}


@require_GET
@login_required
def mine(request: HttpRequest, key: str) -> HttpResponse:
    db = _plan(key)
    roles = org_roles(request.user, db.organisation_id)
    years = sorted({c.year for c in selectors.my_cards(user=request.user, plan_id=db.pk)}
                   | set(db.years or []), reverse=True)
    return TemplateResponse(request, "evaluations/mine.html", {
        "key": key, "plan": db, "cards": selectors.my_cards(user=request.user, plan_id=db.pk),
        "to_evaluate": em.Card.objects.filter(plan=db, evaluator=request.user)
        .values_list("year", flat=True).distinct().order_by("-year"),
        "office": is_office(roles), "oiv": Role.OIV.value in roles, "years": years,
        "states": state_labels(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def card(request: HttpRequest, key: str, year: int, username: str) -> HttpResponse:
    db = _plan(key)
    row = selectors.card_for(plan_id=db.pk, year=year, username=username)
    roles = org_roles(request.user, db.organisation_id)
    scheme = selectors.scheme_for(db.organisation_id, year)
    if row is None:
        if is_office(roles):
            raise Http404("no card")
        raise PermissionDenied(_("Non puoi vedere questa scheda di valutazione."))
    if not may_read(request.user, row, scheme, roles):
        raise PermissionDenied(_("Non puoi vedere questa scheda di valutazione: è visibile "
                                 "solo al valutato, al suo valutatore, all'ufficio "
                                 "personale e al controllo di gestione (e all'OIV per i "
                                 "dirigenti)."))
    message, field, status = "", "", 200
    if request.method == "POST":
        message, field, status = _post(request, row)
        if status == 200 and not getattr(request, "htmx", False):
            return redirect(reverse("evaluations:card", args=[key, year, username]))
        row = selectors.card_for(plan_id=db.pk, year=year, username=username)
        assert row is not None
    view = selectors.card_view(row, scheme=scheme)
    template = "evaluations/card.html"
    if getattr(request, "htmx", False) and request.method == "POST":
        template += "#panel"
    return TemplateResponse(request, template, _card_context(
        request, key, db, view, roles, message=message, field=field,
        posted=request.POST if status >= 400 else None), status=status)


def _card_context(request: HttpRequest, key: str, db: pm.Plan, view: selectors.CardView,
                  roles: set[str], *, message: str = "", field: str = "",
                  posted: Any = None) -> dict[str, Any]:
    lang = get_language() or "it"
    labels = component_labels()
    row = view.card
    scheme = view.scheme
    behaviours = []
    if scheme is not None:
        try:
            category = scheme.category(row.category)
        except KeyError:
            category = None
        for code in (category.behaviours if category else ()):
            b = scheme.behaviour(code)
            behaviours.append({"code": code, "name": b.name, "description": b.description,
                               "score": (posted.get(f"score-{code}") if posted else None)
                               or row.behaviour_scores.get(code),
                               "self": row.self_scores.get(code)})
    components = []
    if view.score is not None:
        for c in view.score.components:
            components.append({"name": c.name, "label": labels[c.name], "weight": c.weight,
                               "achievement": c.achievement, "points": c.points,
                               "working": c.working,
                               "missing": translate(c.missing) if c.missing else ""})
    objectives = [{"row": r, "working": assessment_text(r.assessment, lang)
                   if r.assessment else "",
                   "problem": translate(r.problem) if r.problem else ""}
                  for r in view.objectives]
    def working(node: Any) -> str:
        if node is None:
            return ""
        return italian_numbers(node.working) if lang == "it" and node.terms else (
            node.working if node.terms else _("nessun indicatore certificato"))

    centre_figures = [{"name": f.name, "node": f.node, "working": working(f.node),
                       "codes": ", ".join(f.node.counted) if f.node else ""}
                      for f in view.centres]
    actions = [
        ("share", _("Condividi con il valutato"), ""),
        ("acknowledge", _("Prendo visione"), ""),
        ("contest", _("Chiedo la revisione (conciliazione)"),
         _("Motivazione della richiesta di revisione")),
        ("revise", _("Riapri la scheda (esito della conciliazione)"),
         _("Motivazione della riapertura")),
        ("finalise", _("Rendi definitiva"),
         _("Esito della conciliazione (se la scheda è contestata)")),
    ]
    action_labels = {
        "create": _("scheda creata"), "edit": _("modifica"), "propose": _("proposta dell'OIV"),
        "share": _("condivisa con il valutato"), "acknowledge": _("presa visione"),
        "contest": _("richiesta di revisione"), "revise": _("riaperta (conciliazione)"),
        "finalise": _("resa definitiva"), "import": _("importazione da XLSX")}
    return {
        "action_labels": action_labels,
        "org_working": working(view.organisation), "centre_figures": centre_figures,
        "actions": actions, "message_is_error": bool(posted is not None and message),
        "key": key, "plan": db, "view": view, "card": row, "scheme": scheme,
        "components": components, "objectives": objectives, "behaviours": behaviours,
        "allowed": allowed_actions(request.user, row, scheme, roles),
        "states": state_labels(), "message": message, "field": field,
        "history": selectors.history(row),
        "missing": [translate(m) for m in view.score.missing] if view.score else
        ([translate(view.problem)] if view.problem else []),
        "problem": translate(view.problem) if view.problem else "",
        "is_person": request.user.pk == row.person_id,
        "scale": scheme.scale if scheme else (),
        "component_order": COMPONENTS,
    }


def _post(request: HttpRequest, row: Any) -> tuple[str, str, int]:
    """Run the posted action: (message, field, status)."""
    action = request.POST.get("action", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    p = request.POST
    try:
        if action == "evaluate":
            services.evaluate(
                user=request.user, card_id=row.pk, version=version,
                scores={k[6:]: v for k, v in p.items() if k.startswith("score-")},
                results={int(k[7:]): v for k, v in p.items()
                         if k.startswith("result-") and k[7:].isdigit()},
                interview_on=p.get("interview_on", ""), notes=p.get("evaluator_notes", ""))
        elif action == "self":
            services.self_evaluate(
                user=request.user, card_id=row.pk, version=version,
                scores={k[5:]: v for k, v in p.items() if k.startswith("self-")},
                text=p.get("self_assessment", ""), notes=p.get("evaluated_notes", ""))
        elif action == "propose":
            services.propose(user=request.user, card_id=row.pk, version=version,
                             proposal=p.get("oiv_proposal", ""))
        else:
            services.transition(user=request.user, card_id=row.pk, version=version,
                                action=action, reason=p.get("reason", ""))
    except services.Refused as exc:
        return str(exc), exc.field, 400
    return _("Fatto."), "", 200


@require_GET
@login_required
def evaluator_list(request: HttpRequest, key: str, year: int) -> HttpResponse:
    """The cards the signed-in person evaluates (or proposes, for the OIV), with progress."""
    db = _plan(key)
    roles = org_roles(request.user, db.organisation_id)
    scheme = selectors.scheme_for(db.organisation_id, year)
    cards = selectors.evaluator_cards(user=request.user, plan_id=db.pk, year=year)
    if Role.OIV.value in roles:
        cards += [c for c in selectors.all_cards(plan_id=db.pk, year=year)
                  if c not in cards and c.evaluator_id != request.user.pk
                  and may_read(request.user, c, scheme, roles)]
    if not cards and not is_office(roles):
        raise PermissionDenied(_("Non hai schede da valutare per quest'anno."))
    views = selectors.views_of(cards, db.pk, year, scheme)
    done = sum(1 for v in views if v.card.state != CardState.DRAFT)
    return TemplateResponse(request, "evaluations/evaluator.html", {
        "key": key, "plan": db, "year": str(year), "views": views, "states": state_labels(),
        "done": done, "percent": round(100 * done / len(views)) if views else 0,
    })


@require_GET
@login_required
def overview(request: HttpRequest, key: str, year: int) -> HttpResponse:
    """The offices' overview: every card, the distribution chart, the check, the pool."""
    db = _plan(key)
    if not is_office(org_roles(request.user, db.organisation_id)):
        raise PermissionDenied(_("Solo l'ufficio personale e il controllo di gestione "
                                 "vedono il riepilogo delle valutazioni."))
    scheme = selectors.scheme_for(db.organisation_id, year)
    cards = selectors.all_cards(plan_id=db.pk, year=year)
    views = selectors.views_of(cards, db.pk, year, scheme)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        body, kind = exports.payroll(views, scheme, fmt)
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = (
            f'attachment; filename="valutazioni-{key}-{year}.{fmt}"')
        return response
    dist = selectors.distribution(views, scheme) if scheme else None
    chart = ""
    if dist is not None and views:
        scored = [v for v in views if v.score and v.score.total is not None]
        chart = achievement_bars(
            [Bar(f"{v.card.person.get_full_name() or v.card.person.username}",
                 v.score.total if v.score else None,
                 "green" if v.score and v.score.band and v.score.band.coefficient >= 1
                 else "yellow" if v.score and v.score.band and v.score.band.coefficient > 0
                 else "red") for v in scored],
            title=_("Punteggi delle schede %(year)s") % {"year": year},
            desc=_("Punteggio totale di ogni scheda, da 0 a 100, con la soglia della "
                   "fascia più alta"),
            target=max((b.minimum for b in scheme.bands), default=None) if scheme else None,
            threshold=None, target_label=_("fascia alta"),
            status_labels={"green": _("premio pieno"), "yellow": _("premio ridotto"),
                           "red": _("nessun premio"), "not_available": _("n.d.")})
    return TemplateResponse(request, "evaluations/overview.html", {
        "key": key, "plan": db, "year": str(year), "views": views, "scheme": scheme,
        "dist": dist, "chart": chart, "states": state_labels(),
        "rows": [(v, dist.shares.get(v.card.pk) if dist else None) for v in views],
        "component_labels": [component_labels()[c] for c in COMPONENTS],
        "scheme_rows": [(c, [c.weights[k] for k in COMPONENTS]) for c in scheme.categories]
        if scheme else [],
        "problems": [translate(p) for p in dist.problems] if dist else [],
        "query": request.GET.urlencode(),
    })


@require_GET
def awards(request: HttpRequest, key: str, year: int) -> HttpResponse:
    """*Amministrazione trasparente*: the bonus distribution, final cards only, no names."""
    db = _plan(key)
    if not db.published:
        raise Http404("not published")
    scheme = selectors.scheme_for(db.organisation_id, year)
    if scheme is None:
        raise Http404("no SMVP")
    views = selectors.views_of(selectors.all_cards(plan_id=db.pk, year=year), db.pk, year,
                               scheme)
    dist = selectors.distribution(views, scheme, final_only=True)
    return TemplateResponse(request, "evaluations/awards.html", {
        "key": key, "plan": db, "year": str(year), "dist": dist, "scheme": scheme,
        "problems": [translate(p) for p in dist.problems],
        "not_final": sum(1 for v in views if v.card.state != CardState.FINAL),
    })


@require_http_methods(["POST"])
@login_required
def import_cards(request: HttpRequest, key: str, year: int) -> HttpResponse:
    """The offices' bulk import (XLSX of staff, evaluators and objectives): all or
    nothing; on a refusal the overview lists every problem with its sheet, row, column."""
    db = _plan(key)
    if not is_office(org_roles(request.user, db.organisation_id)):
        raise PermissionDenied(_("Solo l'ufficio personale e il controllo di gestione "
                                 "importano le schede."))
    limit = int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES)
    file = request.FILES.get("file")
    problems: list[str] = []
    if file is None:
        problems = [_("il file è troppo grande: al massimo %(max)s MB") % {
            "max": limit // 2**20}] if too_large(request) else [
            _("Scegli un file XLSX da importare.")]
    elif file.size is not None and file.size > limit:
        problems = [_("il file è troppo grande: al massimo %(max)s MB") % {
            "max": limit // 2**20}]
    else:
        try:
            import_workbook(plan=db, year=year, content=file.read(), by=request.user)
        except ImportRefused as exc:
            problems = exc.problems
    if not problems:
        return redirect(reverse("evaluations:overview", args=[key, year]) + "?imported=1")
    response = overview(_as_get(request), key, year)
    assert isinstance(response, TemplateResponse)
    response.context_data = {**(response.context_data or {}), "import_problems": problems}
    response.status_code = 400
    return response


def _as_get(request: HttpRequest) -> HttpRequest:
    request.method = "GET"
    return request
