"""Small template helpers for the plan pages."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from cruscotto.web import display

register = template.Library()


@register.filter
def status_label(status: object) -> str:
    """A figure's status in words: ``green`` → "verde" (the one display module)."""
    return display.status_label(status)


@register.filter
def state_label(state: object) -> str:
    """A measurement's workflow state in words: ``returned`` → "restituito"."""
    return display.state_label(state)


@register.filter
def percent(value: Decimal | None, missing: str = "—") -> str:
    """An achievement as a percent, Italian format, rounded: ``92,46%``."""
    return display.percent(value, missing=missing)


@register.filter
def dom_id(value: object) -> str:
    """A code as an HTML id usable in CSS selectors: ``3.1`` → ``3-1``.

    (Django's ``slugify`` would drop the dot, making ``3.11`` and ``31.1`` collide.)
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(value))


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``mapping[key]``, or ``None`` when it is not there (a year's reading state)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


#: what ``counted`` counts: the messages of the overview's ``{% blocktranslate count %}``
_COUNTED = {
    "strategic": lambda n: ngettext("%(counter)s obiettivo strategico",
                                    "%(counter)s obiettivi strategici", n),
    "operational": lambda n: ngettext("%(counter)s obiettivo operativo",
                                      "%(counter)s obiettivi operativi", n),
    "indicator": lambda n: ngettext("%(counter)s indicatore", "%(counter)s indicatori", n),
}


@register.filter
def counted(n: int, what: str) -> SafeString:
    """``3|counted:"indicator"`` → "3 indicatori": what ``{% blocktranslate count
    counter=n %}{{ counter }} indicatore{% plural %}...`` writes (the same message,
    the number localised and escaped), without rendering a block per node of a tree."""
    return mark_safe(_COUNTED[what](n) % {  # noqa: S308 - the number is escaped
        "counter": conditional_escape(localize(n))})
