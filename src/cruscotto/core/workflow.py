"""The measurement workflow: who may do what to an indicator's values, and when.

Per indicator and period (the year end, or an interim date)::

    draft ──submit──▶ submitted ──validate──▶ validated ──certify──▶ certified
      ▲                  │                       │                      │
      └────return────────┴──────return───────────┘                      │
      └──────────────────────────reopen (with a reason)─────────────────┘

- the centre (its manager or officers) enters values and submits them;
- the planning and control office (*Controllo di gestione*) validates them,
  or returns them with a reason;
- the independent assessment body (OIV) certifies validated values, which
  locks them; a later correction reopens the indicator with a reason, and
  every earlier version stays in the history (never an overwrite);
- a value that misses its target cannot be submitted without an
  explanation of the gap.

Pure functions: the Django services call them, and so can anything else.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from cruscotto.core.messages import Message, gettext_noop, msg

__all__ = [
    "ACTION_NAMES",
    "CENTRE_ROLES",
    "Action",
    "Actor",
    "Role",
    "State",
    "WorkflowError",
    "can",
    "can_edit_values",
    "can_read_drafts",
    "next_state",
    "public_states",
    "submission_problems",
    "why_not",
]


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    RETURNED = "returned"
    CERTIFIED = "certified"


class Role(enum.StrEnum):
    ADMIN = "admin"
    #: the planning and control office
    PLANNING = "planning"
    #: the independent assessment body
    OIV = "oiv"
    #: reads everything published and validated, changes nothing
    VIEWER = "viewer"
    #: a responsibility centre's manager (per centre)
    MANAGER = "manager"
    #: a responsibility centre's officer (per centre)
    OFFICER = "officer"


CENTRE_ROLES = frozenset({Role.MANAGER, Role.OFFICER})


class Action(enum.StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    VALIDATE = "validate"
    RETURN = "return"
    CERTIFY = "certify"
    REOPEN = "reopen"


class WorkflowError(Exception):
    """An action refused: the message says why, for the person who tried."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A person as the workflow sees them: organisation-wide roles and centre roles."""

    roles: frozenset[Role] = frozenset()
    #: centre name -> that person's roles in it (manager, officer)
    centres: tuple[tuple[str, frozenset[Role]], ...] = ()
    #: nobody signed in: the public, who see certified values only
    anonymous: bool = False

    @classmethod
    def public(cls) -> Actor:
        """The public (no login)."""
        return cls(anonymous=True)

    @classmethod
    def of(cls, roles: Iterable[Role] = (), centres: dict[str, Iterable[Role]] | None = None
           ) -> Actor:
        return cls(frozenset(roles),
                   tuple(sorted((c, frozenset(r)) for c, r in (centres or {}).items())))

    def in_centres(self, centres: Iterable[str]) -> bool:
        mine = {c for c, r in self.centres if r & CENTRE_ROLES}
        return bool(mine & set(centres))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


_TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.EDIT): State.DRAFT,
    (State.RETURNED, Action.EDIT): State.RETURNED,
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.VALIDATE): State.VALIDATED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.VALIDATED, Action.RETURN): State.RETURNED,
    (State.VALIDATED, Action.CERTIFY): State.CERTIFIED,
    (State.CERTIFIED, Action.REOPEN): State.DRAFT,
}

_WHY_NOT: dict[State, str] = {
    State.SUBMITTED: gettext_noop("i valori sono inviati: il controllo di gestione deve prima "
                                  "validarli o restituirli"),
    State.VALIDATED: gettext_noop("i valori sono validati: ora possono agire solo l'OIV "
                                  "(certificazione) o il controllo di gestione (restituzione)"),
    State.CERTIFIED: gettext_noop("i valori sono certificati e bloccati: una rettifica li "
                                  "riapre indicandone il motivo"),
}

#: the actions as the messages name them
ACTION_NAMES: dict[Action, str] = {
    Action.EDIT: gettext_noop("modificare i valori"),
    Action.SUBMIT: gettext_noop("inviare i valori"),
    Action.VALIDATE: gettext_noop("validare i valori"),
    Action.RETURN: gettext_noop("restituire i valori"),
    Action.CERTIFY: gettext_noop("certificare i valori"),
    Action.REOPEN: gettext_noop("riaprire i valori"),
}


def why_not(state: State) -> Message:
    """Why values in ``state`` cannot be changed or acted on as asked."""
    if state in _WHY_NOT:
        return Message(_WHY_NOT[state])
    return msg(gettext_noop("i valori sono in stato %(state)s"), state=state.value)


def next_state(state: State, action: Action) -> State:
    """The state after ``action``; :class:`WorkflowError` if ``state`` does not allow it."""
    try:
        return _TRANSITIONS[(state, action)]
    except KeyError:
        raise WorkflowError(msg(gettext_noop("ora non si può %(action)s: %(why)s"),
                                action=Message(ACTION_NAMES[action]),
                                why=why_not(state))) from None


def can(actor: Actor, action: Action, *, centres: Iterable[str], state: State) -> bool:
    """May ``actor`` do ``action`` on an indicator owned by ``centres`` in ``state``?"""
    if (state, action) not in _TRANSITIONS:
        return False
    owners = list(centres)
    if action in (Action.EDIT, Action.SUBMIT):
        return actor.in_centres(owners) or actor.is_admin
    if action in (Action.VALIDATE, Action.RETURN, Action.REOPEN):
        return bool(actor.roles & {Role.PLANNING, Role.ADMIN})
    if action is Action.CERTIFY:
        return Role.OIV in actor.roles
    return False


def can_edit_values(actor: Actor, *, centres: Iterable[str], state: State) -> bool:
    return can(actor, Action.EDIT, centres=centres, state=state)


def can_read_drafts(actor: Actor, *, centres: Iterable[str]) -> bool:
    """Drafts are seen by their centre, the planning office, the OIV and administrators.

    Others (viewers, other centres) see values from validation on.
    """
    return actor.in_centres(centres) or bool(
        actor.roles & {Role.PLANNING, Role.ADMIN, Role.OIV})


def public_states(actor: Actor | None) -> frozenset[State]:
    """The states whose values ``actor`` sees without reading drafts.

    Signed-in readers see values from validation on; the public (anonymous,
    or ``None``: no reader known) only certified values, as validated values
    may still be returned before the OIV certifies them.
    """
    if actor is None or actor.anonymous:
        return frozenset({State.CERTIFIED})
    return frozenset({State.VALIDATED, State.CERTIFIED})


def submission_problems(*, met: bool | None, explanation: str, missing: Iterable[str] = (),
                        interim: bool = False, forecast: str = "") -> list[Message]:
    """Why values cannot be submitted yet (empty when they can).

    ``met`` is the engine's verdict on the target (None when there is no
    target or nothing to compare); ``missing`` names inputs not supplied.
    On an ``interim`` period the centre also states its year-end
    ``forecast``, as the guide requires.
    """
    problems = [msg(gettext_noop("manca il valore di %(input)s"), input=m) for m in missing]
    if met is False and not explanation.strip():
        problems.append(Message(gettext_noop(
            "il target non è raggiunto: motiva lo scostamento prima dell'invio")))
    if interim and not forecast.strip():
        problems.append(Message(gettext_noop(
            "misurazione intermedia: indica la previsione di fine anno prima dell'invio")))
    return problems
