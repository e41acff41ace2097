"""Who may see and do what on an evaluation card: privacy by construction.

A card is seen only by the person evaluated, their evaluator, the personnel
(HR) office and the planning office, and -- for the categories whose
evaluation the OIV proposes (the managers) -- the OIV. Nobody else: not the
centre's other people, not the administrators as such, never the public.
Every view, service, export and command asks here.
"""

from __future__ import annotations

from typing import Any

from cruscotto.core.appraisal import CardState, Scheme
from cruscotto.core.workflow import Role
from cruscotto.web.accounts.permissions import roles_in

from . import models as em
from .choices import StaffRoleChoices


def org_roles(user: Any, organisation_id: int) -> set[str]:
    """The user's roles in the organisation, with ``hr`` for its personnel office (a
    role in another organisation gives nothing here)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return roles_in(user, organisation_id) | set(
        em.StaffRole.objects.filter(user=user, organisation_id=organisation_id)
        .values_list("role", flat=True))


def is_office(roles: set[str]) -> bool:
    """The personnel office or the planning office: every card of the organisation."""
    return bool(roles & {StaffRoleChoices.HR.value, Role.PLANNING.value})


def oiv_reads(card: em.Card, scheme: Scheme | None) -> bool:
    """Whether the OIV reads the card: its category's evaluation is the OIV's to propose."""
    if scheme is None:
        return False
    try:
        return scheme.category(card.category).oiv_proposes
    except KeyError:
        return False


def may_read(user: Any, card: em.Card, scheme: Scheme | None,
             roles: set[str] | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (card.person_id, card.evaluator_id):
        return True
    roles = org_roles(user, card.plan.organisation_id) if roles is None else roles
    if is_office(roles):
        return True
    return Role.OIV.value in roles and oiv_reads(card, scheme)


def allowed_actions(user: Any, card: em.Card, scheme: Scheme | None,
                    roles: set[str] | None = None) -> set[str]:
    """The card's actions ``user`` may take now (the services check again)."""
    if not may_read(user, card, scheme, roles):
        return set()
    roles = org_roles(user, card.plan.organisation_id) if roles is None else roles
    state = CardState(card.state)
    out: set[str] = set()
    evaluator = user.pk == card.evaluator_id
    person = user.pk == card.person_id
    office = is_office(roles)
    proposer = Role.OIV.value in roles and oiv_reads(card, scheme)
    if state is CardState.DRAFT:
        if evaluator or proposer:
            out.add("evaluate")
        if proposer:
            out.add("propose")
        if evaluator:
            out.add("share")
    if person and state in (CardState.DRAFT, CardState.SHARED):
        out.add("self")
    if person and state is CardState.SHARED:
        out |= {"acknowledge", "contest"}
    if state is CardState.CONTESTED and (evaluator or office):
        out.add("revise")
    if office and state in (CardState.ACKNOWLEDGED, CardState.CONTESTED):
        out.add("finalise")
    return out
