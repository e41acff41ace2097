"""Choice classes with translated labels (Italian first)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices  # noqa: F401

#: the labels of the workflow states live with the other display words
from cruscotto.web.display import StateChoices  # noqa: F401


class PeriodKind(models.TextChoices):
    YEAR_END = "year_end", _("fine anno")
    INTERIM = "interim", _("monitoraggio intermedio")
    #: the year before the plan: last values, for growth targets
    BASELINE = "baseline", _("anno base")
