"""The PIAO's public values (valore pubblico) in the pages: their editor, the overview's
grouping and the dashboard's bars. A plan without public values shows none of this.

The editor follows :mod:`.editor_views`: the form changes the plan in force and stores
the whole plan through :func:`.authoring.store_plan` (the same checks, refusals, audit
and versions as every edit); the lint's findings about the public value are shown
beside the form (an objective under two public values, a BES or SDG code not in the
lists).
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cruscotto.core import plan as core
from cruscotto.core.piao import BES_DOMAINS, SDGS, reference_name
from cruscotto.core.plan import PlanError
from cruscotto.core.rollup import PlanEvaluation
from cruscotto.web.plans import models
from cruscotto.web.plans.signals import ChangeRefused

from . import authoring
from .authoring_views import _db_plan, _refusal_problems, _require_author
from .editor_views import _Invalid, _text

__all__ = ["edit_public_value", "public_value_bars", "public_value_rows"]


def _lang() -> str:
    return (translation.get_language() or "it")[:2]


def public_value_rows(plan: core.Plan) -> list[dict[str, Any]]:
    """The public values as the overview lists them: references named in the reader's
    language, the strategic objectives they group with their titles."""
    titles = {s.code: s.title for s in plan.strategic_objectives}
    lang = _lang()
    return [
        {
            "code": pv.code,
            "title": pv.title,
            "description": pv.description,
            "references": [reference_name(c, lang) for c in (*pv.bes, *pv.sdgs)],
            "objectives": [(c, titles.get(c, "")) for c in pv.strategic_codes],
            "strategic_codes": list(pv.strategic_codes),
        }
        for pv in plan.public_values
    ]


def public_value_bars(figs: Any, ev: PlanEvaluation | None, year: int) -> list[Any]:
    """The dashboard's figures of the public values, in plan order (none without them)."""
    if ev is None or not ev.public_values:
        return []
    return [
        figs.node_figure(ev.public_values[pv.code], year=year, label=f"{pv.code} · {pv.title}")
        for pv in figs.plan.public_values
        if pv.code in ev.public_values
    ]


# -- the editor ------------------------------------------------------------------------


def _apply(plan: core.Plan, item: core.PublicValue | None, post: Any) -> core.PublicValue:
    if item is None:
        item = core.PublicValue(
            code=_text(post, "code", _("Codice"), required=True, limit=models.CODE_LENGTH), title=""
        )
        plan.public_values.append(item)
    item.title = _text(post, "title", _("Titolo"), required=True)
    item.description = _text(post, "description", _("Descrizione"))
    known = {s.code for s in plan.strategic_objectives}
    item.strategic_codes = [c for c in dict.fromkeys(post.getlist("strategic")) if c in known]
    bes = {r.code for r in BES_DOMAINS}
    sdgs = {r.code for r in SDGS}
    item.bes = [c for c in dict.fromkeys(post.getlist("bes")) if c in bes]
    item.sdgs = [c for c in dict.fromkeys(post.getlist("sdgs")) if c in sdgs]
    return item


@require_http_methods(["GET", "POST"])
@login_required
def edit_public_value(request: HttpRequest, key: str, ident: str) -> HttpResponse:
    """Create (``ident`` "new"), change or remove a public value of the plan."""
    db = _db_plan(key)
    _require_author(request, db)
    plan = copy.deepcopy(authoring.in_force(db.pk))
    item = None
    if ident != "new":
        item = next((pv for pv in plan.public_values if pv.code == ident), None)
        if item is None:
            raise Http404("unknown public value")
    problems: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        remove = request.POST.get("action") == "remove" and item is not None
        try:
            if remove:
                plan.public_values.remove(item)  # type: ignore[arg-type]
            else:
                saved = _apply(plan, item, request.POST)
            authoring.store_plan(
                plan=plan,
                user=request.user,
                key=db.key,
                target=db,
                reason=request.POST.get("reason", ""),
                action="edit",
            )
        except _Invalid as exc:
            problems = exc.problems
        except (authoring.AuthoringError, PlanError, ChangeRefused) as exc:
            problems = _refusal_problems(exc)
        else:
            if remove:
                return redirect(reverse("plans:manage", args=[key]))
            return redirect(reverse("plans:edit_public_value", args=[key, saved.code]) + "?saved=1")
        status = 400
        plan = copy.deepcopy(authoring.in_force(db.pk))
        if item is not None:
            item = next((pv for pv in plan.public_values if pv.code == ident), item)
    post = request.POST if request.method == "POST" else None
    findings = [
        {"severity": f.severity.value, "text": authoring.finding_text(f)}
        for f in authoring.lint(plan)
        if item is not None and f.subject == ident
    ]
    lang = _lang()
    chosen = _chosen(item, post)
    elsewhere = {
        c: pv.code for pv in plan.public_values if pv is not item for c in pv.strategic_codes
    }
    return TemplateResponse(
        request,
        "plans/edit_public_value.html",
        {
            "key": key,
            "db": db,
            "plan": plan,
            "item": item,
            "ident": ident,
            "values": chosen,
            "problems": problems,
            "findings": findings,
            "saved": request.GET.get("saved") == "1" and not problems,
            "objectives": [
                (s.code, s.title, s.code in chosen["strategic"], elsewhere.get(s.code))
                for s in plan.strategic_objectives
            ],
            "bes": [(r.code, r.name(lang), r.code in chosen["bes"]) for r in BES_DOMAINS],
            "sdgs": [(r.code, r.name(lang), r.code in chosen["sdgs"]) for r in SDGS],
            "code_length": models.CODE_LENGTH,
        },
        status=status,
    )


def _chosen(item: core.PublicValue | None, post: Any) -> dict[str, Any]:
    """What the form shows: what was posted, else the public value as stored."""
    if post is not None:
        return {
            "code": post.get("code", "") if item is None else item.code,
            "title": post.get("title", ""),
            "description": post.get("description", ""),
            "strategic": post.getlist("strategic"),
            "bes": post.getlist("bes"),
            "sdgs": post.getlist("sdgs"),
            "reason": post.get("reason", ""),
        }
    if item is None:
        return {
            "code": "",
            "title": "",
            "description": "",
            "strategic": [],
            "bes": [],
            "sdgs": [],
            "reason": "",
        }
    return {
        "code": item.code,
        "title": item.title,
        "description": item.description,
        "strategic": list(item.strategic_codes),
        "bes": list(item.bes),
        "sdgs": list(item.sdgs),
        "reason": "",
    }
