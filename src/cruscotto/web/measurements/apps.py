from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "cruscotto.web.measurements"
    label = "measurements"
    verbose_name = _("Misurazione")

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.models.signals import post_migrate

        from cruscotto.web.plans.signals import plan_changed

        from . import certification, datatoken, results

        # a change of a plan's content that would move a certified figure is refused
        plan_changed.connect(certification.on_plan_changed,
                             dispatch_uid="measurements-certified-guard")
        # ... and an accepted one recomputes the plan's stored results (same transaction)
        plan_changed.connect(results.on_plan_changed, dispatch_uid="measurements-results")
        request_started.connect(results.start_request, dispatch_uid="measurements-stale")
        # the data token's column and triggers, put back after a migration that
        # remade their tables (datatoken: what the read path's cache is keyed by)
        post_migrate.connect(datatoken.on_post_migrate, sender=self,
                             dispatch_uid="measurements-data-token")
