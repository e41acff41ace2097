from django.contrib import admin
from django.urls import include, path

from cruscotto.web.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("trasparenza/", include("cruscotto.web.public.urls")),
    path("", include("cruscotto.web.evaluations.urls")),
    path("", include("cruscotto.web.measurements.urls")),
    path("", include("cruscotto.web.reports.urls")),
    path("", include("cruscotto.web.plans.urls")),
]
