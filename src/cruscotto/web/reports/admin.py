"""The plan's official documents in the admin: read only.

A document is attached and withdrawn (with a reason) on the planning office's page
and with ``cruscotto plan documents``, which keep the audit trail; it is never
changed nor deleted, here neither. The file is offered through the office's
download (not the storage's address).
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cruscotto.web.measurements.admin import ReadOnlyAdmin
from cruscotto.web.reports.models import PlanDocument


@admin.register(PlanDocument)
class PlanDocumentAdmin(ReadOnlyAdmin):
    list_display = ("plan", "kind", "title", "published", "withdrawn_at", "uploaded_at")
    list_display_links = ("title",)
    list_filter = ("kind", "plan")
    search_fields = ("title", "act_number", "original_name", "sha256", "plan__key",
                     "withdrawal_reason")
    list_select_related = ("plan",)
    date_hierarchy = "uploaded_at"
    fields = ("plan", "kind", "title", "act_number", "act_date", "download", "original_name",
              "fmt", "size", "sha256", "uploaded_at", "uploaded_by_name", "published",
              "withdrawn_at", "withdrawn_by_name", "withdrawal_reason")
    readonly_fields = fields

    @admin.display(boolean=True, description=_("pubblicato"))
    def published(self, obj: PlanDocument) -> bool:
        """On /trasparenza/<key>/: not withdrawn, of a published plan."""
        return bool(obj.plan.published and obj.is_public)

    @admin.display(description=_("file"))
    def download(self, obj: PlanDocument) -> str:
        url = reverse("reports:document_file", kwargs={"key": obj.plan.key, "pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.original_name)
