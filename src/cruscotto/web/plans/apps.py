from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cruscotto.web.plans"
    label = "plans"
    verbose_name = _("Piani della performance")

    def ready(self) -> None:
        from . import signals

        signals.connect()
