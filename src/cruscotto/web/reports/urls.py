from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("plans/<slug:key>/report/", views.report, name="report"),
    path("plans/<slug:key>/report/download/<str:fmt>/", views.download, name="download"),
]
