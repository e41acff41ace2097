"""Admin for the planning office: periods and deadlines, people's roles; history read-only.

Values and workflow states are changed only through the pages, the upload and
the API (the services check permissions and keep history), never here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect

from cruscotto.web.measurements import certification, results
from cruscotto.web.measurements import models as mm

# the plans app's models: registered from here, as their edits record plan versions
from . import plan_admin  # noqa: F401


@admin.register(mm.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("end_date", "plan", "year", "kind", "deadline")
    list_filter = ("plan", "kind", "year")
    fields = ("plan", "year", "end_date", "kind", "deadline")

    def save_model(self, request: Any, obj: Any, form: Any, change: Any) -> None:
        super().save_model(request, obj, form, change)
        # which period a growth target reads may have changed: certified figures refuse
        certification.guard(obj.plan_id)
        results.touched(obj.plan_id)

    def changeform_view(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:  # saved in a transaction: a refusal leaves nothing written
            return super().changeform_view(request, *args, **kwargs)
        except certification.CertifiedChange as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody adds, changes or deletes here (records, the audit trail)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(mm.CertifiedRecord)
class CertifiedRecordAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "period", "certified_at", "certified_by",
                    "superseded_at", "superseded_by")
    list_filter = ("plan",)
    search_fields = ("indicator_code",)


@admin.register(mm.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "action", "indicator_code", "field", "old", "new")
    list_filter = ("action", "plan")
    search_fields = ("indicator_code", "username", "field", "reason")


@admin.register(mm.TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "year", "previous_text", "text", "revised_on", "revised_by")
    list_filter = ("year",)


@admin.register(mm.Value)
class ValueAdmin(ReadOnlyAdmin):
    list_display = ("variable", "period", "number", "yes_no", "version", "updated_by",
                    "is_demo")
    list_filter = ("period", "is_demo")
    search_fields = ("variable",)
