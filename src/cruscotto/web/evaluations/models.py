"""Individual performance as stored: the SMVP of a year, the cards, their history.

Rows change only through :mod:`cruscotto.web.evaluations.services`; cards are
read only through :mod:`cruscotto.web.evaluations.selectors`, which decide who
may see them (:mod:`cruscotto.web.evaluations.permissions`). Cards are never in
the admin, the API or the open data: the public sees only the aggregate of
``/trasparenza/<key>/premi/<year>/``, with no names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.web.plans import models as plans

from .choices import CardStateChoices, StaffRoleChoices

#: free texts are bounded (the history keeps them forever)
NOTE_LENGTH = 4000
TITLE_LENGTH = 300
TARGET_LENGTH = 200
VALUE_LENGTH = 50
CODE_LENGTH = 40


class Scheme(models.Model):
    """The SMVP of one organisation and year, as configured (checked by
    :func:`cruscotto.core.appraisal.parse_scheme` before it is stored)."""

    organisation = models.ForeignKey(plans.Organisation, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("ente"))
    year = models.PositiveIntegerField(_("anno"))
    data = models.JSONField(_("configurazione"))
    source = models.CharField(_("file di origine"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("caricato il"), auto_now=True)
    is_demo = models.BooleanField(_("dati dimostrativi"), default=False)

    class Meta:
        verbose_name = _("SMVP dell'anno")
        verbose_name_plural = _("SMVP degli anni")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"],
                                               name="eval_scheme_unique")]


class StaffRole(models.Model):
    """An organisation-wide role of the evaluation: the personnel (HR) office.

    Kept apart from ``accounts.OrgRole`` (whose roles are the measurement workflow's);
    like those, it holds in one organisation only. The planning office has the same
    rights on cards.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="staff_roles", verbose_name=_("utente"))
    organisation = models.ForeignKey(plans.Organisation, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("ente"))
    role = models.CharField(_("ruolo"), max_length=20, choices=StaffRoleChoices.choices)

    class Meta:
        verbose_name = _("ruolo nella valutazione")
        verbose_name_plural = _("ruoli nella valutazione")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"],
                                               name="eval_staffrole_unique")]


class Card(models.Model):
    """One person's evaluation for one year of a plan."""

    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("piano"))
    year = models.PositiveIntegerField(_("anno"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="evaluation_cards", verbose_name=_("valutato"))
    #: a category code of the year's SMVP
    category = models.CharField(_("categoria"), max_length=CODE_LENGTH)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="cards_to_evaluate", null=True, blank=True,
                                  verbose_name=_("valutatore"))
    centres = models.ManyToManyField(plans.ResponsibilityCentre, related_name="+",
                                     blank=True, verbose_name=_("centri"))
    state = models.CharField(_("stato"), max_length=20, choices=CardStateChoices.choices,
                             default=CardStateChoices.DRAFT)
    #: optimistic locking: every change increments it; a stale form is refused
    version = models.PositiveIntegerField(_("versione"), default=1)
    #: behaviour code -> score given by the evaluator
    behaviour_scores = models.JSONField(_("punteggi dei comportamenti"), default=dict,
                                        blank=True)
    #: behaviour code -> score the person gives themself (self-evaluation)
    self_scores = models.JSONField(_("autovalutazione dei comportamenti"), default=dict,
                                   blank=True)
    self_assessment = models.TextField(_("autovalutazione"), blank=True,
                                       max_length=NOTE_LENGTH)
    interview_on = models.DateField(_("data del colloquio di feedback"), null=True,
                                    blank=True)
    evaluator_notes = models.TextField(_("note del valutatore"), blank=True,
                                       max_length=NOTE_LENGTH)
    evaluated_notes = models.TextField(_("note del valutato"), blank=True,
                                       max_length=NOTE_LENGTH)
    contest_reason = models.TextField(_("richiesta di revisione"), blank=True,
                                      max_length=NOTE_LENGTH)
    oiv_proposal = models.TextField(_("proposta dell'OIV"), blank=True,
                                    max_length=NOTE_LENGTH)
    oiv_proposed_at = models.DateTimeField(_("proposta dell'OIV il"), null=True, blank=True)
    #: the score as it was when the card became final (components, total, band)
    final = models.JSONField(_("punteggio definitivo"), null=True, blank=True)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)
    is_demo = models.BooleanField(_("dati dimostrativi"), default=False)

    class Meta:
        verbose_name = _("scheda di valutazione")
        verbose_name_plural = _("schede di valutazione")
        ordering = ["plan", "year", "person__username"]
        constraints = [models.UniqueConstraint(fields=["plan", "year", "person"],
                                               name="eval_card_unique")]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"


class Objective(models.Model):
    """An individual objective of a card: a target read like the plan's, and its result."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="objectives",
                             verbose_name=_("scheda"))
    position = models.PositiveIntegerField(_("posizione"), default=0)
    title = models.CharField(_("obiettivo"), max_length=TITLE_LENGTH)
    weight = models.DecimalField(_("peso"), max_digits=7, decimal_places=2, default=1)
    unit = models.CharField(_("unità di misura"), max_length=50, blank=True)
    polarity = models.CharField(_("polarità"), max_length=10, default="higher")
    target = models.CharField(_("target"), max_length=TARGET_LENGTH)
    #: the result as written (a number in Italian format, or sì/no)
    actual = models.CharField(_("risultato"), max_length=VALUE_LENGTH, blank=True)

    class Meta:
        verbose_name = _("obiettivo individuale")
        verbose_name_plural = _("obiettivi individuali")
        ordering = ["card", "position", "pk"]


class CardEvent(models.Model):
    """A card's history: who did what, when, from which value to which, and why.
    Append-only, like the measurement's audit trail."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="events",
                             verbose_name=_("scheda"))
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("chi"))
    username = models.CharField(_("utente"), max_length=150, blank=True)
    action = models.CharField(_("azione"), max_length=40)
    field = models.CharField(_("campo"), max_length=100, blank=True)
    old = models.TextField(_("valore precedente"), blank=True)
    new = models.TextField(_("nuovo valore"), blank=True)
    reason = models.TextField(_("motivo"), blank=True)

    class Meta:
        verbose_name = _("evento di una scheda")
        verbose_name_plural = _("storia delle schede")
        ordering = ["at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("CardEvent rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("CardEvent rows are never deleted")
