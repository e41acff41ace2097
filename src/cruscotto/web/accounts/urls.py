from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.people, name="people"),
    path("persone.xlsx", views.export, name="export"),
]
