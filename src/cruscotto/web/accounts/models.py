"""People's roles: organisation-wide roles and memberships of responsibility centres.

The tables keep the names they had when these models lived in the
measurements app (``measurements_orgrole``, ``measurements_centremembership``),
so existing databases move without copying a row. The plans app is named by
string only: accounts sits below plans in the layers (pyproject.toml).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices, PeopleAction


class OrgRole(models.Model):
    """A role in one organisation: administrator, planning office, OIV, viewer.

    One installation may host several organisations; a role counts only on the
    plans of its organisation (:func:`cruscotto.web.accounts.permissions.actor_for`).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="org_roles", verbose_name=_("utente"))
    organisation = models.ForeignKey("plans.Organisation", on_delete=models.CASCADE,
                                     related_name="roles", verbose_name=_("ente"))
    role = models.CharField(_("ruolo"), max_length=20, choices=OrgRoleChoices.choices)

    class Meta:
        db_table = "measurements_orgrole"
        verbose_name = _("ruolo nell'ente")
        verbose_name_plural = _("ruoli nell'ente")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"],
                                    name="accounts_orgrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class CentreMembership(models.Model):
    """A person's role in a responsibility centre: manager or officer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="centre_memberships", verbose_name=_("utente"))
    centre = models.ForeignKey("plans.ResponsibilityCentre", on_delete=models.CASCADE,
                               related_name="memberships", verbose_name=_("centro"))
    role = models.CharField(_("ruolo"), max_length=20, choices=CentreRoleChoices.choices)

    class Meta:
        db_table = "measurements_centremembership"
        verbose_name = _("componente di un centro")
        verbose_name_plural = _("componenti dei centri")
        constraints = [
            models.UniqueConstraint(fields=["user", "centre", "role"],
                                    name="meas_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.centre} ({self.get_role_display()})"


class PeopleEvent(models.Model):
    """Who changed whom, when: an invitation, a role given or taken, a deactivation.

    The audit trail of people and roles; like the measurement's, it is never
    changed or deleted.
    """

    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("chi"))
    #: who did it, as text (kept if the person is deleted; "riga di comando" for scripts)
    username = models.CharField(_("utente"), max_length=150, blank=True)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("persona"))
    subject_username = models.CharField(_("nome utente della persona"), max_length=150)
    organisation = models.ForeignKey("plans.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("ente"))
    action = models.CharField(_("azione"), max_length=40, choices=PeopleAction.choices)
    #: the role or membership concerned, as text ("planning", "officer: Risorse...")
    detail = models.CharField(_("dettaglio"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("modifica di persone e ruoli")
        verbose_name_plural = _("registro delle persone e dei ruoli")
        ordering = ["at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("PeopleEvent rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("PeopleEvent rows are never deleted")
