from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("opendata.zip", views.opendata_zip, name="opendata_zip"),
    path("opendata/<str:name>", views.opendata_file, name="opendata_file"),
    path("<slug:key>/", views.plan, name="plan"),
    path("<slug:key>/<int:year>/", views.plan, name="plan_year"),
    path("<slug:key>/relazione/<int:pk>/<str:fmt>/", views.edition_file,
         name="edition_file"),
    path("<slug:key>/documenti/<int:pk>/", views.document_file, name="document_file"),
    path("<slug:key>/opendata.zip", views.opendata_zip, name="plan_opendata_zip"),
]
