"""The plan's reading pages (namespace ``plans``): overview, indicator, centres,
search, dashboards. They live here, above the plans app, because they show measured
figures."""

from django.urls import path

from . import plan_views as views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:key>/", views.overview, name="overview"),
    path("plans/<slug:key>/indicators/<str:code>/", views.indicator, name="indicator"),
    path("plans/<slug:key>/centres/", views.centre_list, name="centre_list"),
    path("plans/<slug:key>/centres/<str:centre_key>/", views.centre, name="centre"),
    path("plans/<slug:key>/search/", views.search, name="search"),
    path("plans/<slug:key>/dashboard/", views.dashboard, name="dashboard"),
    path("plans/<slug:key>/strategic/<str:code>/", views.strategic, name="strategic"),
    path("plans/<slug:key>/operational/<str:code>/", views.operational, name="operational"),
]
