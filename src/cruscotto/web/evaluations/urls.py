from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("plans/<slug:key>/valutazioni/", views.mine, name="mine"),
    path("plans/<slug:key>/valutazioni/<int:year>/", views.evaluator_list, name="evaluator"),
    path("plans/<slug:key>/valutazioni/<int:year>/<str:username>/", views.card,
         name="card"),
    path("plans/<slug:key>/riepilogo-valutazioni/<int:year>/", views.overview,
         name="overview"),
    path("plans/<slug:key>/riepilogo-valutazioni/<int:year>/importa/", views.import_cards,
         name="import"),
    path("trasparenza/<slug:key>/premi/<int:year>/", views.awards, name="awards"),
]
