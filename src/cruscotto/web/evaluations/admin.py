"""The admin: only who belongs to the personnel office. Cards are never in the admin
(personal data: read through the evaluation pages, which check who asks)."""

from django.contrib import admin

from . import models as em


@admin.register(em.StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role",)
