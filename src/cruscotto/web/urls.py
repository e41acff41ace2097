from django.contrib import admin
from django.urls import include, path

from cruscotto.web.accounts import views as accounts_views
from cruscotto.web.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", accounts_views.Login.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("oidc/", include("cruscotto.web.accounts.sso")),
    path("people/", include("cruscotto.web.accounts.urls")),
    path("trasparenza/", include("cruscotto.web.public.urls")),
    path("", include("cruscotto.web.evaluations.urls")),
    path("", include("cruscotto.web.measurements.urls")),
    path("", include("cruscotto.web.reports.urls")),
    path("", include("cruscotto.web.measurements.plan_urls")),
]
