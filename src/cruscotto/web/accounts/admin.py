from __future__ import annotations

from django.contrib import admin

from cruscotto.web.accounts import models as am


@admin.register(am.OrgRole)
class OrgRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role",)


@admin.register(am.CentreMembership)
class CentreMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "centre", "role")
    list_filter = ("role", "centre__plan")
    search_fields = ("user__username", "centre__name")
