"""Choices of the reports app, with their translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What an official document of a plan is (in the order the public page lists them)."""

    PLAN = "piano", _("Piano della Performance / PIAO")
    ADOPTION = "adozione", _("Atto di adozione")
    UPDATE = "aggiornamento", _("Aggiornamento o rimodulazione")
    SMVP = "smvp", _("Sistema di misurazione e valutazione (SMVP)")
    OTHER = "altro", _("Altro documento")
