"""Choice classes of the individual evaluation (Italian labels)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.core.appraisal import CardState


class CardStateChoices(models.TextChoices):
    DRAFT = CardState.DRAFT.value, _("bozza")
    SHARED = CardState.SHARED.value, _("condivisa con il valutato")
    ACKNOWLEDGED = CardState.ACKNOWLEDGED.value, _("presa visione")
    CONTESTED = CardState.CONTESTED.value, _("in conciliazione")
    FINAL = CardState.FINAL.value, _("definitiva")


class StaffRoleChoices(models.TextChoices):
    #: the personnel (HR) office: reads every card, finalises them, runs the overview.
    #: The planning office has the same rights (docs/evaluations.md)
    HR = "hr", _("ufficio personale")
