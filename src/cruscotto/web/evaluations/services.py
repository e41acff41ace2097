"""Changes to the individual evaluation: the SMVP of a year, the cards and their workflow.

Every change checks who may make it (:mod:`.permissions`), refuses a stale
form (the card's version), bounds free texts, and writes the card's history
(:class:`~.models.CardEvent`) in the same transaction.

The workflow of a card::

    draft ──share──▶ shared ──acknowledge──▶ acknowledged ──finalise──▶ final
      ▲                 │                                       ▲
      │                 └──contest (reason)──▶ contested ───────┘ (finalise, with the
      └─────────────revise (reason: the conciliation reopens it)─┘   conciliation's outcome)

The evaluator scores and shares; where the SMVP says so (the managers), the
OIV proposes the evaluation first. The person gives a self-evaluation and
their own notes, then acknowledges (*presa visione*) or contests (*procedura di
conciliazione*). The personnel or planning office finalises, once the
category's distribution passes the rules against flat distributions.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cruscotto.core.appraisal import CardState, Scheme, parse_scheme
from cruscotto.core.values import to_data
from cruscotto.io.values_csv import parse_value
from cruscotto.web.i18n import translate
from cruscotto.web.plans import models as pm

from . import models as em
from . import selectors
from .permissions import allowed_actions, oiv_reads

#: what each action does to the state
TRANSITIONS: dict[str, tuple[frozenset[CardState], CardState | None]] = {
    "evaluate": (frozenset({CardState.DRAFT}), None),
    "propose": (frozenset({CardState.DRAFT}), None),
    "self": (frozenset({CardState.DRAFT, CardState.SHARED}), None),
    "share": (frozenset({CardState.DRAFT}), CardState.SHARED),
    "acknowledge": (frozenset({CardState.SHARED}), CardState.ACKNOWLEDGED),
    "contest": (frozenset({CardState.SHARED}), CardState.CONTESTED),
    "revise": (frozenset({CardState.CONTESTED}), CardState.DRAFT),
    "finalise": (frozenset({CardState.ACKNOWLEDGED, CardState.CONTESTED}), CardState.FINAL),
}


class Refused(Exception):
    """A change the card's state or its content does not allow; the message says why
    (translated), naming the field when there is one."""

    def __init__(self, message: str, field: str = "") -> None:
        self.field = field
        super().__init__(message)


def _who(user: Any) -> tuple[Any, str]:
    if user is None or not getattr(user, "pk", None):
        return None, "cruscotto"
    return user, user.get_username()


def _event(card: em.Card, user: Any, action: str, *, field: str = "", old: Any = "",
           new: Any = "", reason: str = "") -> None:
    u, name = _who(user)
    em.CardEvent.objects.create(card=card, user=u, username=name, action=action,
                                field=field, old=str(old), new=str(new), reason=reason)


def _text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    limit = em.NOTE_LENGTH
    if len(text) > limit:
        raise Refused(_("%(field)s: al massimo %(n)s caratteri (ne sono stati scritti "
                        "%(got)s)") % {"field": label, "n": limit, "got": len(text)}, field)
    return text


def _locked(card_id: int, version: int | None) -> em.Card:
    card = em.Card.objects.select_for_update().select_related("plan").get(pk=card_id)
    if version is not None and card.version != version:
        raise Refused(_("La scheda è stata modificata da qualcun altro nel frattempo: "
                        "ricarica la pagina e riprova."))
    return card


def _check(user: Any, card: em.Card, scheme: Scheme | None, action: str) -> None:
    states, _to = TRANSITIONS[action]
    if action in allowed_actions(user, card, scheme):
        return
    if CardState(card.state) not in states and action in allowed_actions_any_state(
            user, card, scheme):
        raise Refused(_("La scheda è nello stato «%(state)s»: questa azione non è "
                        "possibile ora.") % {"state": card.get_state_display()})
    raise PermissionDenied(_("Il tuo ruolo non permette questa azione su questa scheda."))


def allowed_actions_any_state(user: Any, card: em.Card, scheme: Scheme | None) -> set[str]:
    """The actions ``user`` could take on the card in some state (to tell "not now"
    from "not you")."""
    out: set[str] = set()
    original = card.state
    try:
        for s in CardState:
            card.state = s.value
            out |= allowed_actions(user, card, scheme)
    finally:
        card.state = original
    return out


def _move(card: em.Card, user: Any, action: str, reason: str = "") -> None:
    _states, to = TRANSITIONS[action]
    card.version += 1
    if to is not None:
        old = card.state
        card.state = to.value
        card.save()
        _event(card, user, action, field="state", old=old, new=to.value, reason=reason)
    else:
        card.save()


# -- the SMVP ------------------------------------------------------------------------------

@transaction.atomic
def configure(*, organisation: pm.Organisation, data: Any, source: str = "",
              is_demo: bool = False) -> em.Scheme:
    """Store the SMVP of ``data``'s year for ``organisation`` (checked first: a
    :class:`~cruscotto.core.appraisal.SchemeError` lists every problem)."""
    scheme = parse_scheme(data)
    plain = json.loads(json.dumps(data, default=str))
    row, _created = em.Scheme.objects.update_or_create(
        organisation=organisation, year=scheme.year,
        defaults={"data": plain, "source": source[:255], "is_demo": is_demo})
    return row


# -- cards ---------------------------------------------------------------------------------

@transaction.atomic
def create_card(*, plan: pm.Plan, year: int, person: Any, category: str, evaluator: Any,
                centres: list[pm.ResponsibilityCentre], by: Any = None,
                objectives: list[dict[str, Any]] | None = None,
                is_demo: bool = False) -> em.Card:
    """A new draft card (the personnel office, a bulk import or the demo)."""
    card = em.Card.objects.create(plan=plan, year=year, person=person, category=category,
                                  evaluator=evaluator, is_demo=is_demo)
    card.centres.set(centres)
    for i, o in enumerate(objectives or []):
        em.Objective.objects.create(card=card, position=i, **o)
    _event(card, by, "create", field="category", new=category)
    return card


def _score(raw: str, scheme: Scheme, label: str, field: str) -> int | None:
    if raw in ("", None):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value not in scheme.scores:
        raise Refused(_("%(field)s: «%(value)s» non è un livello della scala (ammessi: "
                        "%(allowed)s)") % {"field": label, "value": raw, "allowed": ", ".join(
                            str(s) for s in scheme.scores)}, field)
    return value


def _date(raw: str, label: str, field: str) -> datetime.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise Refused(_("%(field)s: «%(value)s» non è una data (atteso ad esempio 15/01/2022)")
                  % {"field": label, "value": raw}, field)


def _set(card: em.Card, user: Any, field: str, value: Any) -> bool:
    old = getattr(card, field)
    if old == value:
        return False
    setattr(card, field, value)
    _event(card, user, "edit", field=field,
           old=json.dumps(old, sort_keys=True) if isinstance(old, dict) else old or "",
           new=json.dumps(value, sort_keys=True) if isinstance(value, dict) else value or "")
    return True


@transaction.atomic
def evaluate(*, user: Any, card_id: int, version: int | None, scores: dict[str, str],
             results: dict[int, str], interview_on: str = "", notes: str = "") -> em.Card:
    """The evaluator's part (or the OIV's proposal): behaviour scores, the objectives'
    results, the feedback interview's date and the evaluator's notes."""
    card = _locked(card_id, version)
    scheme = selectors.scheme_for(card.plan.organisation_id, card.year)
    _check(user, card, scheme, "evaluate")
    if scheme is None:
        raise Refused(_("Il SMVP dell'anno non è configurato."))
    category = scheme.category(card.category)
    new_scores = {}
    for code in category.behaviours:
        label = scheme.behaviour(code).name
        value = _score(scores.get(code, ""), scheme, label, f"score-{code}")
        if value is not None:
            new_scores[code] = value
    changed = _set(card, user, "behaviour_scores", new_scores)
    for obj in card.objectives.all():
        if obj.pk not in results:
            continue
        text = (results[obj.pk] or "").strip()[:em.VALUE_LENGTH + 1]
        if len(text) > em.VALUE_LENGTH:
            raise Refused(_("%(field)s: al massimo %(n)s caratteri") % {
                "field": obj.title, "n": em.VALUE_LENGTH}, f"result-{obj.pk}")
        if text:
            try:
                parse_value(text)
            except ValueError as exc:
                raise Refused(_("Risultato di «%(title)s»: %(problem)s") % {
                    "title": obj.title, "problem": translate(exc)}, f"result-{obj.pk}"
                ) from None
        if text != obj.actual:
            _event(card, user, "edit", field=f"objective {obj.pk}", old=obj.actual, new=text)
            obj.actual = text
            obj.save(update_fields=["actual"])
            changed = True
    changed |= _set(card, user, "interview_on", _date(
        interview_on, _("Data del colloquio di feedback"), "interview_on"))
    changed |= _set(card, user, "evaluator_notes",
                    _text(notes, "evaluator_notes", _("Note del valutatore")))
    if changed:
        card.version += 1
        card.save()
    return card


@transaction.atomic
def self_evaluate(*, user: Any, card_id: int, version: int | None, scores: dict[str, str],
                  text: str = "", notes: str = "") -> em.Card:
    """The person's part: self-evaluation (scores and text) and their own notes."""
    card = _locked(card_id, version)
    scheme = selectors.scheme_for(card.plan.organisation_id, card.year)
    _check(user, card, scheme, "self")
    if scheme is None:
        raise Refused(_("Il SMVP dell'anno non è configurato."))
    new_scores = {}
    for code in scheme.category(card.category).behaviours:
        value = _score(scores.get(code, ""), scheme, scheme.behaviour(code).name,
                       f"self-{code}")
        if value is not None:
            new_scores[code] = value
    changed = _set(card, user, "self_scores", new_scores)
    changed |= _set(card, user, "self_assessment",
                    _text(text, "self_assessment", _("Autovalutazione")))
    changed |= _set(card, user, "evaluated_notes",
                    _text(notes, "evaluated_notes", _("Note del valutato")))
    if changed:
        card.version += 1
        card.save()
    return card


@transaction.atomic
def propose(*, user: Any, card_id: int, version: int | None, proposal: str) -> em.Card:
    """The OIV's proposal of a manager's evaluation (its scores are entered as
    ``evaluate``); the evaluator shares the card only after it."""
    card = _locked(card_id, version)
    scheme = selectors.scheme_for(card.plan.organisation_id, card.year)
    _check(user, card, scheme, "propose")
    text = _text(proposal, "oiv_proposal", _("Proposta dell'OIV"))
    if not text:
        raise Refused(_("Proposta dell'OIV: scrivi la proposta e le sue motivazioni."),
                      "oiv_proposal")
    _set(card, user, "oiv_proposal", text)
    card.oiv_proposed_at = timezone.now()
    card.version += 1
    card.save()
    _event(card, user, "propose", reason=text)
    return card


@transaction.atomic
def transition(*, user: Any, card_id: int, version: int | None, action: str,
               reason: str = "") -> em.Card:
    """share, acknowledge, contest, revise or finalise the card."""
    if action not in ("share", "acknowledge", "contest", "revise", "finalise"):
        raise Refused(_("Azione sconosciuta."))
    card = _locked(card_id, version)
    scheme = selectors.scheme_for(card.plan.organisation_id, card.year)
    _check(user, card, scheme, action)
    reason = _text(reason, "reason", _("Motivazione"))
    if action in ("contest", "revise") and not reason:
        raise Refused(_("Motivazione: serve una motivazione per questa azione."), "reason")
    if action == "finalise" and card.state == CardState.CONTESTED and not reason:
        raise Refused(_("Motivazione: chiudere una scheda contestata richiede l'esito "
                        "della conciliazione."), "reason")
    view = selectors.card_view(card, scheme=scheme)
    if action in ("share", "finalise") and (view.score is None or view.score.total is None):
        missing = "; ".join(translate(m) for m in (
            view.score.missing if view.score else [view.problem] if view.problem else []))
        raise Refused(_("La scheda non ha ancora un punteggio: %(missing)s") % {
            "missing": missing or "—"})
    if action == "share" and scheme is not None and oiv_reads(card, scheme) \
            and card.oiv_proposed_at is None:
        raise Refused(_("Per questa categoria l'OIV propone la valutazione: la scheda si "
                        "condivide dopo la proposta."))
    if action == "contest":
        card.contest_reason = reason
    if action == "finalise":
        assert scheme is not None and view.score is not None
        _check_distribution(card, scheme)
        card.final = score_as_data(view)
    _move(card, user, action, reason)
    return card


def _check_distribution(card: em.Card, scheme: Scheme) -> None:
    """Closing is refused while the category's distribution is too flat."""
    views = selectors.views_of(selectors.all_cards(plan_id=card.plan_id, year=card.year),
                               card.plan_id, card.year, scheme)
    dist = selectors.distribution([v for v in views if v.card.category == card.category],
                                  scheme)
    if dist.problems:
        raise Refused(_("La distribuzione dei punteggi non rispetta le regole di "
                        "differenziazione del SMVP: %(problems)s") % {
            "problems": "; ".join(translate(p) for p in dist.problems)})


def score_as_data(view: selectors.CardView) -> dict[str, Any]:
    s = view.score
    assert s is not None
    return {"components": [{"name": c.name, "weight": to_data(c.weight),
                            "achievement": to_data(c.achievement),
                            "points": to_data(c.points), "working": c.working}
                           for c in s.components],
            "total": to_data(s.total), "band": s.band.code if s.band else None,
            "coefficient": to_data(s.band.coefficient) if s.band else None,
            "working": s.working}


def record(card: em.Card, user: Any, action: str, *, reason: str = "") -> None:
    """Write a step of the card's history (for a change made outside these services,
    e.g. the bulk import)."""
    _event(card, user, action, reason=reason)
