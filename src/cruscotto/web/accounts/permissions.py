"""Who a user is to the workflow: their roles as a core ``Actor``, and who manages people.

Every view, API endpoint and service asks here; templates only mirror it.
Organisation roles count only on the plans of their organisation: the planning
office of one organisation is nobody on another's plans. A superuser is the
administrator of every organisation.
"""

from __future__ import annotations

from typing import Any

from cruscotto.core.workflow import Actor, Role
from cruscotto.web.accounts import models as am


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def actor_for(user: Any, plan_id: int) -> Actor:
    """The workflow's view of ``user`` in the plan ``plan_id`` (anonymous: the public)."""
    return actors_for(user, [plan_id])[plan_id]


def actors_for(user: Any, plan_ids: list[int]) -> dict[int, Actor]:
    """:func:`actor_for` in each of ``plan_ids`` (a series across rolled plans): two
    queries for them all."""
    if not _signed_in(user):
        return {pid: Actor.public() for pid in plan_ids}
    roles: dict[int, set[Role]] = {pid: set() for pid in plan_ids}
    for pid, r in am.OrgRole.objects.filter(
            user=user, organisation__plans__in=plan_ids).values_list(
            "organisation__plans", "role"):
        roles[pid].add(Role(r))
    if getattr(user, "is_superuser", False):
        for r_set in roles.values():
            r_set.add(Role.ADMIN)
    centres: dict[int, dict[str, set[Role]]] = {pid: {} for pid in plan_ids}
    for pid, name, role in am.CentreMembership.objects.filter(
            user=user, centre__plan_id__in=plan_ids).values_list(
            "centre__plan_id", "centre__name", "role"):
        centres[pid].setdefault(name, set()).add(Role(role))
    return {pid: Actor.of(roles[pid], centres[pid]) for pid in plan_ids}


def organisations_with_role(user: Any, *roles: Role) -> set[int]:
    """The organisations (ids) where ``user`` holds one of ``roles``."""
    if not _signed_in(user):
        return set()
    return set(am.OrgRole.objects.filter(user=user, role__in=[r.value for r in roles])
               .values_list("organisation_id", flat=True))


def roles_in(user: Any, organisation_id: int) -> set[str]:
    """The user's organisation roles (values of ``Role``) in one organisation; a role in
    another organisation gives nothing here."""
    if not _signed_in(user):
        return set()
    return set(am.OrgRole.objects.filter(user=user, organisation_id=organisation_id)
               .values_list("role", flat=True))


def may_manage_roles(user: Any, organisation_id: int) -> bool:
    """Give and take the organisation's roles: its administrators (and superusers)."""
    if not _signed_in(user):
        return False
    return bool(getattr(user, "is_superuser", False)
                or organisation_id in organisations_with_role(user, Role.ADMIN))


def may_manage_memberships(user: Any, organisation_id: int) -> bool:
    """Give and take memberships of the organisation's centres: its administrators and
    its planning office."""
    if not _signed_in(user):
        return False
    return bool(getattr(user, "is_superuser", False)
                or organisation_id in organisations_with_role(user, Role.ADMIN, Role.PLANNING))


def may_manage_people(user: Any) -> bool:
    """Open the people page and invite a person: a superuser, or an administrator or the
    planning office of some organisation."""
    if not _signed_in(user):
        return False
    return bool(getattr(user, "is_superuser", False)
                or organisations_with_role(user, Role.ADMIN, Role.PLANNING))


def managed_organisations(user: Any) -> set[int] | None:
    """The organisations whose people ``user`` manages (None: all, a superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    return organisations_with_role(user, Role.ADMIN, Role.PLANNING)
