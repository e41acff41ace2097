"""Reads of people and roles, as the people page and the command line show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from cruscotto.core.workflow import Role
from cruscotto.web.accounts import models as am
from cruscotto.web.accounts.permissions import managed_organisations, organisations_with_role


@dataclass(frozen=True)
class PersonRow:
    """One person with the roles and centres the reader manages."""

    person: Any
    roles: list[am.OrgRole]
    memberships: list[am.CentreMembership]


def people(reader: Any = None) -> list[PersonRow]:
    """The people of the organisations ``reader`` manages (and those of none yet), with
    their roles and centres there (everyone and everything for a superuser or the command
    line, ``reader`` None).

    Three queries, however many people and roles.
    """
    orgs = managed_organisations(reader) if reader is not None else None
    roles = am.OrgRole.objects.select_related("organisation").order_by(
        "organisation__name", "role")
    members = am.CentreMembership.objects.select_related("centre__plan").order_by(
        "centre__plan__key", "centre__name", "role")
    if orgs is not None:
        roles = roles.filter(organisation__in=orgs)
        members = members.filter(centre__plan__organisation__in=orgs)
    users = get_user_model().objects.order_by("username")
    if orgs is not None:
        # the people of the reader's organisations, and those of none yet (just invited);
        # people of other organisations only are not listed
        users = users.filter(
            Q(org_roles__organisation__in=orgs)
            | Q(centre_memberships__centre__plan__organisation__in=orgs)
            | Q(org_roles__isnull=True, centre_memberships__isnull=True)).distinct()
    users = users.prefetch_related(
        Prefetch("org_roles", queryset=roles, to_attr="shown_roles"),
        Prefetch("centre_memberships", queryset=members, to_attr="shown_memberships"))
    return [PersonRow(u, u.shown_roles, u.shown_memberships) for u in users]


def organisations(reader: Any = None, *, roles_only: bool = False) -> list[Any]:
    """The organisations whose people ``reader`` manages (all: superuser, command line);
    ``roles_only``: those whose roles ``reader`` gives (where they are administrator)."""
    from django.apps import apps

    Organisation = apps.get_model("plans", "Organisation")
    orgs = managed_organisations(reader) if reader is not None else None
    if roles_only and orgs is not None:
        orgs = organisations_with_role(reader, Role.ADMIN)
    qs = Organisation.objects.order_by("name")
    return list(qs if orgs is None else qs.filter(pk__in=orgs))


def centres(reader: Any = None) -> list[Any]:
    """The responsibility centres of those organisations' plans, with their plan."""
    from django.apps import apps

    Centre = apps.get_model("plans", "ResponsibilityCentre")
    orgs = managed_organisations(reader) if reader is not None else None
    qs = Centre.objects.select_related("plan").order_by("plan__key", "name")
    return list(qs if orgs is None else qs.filter(plan__organisation__in=orgs))


def events(reader: Any = None, *, limit: int = 20) -> list[am.PeopleEvent]:
    """The latest changes to people the reader may see (of their organisations; all of
    them for a superuser)."""
    orgs = managed_organisations(reader) if reader is not None else None
    qs = am.PeopleEvent.objects.select_related("organisation").order_by("-at", "-pk")
    if orgs is not None:
        qs = qs.filter(organisation__in=orgs)
    return list(qs[:limit])
