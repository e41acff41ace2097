from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cruscotto.web.plans"
    label = "plans"
    verbose_name = _("Piani della performance")

    def ready(self) -> None:
        from django.utils.translation import gettext

        from cruscotto.core.messages import set_translator

        from . import signals

        # the engine's messages (cruscotto.core.messages) read in the reader's language
        set_translator(gettext)

        signals.connect()
