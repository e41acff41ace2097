"""People's roles: organisation-wide roles and memberships of responsibility centres.

The tables keep the names they had when these models lived in the
measurements app (``measurements_orgrole``, ``measurements_centremembership``),
so existing databases move without copying a row. The plans app is named by
string only: accounts sits below plans in the layers (pyproject.toml).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices


class OrgRole(models.Model):
    """An organisation-wide role: administrator, planning office, OIV, viewer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="org_roles", verbose_name=_("utente"))
    role = models.CharField(_("ruolo"), max_length=20, choices=OrgRoleChoices.choices)

    class Meta:
        db_table = "measurements_orgrole"
        verbose_name = _("ruolo nell'ente")
        verbose_name_plural = _("ruoli nell'ente")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="meas_orgrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


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
