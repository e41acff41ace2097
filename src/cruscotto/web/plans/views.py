"""Read-only pages of a plan. Every page reads through ``selectors`` (core objects).

The read pages need no login: signed-in people read every stored plan, the
public only the published ones (an unpublished plan is a 404 for them) and,
of a published plan, only certified values. Editing is in the admin, which
requires staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from cruscotto.core import plan as core

from . import models, selectors


class HtmxHttpRequest(HttpRequest):
    """A request as ``django_htmx.middleware.HtmxMiddleware`` leaves it (for type checkers)."""

    htmx: HtmxDetails


def _plan_or_404(request: HttpRequest, key: str) -> core.Plan:
    try:
        return selectors.read_plan(key, published_only=selectors.is_public(request.user))
    except models.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


@dataclass(frozen=True, slots=True)
class CentreRow:
    centre: core.ResponsibilityCentre
    indicator_count: int


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    plans = selectors.list_plans(public=selectors.is_public(request.user))
    return TemplateResponse(request, "plans/home.html", {"plans": plans})


@require_GET
def overview(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    tree = core.plan_tree(plan)
    shown = {
        i.code
        for m in tree for s in m.strategic
        for i in [*s.indicators, *(i for o in s.operational for i in o.indicators)]
    }
    return TemplateResponse(request, "plans/overview.html", {
        "key": key,
        "plan": plan,
        "tree": tree,
        # e.g. under a strategic objective listed under no mission: still reachable
        "unplaced": [i for i in plan.indicators if i.code not in shown],
    })


@require_GET
def indicator(request: HttpRequest, key: str, code: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    try:
        ind = plan.indicator(code)
    except KeyError:
        raise Http404("unknown indicator") from None
    mission = plan.mission(ind.mission_code) if ind.mission_code else None
    programme = next(
        (p for p in mission.programmes if p.code == ind.programme_code), None
    ) if mission else None
    strategic = plan.strategic(ind.strategic_code)
    operational = plan.operational(ind.operational_code) if ind.operational_code else None
    centres = {c.name: c for c in plan.centres}
    revised = _revised(key, ind.code)
    return TemplateResponse(request, "plans/indicator.html", {
        "figures": _figures(request, key, ind),
        "key": key,
        "plan": plan,
        "indicator": ind,
        "strategic": strategic,
        "operational": operational,
        "overview_mission": _overview_mission(ind, strategic, operational),
        "mission": mission,
        "programme": programme,
        "programme_code": ind.programme_code,
        "centres": [centres[name] for name in ind.centres],
        # every plan year, so a year without a target shows as such
        "targets": [(year, ind.targets.get(year), revised.get(year)) for year in plan.years],
        "has_revisions": bool(revised),
    })


def _figures(request: HttpRequest, key: str, ind: core.Indicator) -> list[dict[str, object]]:
    """The indicator's measured periods, as the reader may see them (engine figures)."""
    from cruscotto.io.evaluation_out import display_value
    from cruscotto.web.measurements.permissions import actor_for
    from cruscotto.web.measurements.selectors import indicator_figures

    plan_id = models.Plan.objects.values_list("pk", flat=True).get(key=key)
    rows = []
    for f in indicator_figures(plan_id=plan_id, code=ind.code,
                               actor=actor_for(request.user, plan_id)):
        r = f.result
        rows.append({
            "period": f.period, "state": f.state.value, "hidden": f.hidden,
            "is_demo": f.is_demo,
            "value": display_value(r, ind.unit) if r is not None and not f.hidden else "",
            "target": r.target.text if r is not None and r.target else "",
            "achievement": r.achievement if r is not None else None,
            "status": r.status.value if r is not None else "not_available",
        })
    return rows


def _revised(key: str, code: str) -> dict[int, Any]:
    """Year -> the latest target revision (*rimodulazione*), where there is one."""
    from cruscotto.web.measurements.selectors import target_revisions

    plan_id = models.Plan.objects.values_list("pk", flat=True).get(key=key)
    return {r.year: r for r in target_revisions(plan_id=plan_id, code=code)}


def _overview_mission(
    ind: core.Indicator, so: core.StrategicObjective, oo: core.OperationalObjective | None
) -> str:
    """The mission under which the overview shows the indicator's parents (for anchors)."""
    if oo is not None and oo.mission_code:
        return oo.mission_code
    if ind.mission_code in so.mission_codes:
        return ind.mission_code
    return so.mission_codes[0] if so.mission_codes else ""


@require_GET
def centre_list(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    rows = [CentreRow(c, len(plan.indicators_of_centre(c.name))) for c in plan.centres]
    rows.sort(key=lambda r: r.centre.name.casefold())
    return TemplateResponse(request, "plans/centre_list.html", {
        "key": key, "plan": plan, "rows": rows,
    })


@require_GET
def centre(request: HttpRequest, key: str, centre_key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    found = next((c for c in plan.centres if c.key == centre_key), None)
    if found is None:
        raise Http404("unknown centre")
    indicators = sorted(
        plan.indicators_of_centre(found.name), key=lambda i: core.code_sort_key(i.code))
    return TemplateResponse(request, "plans/centre.html", {
        "key": key, "plan": plan, "centre": found, "indicators": indicators,
    })


@require_GET
def search(request: HtmxHttpRequest, key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    query = request.GET.get("q", "").strip()
    # htmx asks only for the results as the user types; the page is the same view
    # (a history restore after a cache miss needs the whole page again)
    typing = bool(request.htmx) and not request.htmx.history_restore_request
    exact = selectors.exact_indicator(plan, query) if query else None
    if exact is not None and not typing:
        return redirect(reverse("plans:indicator", args=[key, exact.code]))
    results = selectors.search_indicators(plan, query)
    template = "plans/search.html#results" if typing else "plans/search.html"
    return TemplateResponse(request, template, {
        "key": key, "plan": plan, "query": query, "results": results,
    })
