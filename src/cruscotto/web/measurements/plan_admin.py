"""The planning office's admin for plans (staff only, as every Django admin page).

Imports and re-imports go through ``services.write_plan``; the admin is for
corrections by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cruscotto.web.plans import models as m
from cruscotto.web.plans import services, signals

from . import authoring

admin.site.site_header = _("Cruscotto · amministrazione")
admin.site.site_title = _("Cruscotto")
admin.site.index_title = _("Ufficio di pianificazione e controllo")


#: where a row came from is recorded by the importer, not typed by hand
SOURCE_FIELDS = ("source_file", "source_line")


class PlanContentAdmin(admin.ModelAdmin):
    """An admin of rows that make up a plan: every saved form or deletion gives the
    plan a new revision and asks the layers above whether they accept the change
    (a certified figure must not move): a refusal rolls the whole form back and
    is shown as an error message on the same page."""

    def save_related(self, request: Any, form: Any, formsets: Any, change: Any) -> None:
        super().save_related(request, form, formsets, change)
        plan_id = signals.plan_of(form.instance)
        if plan_id is not None:
            signals.content_changed(plan_id)
            # an adopted plan changed by hand: a new version, with its differences
            authoring.record_change(plan_id, user=request.user, action="admin")

    def delete_model(self, request: Any, obj: Any) -> None:
        plan_id = signals.plan_of(obj)
        super().delete_model(request, obj)
        if plan_id is not None and not isinstance(obj, m.Plan):
            signals.content_changed(plan_id)
            authoring.record_change(plan_id, user=request.user, action="admin")

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with transaction.atomic():  # the admin's bulk deletion is not atomic by itself
            plans = {signals.plan_of(obj) for obj in queryset}
            super().delete_queryset(request, queryset)
            for plan_id in plans - {None}:
                if m.Plan.objects.filter(pk=plan_id).exists():
                    signals.content_changed(plan_id)

    def _refused(self, request: Any, exc: signals.ChangeRefused) -> HttpResponseRedirect:
        self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:  # the form is saved in a transaction: a refusal leaves nothing written
            return super().changeform_view(request, *args, **kwargs)
        except signals.ChangeRefused as exc:
            return self._refused(request, exc)

    def delete_view(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().delete_view(request, *args, **kwargs)
        except signals.ChangeRefused as exc:
            return self._refused(request, exc)

    def changelist_view(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:  # bulk deletion
            return super().changelist_view(request, *args, **kwargs)
        except signals.ChangeRefused as exc:
            return self._refused(request, exc)


@admin.register(m.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(m.Plan)
class PlanAdmin(PlanContentAdmin):
    list_display = ("title", "organisation", "first_year", "last_year", "key", "published",
                    "updated_at")
    fields = ("organisation", "key", "title", "first_year", "last_year", "years",
              "band_green", "band_yellow", "interim_dates", "deadline_days", "published",
              "published_at", *SOURCE_FIELDS,
              "updated_at")
    list_select_related = ("organisation",)
    list_filter = ("organisation", "published")
    search_fields = ("title", "key")
    # publishing goes through the actions (services.set_published checks who asks)
    readonly_fields = (*SOURCE_FIELDS, "updated_at", "published", "published_at")
    actions = ["publish", "unpublish"]

    def has_publish_permission(self, request: Any) -> bool:
        return services.may_publish(request.user)

    @admin.action(description=_("Pubblica i piani selezionati (trasparenza)"),
                  permissions=["publish"])
    def publish(self, request: Any, queryset: Any) -> None:
        self._set(request, queryset, published=True)

    @admin.action(description=_("Ritira dalla pubblicazione i piani selezionati"),
                  permissions=["publish"])
    def unpublish(self, request: Any, queryset: Any) -> None:
        self._set(request, queryset, published=False)

    def _set(self, request: Any, queryset: Any, *, published: bool) -> None:
        count = 0
        for plan in queryset:
            try:
                services.set_published(plan=plan, published=published, user=request.user)
            except services.NotAllowed:
                self.message_user(request, _(
                    "%(plan)s: non sei controllo di gestione né amministratore del suo ente"
                ) % {"plan": plan}, messages.ERROR)
                continue
            count += 1
        text = (ngettext("%(count)d piano pubblicato.", "%(count)d piani pubblicati.", count)
                if published else
                ngettext("%(count)d piano ritirato dalla pubblicazione.",
                         "%(count)d piani ritirati dalla pubblicazione.", count))
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


class ProgrammeInline(admin.TabularInline):
    model = m.Programme
    extra = 0
    fields = ("position", "code", "name", "budget", "budget_text")


@admin.register(m.Mission)
class MissionAdmin(PlanContentAdmin):
    readonly_fields = SOURCE_FIELDS
    list_display = ("code", "name", "plan")
    list_select_related = ("plan__organisation",)
    list_filter = ("plan",)
    search_fields = ("code", "name")
    inlines = [ProgrammeInline]


@admin.register(m.Programme)
class ProgrammeAdmin(PlanContentAdmin):
    readonly_fields = SOURCE_FIELDS
    list_display = ("code", "name", "mission", "budget")
    list_filter = ("mission__plan",)
    search_fields = ("code", "name")
    list_select_related = ("mission",)


class StrategicMissionInline(admin.TabularInline):
    model = m.StrategicObjectiveMission
    extra = 0
    autocomplete_fields = ("mission",)


@admin.register(m.StrategicObjective)
class StrategicObjectiveAdmin(PlanContentAdmin):
    readonly_fields = SOURCE_FIELDS
    list_display = ("code", "title", "plan")
    list_select_related = ("plan__organisation",)
    list_filter = ("plan",)
    search_fields = ("code", "title", "narrative")
    inlines = [StrategicMissionInline]


@admin.register(m.OperationalObjective)
class OperationalObjectiveAdmin(PlanContentAdmin):
    readonly_fields = SOURCE_FIELDS
    list_display = ("code", "title", "strategic", "plan")
    list_filter = ("plan",)
    search_fields = ("code", "title", "area")
    list_select_related = ("strategic", "plan__organisation")
    autocomplete_fields = ("strategic", "mission")


class TargetInline(admin.TabularInline):
    model = m.IndicatorTarget
    extra = 0
    fields = ("position", "year", "text")


class IndicatorCentreInline(admin.TabularInline):
    model = m.IndicatorCentre
    extra = 0
    autocomplete_fields = ("centre",)


class IndicatorDataSourceInline(admin.TabularInline):
    model = m.IndicatorDataSource
    extra = 0
    autocomplete_fields = ("data_source",)


@admin.register(m.Indicator)
class IndicatorAdmin(PlanContentAdmin):
    readonly_fields = SOURCE_FIELDS
    list_display = ("code", "name", "kind", "unit", "polarity", "weight", "plan")
    list_filter = ("plan", "kind", "polarity", "polarity_inferred")
    search_fields = ("code", "name", "description", "formula")
    list_select_related = ("plan__organisation",)
    autocomplete_fields = ("strategic", "operational", "mission")
    inlines = [TargetInline, IndicatorCentreInline, IndicatorDataSourceInline]
    fieldsets = (
        (None, {"fields": (
            "plan", "code", "position", "name", "description", "kind", "unit",
            "strategic", "operational", "mission", "programme_code", "formula_text")}),
        # the engine's reading of the plan's words above
        (_("Calcolo"), {"fields": (
            "formula", "measures", "polarity", "polarity_inferred", "weight")}),
        (_("Origine"), {"fields": SOURCE_FIELDS}),
    )


@admin.register(m.ResponsibilityCentre)
class ResponsibilityCentreAdmin(PlanContentAdmin):
    list_display = ("name", "key", "plan")
    list_select_related = ("plan__organisation",)
    list_filter = ("plan",)
    search_fields = ("name", "key")


@admin.register(m.DataSource)
class DataSourceAdmin(PlanContentAdmin):
    list_display = ("name", "key", "plan")
    list_select_related = ("plan__organisation",)
    list_filter = ("plan",)
    search_fields = ("name", "key")


@admin.register(m.Variable)
class VariableAdmin(PlanContentAdmin):
    list_display = ("name", "label", "kind", "unit", "source", "plan")
    list_select_related = ("plan__organisation", "source")
    list_filter = ("plan", "kind")
    search_fields = ("name", "label")
    autocomplete_fields = ("source",)


@admin.register(m.IndicatorTarget)
class IndicatorTargetAdmin(PlanContentAdmin):
    list_display = ("indicator", "year", "text")
    list_filter = ("year", "indicator__plan")
    search_fields = ("indicator__code", "text")
    list_select_related = ("indicator",)
    autocomplete_fields = ("indicator",)


@admin.register(m.IndicatorCentre)
class IndicatorCentreAdmin(PlanContentAdmin):
    list_display = ("indicator", "centre")
    list_filter = ("indicator__plan",)
    list_select_related = ("indicator", "centre")
    autocomplete_fields = ("indicator", "centre")


@admin.register(m.IndicatorDataSource)
class IndicatorDataSourceAdmin(PlanContentAdmin):
    list_display = ("indicator", "data_source")
    list_filter = ("indicator__plan",)
    list_select_related = ("indicator", "data_source")
    autocomplete_fields = ("indicator", "data_source")


@admin.register(m.StrategicObjectiveMission)
class StrategicObjectiveMissionAdmin(PlanContentAdmin):
    list_display = ("strategic", "mission")
    list_select_related = ("strategic", "mission")
    autocomplete_fields = ("strategic", "mission")
