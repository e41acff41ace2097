"""Choice classes with translated labels (Italian first); values are the core's."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.core.targets import Polarity
from cruscotto.core.values import VariableKind


class PolarityChoices(models.TextChoices):
    HIGHER = Polarity.HIGHER_IS_BETTER.value, _("più alto è meglio")
    LOWER = Polarity.LOWER_IS_BETTER.value, _("più basso è meglio")
    BAND = Polarity.TARGET_BAND.value, _("restare al target")


class VariableKindChoices(models.TextChoices):
    NUMBER = VariableKind.NUMBER.value, _("numero")
    YES_NO = VariableKind.YES_NO.value, _("sì/no")


class PlanStatusChoices(models.TextChoices):
    DRAFT = "draft", _("bozza")
    ADOPTED = "adopted", _("adottato")
