from django.urls import path

from . import views

app_name = "measurements"

urlpatterns = [
    path("plans/<slug:key>/updates/", views.my_updates, name="my_updates"),
    path("plans/<slug:key>/indicators/<str:code>/periods/<str:date>/", views.measure,
         name="measure"),
]
