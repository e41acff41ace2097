"""Small template helpers for the plan pages."""

from __future__ import annotations

import re

from django import template

register = template.Library()


@register.filter
def dom_id(value: object) -> str:
    """A code as an HTML id usable in CSS selectors: ``3.1`` → ``3-1``.

    (Django's ``slugify`` would drop the dot, making ``3.11`` and ``31.1`` collide.)
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(value))
