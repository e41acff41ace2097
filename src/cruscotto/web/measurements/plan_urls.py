"""The plan's reading pages (namespace ``plans``): overview, indicator, centres,
search, dashboards. They live here, above the plans app, because they show measured
figures."""

from django.urls import path

from . import authoring_views, editor_views, piao_views, reading_views
from . import plan_views as views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/import/", authoring_views.import_plan, name="import"),
    path("plans/<slug:key>/", views.overview, name="overview"),
    path("plans/<slug:key>/indicators/<str:code>/", views.indicator, name="indicator"),
    path("plans/<slug:key>/centres/", views.centre_list, name="centre_list"),
    path("plans/<slug:key>/centres/<str:centre_key>/", views.centre, name="centre"),
    path("plans/<slug:key>/search/", views.search, name="search"),
    path("plans/<slug:key>/dashboard/", views.dashboard, name="dashboard"),
    path("plans/<slug:key>/strategic/<str:code>/", views.strategic, name="strategic"),
    path("plans/<slug:key>/operational/<str:code>/", views.operational, name="operational"),
    # the planning office: workbook, lifecycle, versions, editor
    path("plans/<slug:key>/manage/", authoring_views.manage, name="manage"),
    path("plans/<slug:key>/manage/plan.xlsx", authoring_views.workbook, name="workbook"),
    path("plans/<slug:key>/versions/", authoring_views.versions, name="versions"),
    path("plans/<slug:key>/edit/formula/", editor_views.formula_check, name="formula_check"),
    path("plans/<slug:key>/edit/public-value/<str:ident>/", piao_views.edit_public_value,
         name="edit_public_value"),
    path("plans/<slug:key>/edit/reading/<str:code>/<int:year>/", reading_views.reading,
         name="reading"),
    path("plans/<slug:key>/edit/<str:kind>/<str:ident>/", editor_views.edit, name="edit"),
]
