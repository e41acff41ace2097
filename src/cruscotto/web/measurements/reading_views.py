"""The structured reading of a target, set in the browser beside its text.

Where the target reader refuses a text as *partly read* (or the office means
something else than the words say), the planning office states the target's
structure on a small form beside the text (operator, value, unit, base, parts
each on its own measure, deadline), sees it read back in words (the preview
is the very reading the engine will score), and saves it. Saving goes through
:func:`.authoring.store_plan`, the path of every change to a plan: the same
audit trail, which is where "set by whom, when" is read back from
(:func:`reading_sources`), and for an adopted plan a new version.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cruscotto.core import plan as core
from cruscotto.core.plan import PlanError
from cruscotto.core.target_structure import (
    BASE_LABELS,
    LABEL_LENGTH,
    MAX_PARTS,
    OPERATOR_LABELS,
    UNIT_LABELS,
    ReadingError,
    TargetReading,
    reading_problems,
    reading_to_target,
)
from cruscotto.core.targets import TargetError, parse_target
from cruscotto.web.i18n import translate
from cruscotto.web.plans.selectors import stored_plan
from cruscotto.web.plans.signals import ChangeRefused

from . import authoring
from .authoring_views import _db_plan, _problem, _refusal_problems, _require_author
from .readings import reading_states

__all__ = ["reading"]

#: the fields of one reading (and of each part, prefixed ``part-N-``)
FIELDS = ("operator", "value", "unit", "tolerance", "label", "measure", "base", "base_value",
          "base_date", "base_year", "deadline")


# -- the form --------------------------------------------------------------------------

def _form_data(post: Any, prefix: str = "") -> dict[str, Any]:
    data = {name: str(post.get(prefix + name, ""))[:LABEL_LENGTH + 1].strip()
            for name in FIELDS}
    return {k: v for k, v in data.items() if v}


def _reading_of(post: Any) -> TargetReading:
    data = _form_data(post)
    if data.get("operator") == "compound":
        data["parts"] = [p for p in (_form_data(post, f"part-{n}-")
                                     for n in range(1, MAX_PARTS + 1)) if p.get("operator")]
    return TargetReading.from_data(data)


def _values(reading: TargetReading | None) -> dict[str, Any]:
    """What the form shows for a stored reading."""
    if reading is None:
        return {"unit": "number", "parts": [{"unit": "number"} for _ in range(3)]}
    data = reading.to_data()
    parts = data.pop("parts", [])
    parts += [{"unit": "number"} for _ in range(max(0, 3 - len(parts)))]
    return {**data, "parts": parts}


def _posted_values(post: Any) -> dict[str, Any]:
    values: dict[str, Any] = _form_data(post)
    values["parts"] = [_form_data(post, f"part-{n}-") for n in range(1, MAX_PARTS + 1)]
    while len(values["parts"]) > 3 and not values["parts"][-1]:
        values["parts"].pop()
    return values


@require_http_methods(["GET", "POST"])
@login_required
def reading(request: HttpRequest, key: str, code: str, year: int) -> HttpResponse:
    """Set, preview or remove the structured reading of ``code``'s target of ``year``."""
    db = _db_plan(key)
    _require_author(request, db)
    plan = copy.deepcopy(authoring.in_force(db.pk))
    try:
        ind = plan.indicator(code)
    except KeyError:
        raise Http404("unknown indicator") from None
    if year not in ind.targets:
        raise Http404("no target that year")
    text = ind.targets[year]
    lang = "en" if (get_language() or "it").startswith("en") else "it"
    measures = sorted(set(ind.measures) | {v.name for v in plan.variables})
    problems: list[dict[str, Any]] = []
    preview = ""
    status = 200
    values = _values(ind.readings.get(year))
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        values = _posted_values(request.POST)
        try:
            if action != "preview" and stored_plan(db.pk).indicator(code).targets.get(
                    year) != text:
                raise authoring.AuthoringError([_(
                    "Il target %(year)s è stato rimodulato: una lettura impostata vale per il "
                    "testo del piano, non per una rimodulazione (scrivi la rimodulazione in "
                    "una forma che si legge).") % {"year": year}])
            if action == "remove":
                ind.readings.pop(year, None)
            else:
                new = _reading_of(request.POST)
                why = reading_problems(new, year=year, years=plan.years, measures=measures)
                if why:
                    raise ReadingError(why)
                others = {y: t for y, t in _targets(plan, ind).items() if y < year}
                preview = reading_to_target(new, text=text, year=year,
                                            year_targets=others).describe(lang)
                ind.readings[year] = new
            if action in ("save", "remove"):
                authoring.store_plan(plan=plan, user=request.user, key=db.key, target=db,
                                     reason=request.POST.get("reason", ""), action="edit")
                return redirect(reverse("plans:reading", args=[key, code, year])
                                + "?saved=1")
        except ReadingError as exc:
            problems = [_problem(translate(p), column=_("Lettura impostata"))
                        for p in exc.problems]
        except (authoring.AuthoringError, PlanError, ChangeRefused) as exc:
            problems = _refusal_problems(exc)
        if problems:
            status = 400
    state = reading_states(authoring.in_force(db.pk), db.pk, code)[year]
    return TemplateResponse(request, "plans/reading.html", {
        "key": key, "db": db, "plan": plan, "ind": ind, "year": year, "text": text,
        "state": state, "values": values, "preview": preview, "problems": problems,
        "saved": request.GET.get("saved") == "1",
        "operators": [(k, _(v)) for k, v in OPERATOR_LABELS.items()],
        "part_operators": [(k, _(v)) for k, v in OPERATOR_LABELS.items()
                           if k not in ("compound", "none")],
        "units": [(k, _(v)) for k, v in UNIT_LABELS.items()],
        "bases": [(k, _(v)) for k, v in BASE_LABELS.items()],
        "measures": measures, "years": [y for y in plan.years if y < year],
        "in_force": year in authoring.in_force(db.pk).indicator(code).readings,
    }, status=status)


def _targets(plan: core.Plan, ind: core.Indicator) -> dict[int, Any]:
    """The indicator's targets as the engine reads them (for a base that is a year's
    target): each year's reading, or its text's."""
    out: dict[int, Any] = {}
    for y, text in ind.targets.items():
        if y in ind.readings:
            try:
                out[y] = reading_to_target(ind.readings[y], text=text, year=y, year_targets=out)
            except ReadingError:
                continue
            continue
        try:
            out[y] = parse_target(text, unit=ind.unit, year=y,
                                  polarity=ind.polarity or core.Polarity.HIGHER_IS_BETTER)
        except TargetError:
            continue
    return out
