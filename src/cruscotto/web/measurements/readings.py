"""Who set a target's structured reading, and when: read back from the audit trail.

A reading is part of the plan; every change of a plan made by a person goes
through :func:`.authoring.store_plan`, which audits it field by field
(``indicator 3.1.1 readings.2024.operator``). The last such change of a
reading names who set it; a reading the plan came with was set by whoever
stored the plan.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone

from cruscotto.core import plan as core
from cruscotto.core.messages import Message
from cruscotto.core.target_structure import read_from_text, set_by, set_in_plan
from cruscotto.core.targets import TargetError, TargetPartlyRead, parse_target
from cruscotto.web.i18n import translate

from . import models as mm

__all__ = ["reading_sources", "reading_states"]

_AUDIT_FIELD = re.compile(r"^indicator (?P<code>\S+) readings\.(?P<year>\d{4})(?:\.|$)")


def reading_sources(plan_id: int, plan: core.Plan) -> dict[tuple[str, int], Message]:
    """(indicator code, year) -> who set each reading of ``plan`` and when, from the
    plan's audit trail: the last change of that reading; for a reading the plan came
    with, who stored the plan. One query."""
    known: dict[tuple[str, int], Message] = {}
    first: Message | None = None
    events = (mm.AuditEvent.objects
              .filter(plan_id=plan_id, action__startswith="plan_")
              .filter(Q(field__contains=" readings.") | Q(field="piano"))
              .order_by("at", "pk").values_list("field", "username", "at"))
    for field, username, at in events:
        when = formats.date_format(timezone.localtime(at), "SHORT_DATE_FORMAT")
        if field == "piano":
            first = first or set_by(username, when)
            continue
        m = _AUDIT_FIELD.match(field)
        if m:
            known[(m["code"], int(m["year"]))] = set_by(username, when)
    return {(ind.code, y): known.get((ind.code, y)) or first or set_in_plan()
            for ind in plan.indicators for y in ind.readings}


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
