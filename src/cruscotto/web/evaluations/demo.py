"""Demonstration evaluation cards for 2021 (``cruscotto demo``), marked as such.

The shipped example SMVP is configured for the plan's organisation (when it
has none for 2021), a demo general secretary (``demo-segretario``) evaluates
the managers, and the demo people get a card each, through the workflow:

- ``demo-responsabile`` (manager of *Comunicazione sistemi informativi e
  sviluppo delle imprese*, category *dirigenti*): proposed by the OIV, shared,
  acknowledged and final;
- ``demo-referente`` (the same centre, *personale*), evaluated by
  ``demo-responsabile``: shared, waiting for the acknowledgement;
- ``demo-referente-b`` (*Risorse e patrimonio*, *personale*): a draft.

Safe to repeat: a person with a 2021 card keeps it.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from cruscotto.data import DATA_DIR
from cruscotto.web.plans import models as pm

from . import models as em
from . import services

EXAMPLE = DATA_DIR / "smvp_example.yaml"
YEAR = 2021
CENTRE_A = "Comunicazione sistemi informativi e sviluppo delle imprese"
CENTRE_B = "Risorse e patrimonio"
NOTE = "[DEMO] "


def _user(username: str, first: str = "", last: str = "") -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(username)  # demonstration only, printed at start
        user.first_name, user.last_name = first, last
        user.save()
    return user


def _objective(title: str, target: str, actual: str, *, unit: str = "percentuale",
               polarity: str = "higher", weight: int = 1) -> dict[str, Any]:
    return {"title": NOTE + title, "target": target, "actual": actual, "unit": unit,
            "polarity": polarity, "weight": weight}


@transaction.atomic
def load_demo_cards(*, plan: pm.Plan) -> list[str]:
    """The 2021 demo cards of ``plan``; returns the usernames with a card."""
    if not em.Scheme.objects.filter(organisation=plan.organisation, year=YEAR).exists():
        services.configure(organisation=plan.organisation,
                           data=yaml.safe_load(EXAMPLE.read_text("utf-8")),
                           source=EXAMPLE.name, is_demo=True)
    User = get_user_model()
    names = set(User.objects.filter(username__in=[
        "demo-responsabile", "demo-referente", "demo-referente-b", "demo-oiv",
        "demo-controllo"]).values_list("username", flat=True))
    centres = {c.name: c for c in pm.ResponsibilityCentre.objects.filter(plan=plan)}
    if not {"demo-oiv", "demo-controllo"} <= names:
        return []
    secretary = _user("demo-segretario", "Segretario", "Generale (demo)")
    oiv = User.objects.get(username="demo-oiv")
    office = User.objects.get(username="demo-controllo")
    done: list[str] = []

    def card(username: str, **kw: Any) -> Any:
        person = User.objects.get(username=username)
        existing = em.Card.objects.filter(plan=plan, year=YEAR, person=person).first()
        if existing is not None:
            return None
        return services.create_card(plan=plan, year=YEAR, person=person, is_demo=True,
                                    by=office, **kw)

    if "demo-responsabile" in names and CENTRE_A in centres:
        c = card("demo-responsabile", category="dirigenti", evaluator=secretary,
                 centres=[centres[CENTRE_A]], objectives=[
                     _objective("Pratiche del registro imprese evase in via telematica",
                                "≥ 90%", "93,5"),
                     _objective("Tempo medio di evasione delle pratiche (giorni)", "≤ 5",
                                "6", unit="giorni", polarity="lower", weight=2)])
        if c is not None:
            services.evaluate(user=oiv, card_id=c.pk, version=None, scores={
                "leadership": "4", "differenziazione": "3", "problem_solving": "4",
                "collaborazione": "5"}, results={}, notes="")
            services.propose(user=oiv, card_id=c.pk, version=None, proposal=NOTE + (
                "Proposta dell'OIV: obiettivi del centro in gran parte raggiunti; "
                "da migliorare la differenziazione dei giudizi sui collaboratori."))
            services.evaluate(user=secretary, card_id=c.pk, version=None, scores={
                "leadership": "4", "differenziazione": "3", "problem_solving": "4",
                "collaborazione": "5"}, results={}, interview_on="15/02/2022",
                notes=NOTE + "Colloquio svolto; condivisa la proposta dell'OIV.")
            person = User.objects.get(username="demo-responsabile")
            services.self_evaluate(user=person, card_id=c.pk, version=None, scores={
                "leadership": "4", "differenziazione": "4", "problem_solving": "4",
                "collaborazione": "5"}, text=NOTE + "Anno impegnativo, obiettivi raggiunti.",
                notes=NOTE + "Chiedo più risorse per il 2022.")
            services.transition(user=secretary, card_id=c.pk, version=None, action="share")
            services.transition(user=person, card_id=c.pk, version=None,
                                action="acknowledge")
            services.transition(user=office, card_id=c.pk, version=None, action="finalise")
            done.append("demo-responsabile")
    if "demo-referente" in names and "demo-responsabile" in names and CENTRE_A in centres:
        manager = User.objects.get(username="demo-responsabile")
        c = card("demo-referente", category="personale", evaluator=manager,
                 centres=[centres[CENTRE_A]], objectives=[
                     _objective("Aggiornamento delle pagine del sito istituzionale",
                                "sì", "sì", unit="realizzazione")])
        if c is not None:
            services.evaluate(user=manager, card_id=c.pk, version=None, scores={
                "collaborazione": "4", "orientamento_utenza": "5", "affidabilita": "4"},
                results={}, interview_on="20/02/2022",
                notes=NOTE + "Ottima disponibilità verso gli utenti.")
            services.transition(user=manager, card_id=c.pk, version=None, action="share")
            done.append("demo-referente")
    if "demo-referente-b" in names and CENTRE_B in centres:
        c = card("demo-referente-b", category="personale", evaluator=secretary,
                 centres=[centres[CENTRE_B]], objectives=[
                     _objective("Inventario dei beni mobili aggiornato", "sì", "",
                                unit="realizzazione")])
        if c is not None:
            done.append("demo-referente-b")
    return done
