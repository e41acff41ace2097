"""Who a user is to the workflow: their roles as a core ``Actor``.

Every view, API endpoint and service asks here; templates only mirror it.
"""

from __future__ import annotations

from typing import Any

from cruscotto.core.workflow import Actor, Role
from cruscotto.web.accounts import models as am


def actor_for(user: Any, plan_id: int) -> Actor:
    """The workflow's view of ``user`` in the plan ``plan_id`` (anonymous: the public)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor.public()
    roles = {Role(r) for r in am.OrgRole.objects.filter(user=user).values_list("role", flat=True)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    centres: dict[str, set[Role]] = {}
    for name, role in am.CentreMembership.objects.filter(
            user=user, centre__plan_id=plan_id).values_list("centre__name", "role"):
        centres.setdefault(name, set()).add(Role(role))
    return Actor.of(roles, centres)
