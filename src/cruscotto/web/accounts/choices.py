"""The roles a person holds, with translated labels (Italian first)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.core.workflow import Role


class OrgRoleChoices(models.TextChoices):
    ADMIN = Role.ADMIN.value, _("amministratore")
    PLANNING = Role.PLANNING.value, _("controllo di gestione")
    OIV = Role.OIV.value, _("OIV")
    VIEWER = Role.VIEWER.value, _("lettore")


class CentreRoleChoices(models.TextChoices):
    MANAGER = Role.MANAGER.value, _("responsabile del centro")
    OFFICER = Role.OFFICER.value, _("referente del centro")


class PeopleAction(models.TextChoices):
    """What a change of people and roles was (the audit trail's ``action``)."""

    ADD = "add", _("persona aggiunta")
    INVITE = "invite", _("invito inviato")
    ROLE_ADDED = "role_added", _("ruolo dato")
    ROLE_REMOVED = "role_removed", _("ruolo tolto")
    MEMBERSHIP_ADDED = "membership_added", _("assegnazione a un centro")
    MEMBERSHIP_REMOVED = "membership_removed", _("tolto da un centro")
    DEACTIVATE = "deactivate", _("disattivata")
    REACTIVATE = "reactivate", _("riattivata")
