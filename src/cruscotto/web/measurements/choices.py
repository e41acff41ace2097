"""Choice classes with translated labels (Italian first)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.core.workflow import State
from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices  # noqa: F401


class StateChoices(models.TextChoices):
    DRAFT = State.DRAFT.value, _("bozza")
    SUBMITTED = State.SUBMITTED.value, _("inviato")
    VALIDATED = State.VALIDATED.value, _("validato")
    RETURNED = State.RETURNED.value, _("restituito")
    CERTIFIED = State.CERTIFIED.value, _("certificato")


class PeriodKind(models.TextChoices):
    YEAR_END = "year_end", _("fine anno")
    INTERIM = "interim", _("monitoraggio intermedio")
    #: the year before the plan: last values, for growth targets
    BASELINE = "baseline", _("anno base")
