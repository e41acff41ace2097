from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cruscotto.web.reports"
    label = "reports"
    verbose_name = "Relazioni"
