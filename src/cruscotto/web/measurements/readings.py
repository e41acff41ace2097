"""Who set a target's structured reading, and when: read back from the audit trail.

A reading is part of the plan; every change of a plan made by a person goes
through :func:`.authoring.store_plan`, which audits it field by field
(``indicator 3.1.1 readings.2024.operator``). The last such change of a
reading names who set it; a reading the plan came with was set by whoever
stored the plan.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cruscotto.core import plan as core
from cruscotto.core.evaluation import CompiledPlan
from cruscotto.core.messages import Message
from cruscotto.core.target_structure import read_from_text, set_by, set_in_plan
from cruscotto.core.targets import TargetError, TargetPartlyRead, parse_target
from cruscotto.web.i18n import translate

from . import models as mm
from .plandata import compiled_of, effective_plan

__all__ = ["InForce", "reading_sources", "reading_states", "readings_in_force",
           "target_reading"]

_AUDIT_FIELD = re.compile(r"^indicator (?P<code>\S+) readings\.(?P<year>\d{4})(?:\.|$)")


def _origins(plan_id: int, plan: core.Plan
             ) -> dict[tuple[str, int], tuple[str, datetime.datetime] | None]:
    """(indicator code, year) -> (who, when) set each reading of ``plan``, from the
    plan's audit trail: the last change of that reading; for a reading the plan came
    with, who stored the plan; ``None`` when the trail does not say. One query."""
    known: dict[tuple[str, int], tuple[str, datetime.datetime]] = {}
    first: tuple[str, datetime.datetime] | None = None
    events = (mm.AuditEvent.objects
              .filter(plan_id=plan_id, action__startswith="plan_")
              .filter(Q(field__contains=" readings.") | Q(field="piano"))
              .order_by("at", "pk").values_list("field", "username", "at"))
    for field, username, at in events:
        if field == "piano":
            first = first or (username, at)
            continue
        m = _AUDIT_FIELD.match(field)
        if m:
            known[(m["code"], int(m["year"]))] = (username, at)
    return {(ind.code, y): known.get((ind.code, y)) or first
            for ind in plan.indicators for y in ind.readings}


def _when(at: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "SHORT_DATE_FORMAT")


def reading_sources(plan_id: int, plan: core.Plan) -> dict[tuple[str, int], Message]:
    """(indicator code, year) -> who set each reading of ``plan`` and when, from the
    plan's audit trail: the last change of that reading; for a reading the plan came
    with, who stored the plan. One query."""
    return {k: set_by(o[0], _when(o[1])) if o is not None else set_in_plan()
            for k, o in _origins(plan_id, plan).items()}


@dataclass(frozen=True)
class InForce:
    """Which reading of a year's target is in force when it is not the text's own full
    reading: a structured reading the planning office set (``set``, with who set it and
    when, if the audit trail says), or the text read only in part (``partly_read``:
    not scored)."""

    source: str
    set_by: str = ""
    set_at: datetime.datetime | None = None

    def label(self) -> str:
        """The short marker shown beside the target."""
        return _("lettura impostata") if self.source == "set" else _("letto solo in parte")

    def title(self, *, who: bool = True) -> str:
        """The marker in full (its tooltip and accessible label): who set the reading
        only for ``who`` (signed-in readers; the public sees when, not who)."""
        if self.source != "set":
            return _("letto solo in parte: non valutato")
        if self.set_at is None:
            return translate(set_in_plan())
        return translate(set_by(self.set_by if who else "", _when(self.set_at)))

    @property
    def public_title(self) -> str:
        """:meth:`title` for the public (when, not who)."""
        return self.title(who=False)

    def as_data(self, *, who: bool) -> dict[str, Any]:
        """The API's ``target_reading``."""
        out: dict[str, Any] = {"source": self.source,
                               "set_at": self.set_at.isoformat() if self.set_at else None}
        out["set_by"] = (self.set_by or None) if who else None
        return out


def target_reading(in_force: dict[tuple[str, int], InForce], code: str, year: int,
                   text: str, *, who: bool) -> dict[str, Any] | None:
    """The API's ``target_reading`` of ``code``'s target ``text`` for ``year``
    (``None``: no target)."""
    if not text:
        return None
    m = in_force.get((code, year))
    if m is None:
        return {"source": "text", "set_at": None, "set_by": None}
    return m.as_data(who=who)


#: plan id -> (compiled plan, (code, year) -> reading in force): per plan revision
_IN_FORCE: dict[int, tuple[CompiledPlan, dict[tuple[str, int], InForce]]] = {}


def readings_in_force(plan_id: int, plan: core.Plan | None = None
                      ) -> dict[tuple[str, int], InForce]:
    """(indicator code, year) -> the reading in force of every target of the effective
    plan that is not read fully from its text (a year absent: read from the text, or no
    target). Worked out once per plan revision in this process from the compiled plan
    (no parsing); the audit trail is read (one query) only when the plan has readings.
    Shared: callers never change it."""
    compiled = compiled_of(plan_id, plan)
    hit = _IN_FORCE.get(plan_id)
    if hit is not None and hit[0] is compiled:
        return hit[1]
    out: dict[tuple[str, int], InForce] = {}
    if any(s.reading_years for s in compiled.specs):
        origins = _origins(plan_id, plan if plan is not None else effective_plan(plan_id))
    else:
        origins = {}
    for spec in compiled.specs:
        for y in spec.partly_read:
            out[(spec.code, y)] = InForce("partly_read")
        for y in spec.reading_years:
            o = origins.get((spec.code, y))
            out[(spec.code, y)] = InForce("set", *(o or ("", None)))
    _IN_FORCE[plan_id] = (compiled, out)
    return out


def reading_states(plan: core.Plan, plan_id: int, code: str, *, who: bool = True,
                   revised: dict[int, str] | None = None) -> dict[int, dict[str, Any]]:
    """year -> which reading is in force for the indicator's target, for a page:
    ``state`` (``set``, ``read``, ``partly``, ``unreadable``) and ``text`` (translated)."""
    ind = plan.indicator(code)
    sources = reading_sources(plan_id, plan) if ind.readings else {}
    out: dict[int, dict[str, Any]] = {}
    for year, written in ind.targets.items():
        text = (revised or {}).get(year, written)  # a revised target is the one in force
        if year in ind.readings:
            source = sources.get((code, year)) or set_in_plan()
            if not who and "who" in source.params:  # the public sees when, not who
                source = set_by("", str(source.params.get("when", "")))
            out[year] = {"state": "set", "text": translate(source)}
            continue
        try:
            parse_target(text, unit=ind.unit,
                         polarity=ind.polarity or core.Polarity.HIGHER_IS_BETTER, year=year)
        except TargetPartlyRead as exc:
            out[year] = {"state": "partly", "text": translate(exc.people())}
        except TargetError as exc:
            out[year] = {"state": "unreadable", "text": translate(exc.people())}
        else:
            out[year] = {"state": "read", "text": translate(read_from_text())}
    return out
