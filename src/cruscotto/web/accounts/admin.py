from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cruscotto.web.accounts import models as am


@admin.register(am.OrgRole)
class OrgRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("organisation", "role")


@admin.register(am.CentreMembership)
class CentreMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "centre", "role")
    list_filter = ("role", "centre__plan")
    search_fields = ("user__username", "centre__name")


@admin.register(am.PeopleEvent)
class PeopleEventAdmin(admin.ModelAdmin):
    """The audit trail of people and roles: read only, as the measurement's."""

    list_display = ("at", "username", "subject_username", "action", "detail", "organisation")
    list_filter = ("action", "organisation")
    search_fields = ("username", "subject_username", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
