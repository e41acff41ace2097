"""Small template helpers for the plan pages."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template

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
