from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cruscotto.web.reports"
    label = "reports"
    verbose_name = "Relazioni"

    def ready(self) -> None:
        from cruscotto.web.measurements import datatoken

        # the report page and the public pages show these: a write changes the plan's
        # data token, so a page kept by the page cache is not served after it
        for table in ("reports_narrativeversion", "reports_edition", "reports_reportjob",
                      "reports_plandocument"):
            datatoken.watch(table)
