from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "cruscotto.web.measurements"
    label = "measurements"
    verbose_name = _("Misurazione")

    def ready(self) -> None:
        from django.core.signals import request_started

        from cruscotto.web.plans.signals import plan_changed

        from . import certification, results

        # a change of a plan's content that would move a certified figure is refused
        plan_changed.connect(certification.on_plan_changed,
                             dispatch_uid="measurements-certified-guard")
        # ... and an accepted one recomputes the plan's stored results (same transaction)
        plan_changed.connect(results.on_plan_changed, dispatch_uid="measurements-results")
        request_started.connect(results.start_request, dispatch_uid="measurements-stale")
