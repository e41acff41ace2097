from django.urls import path

from . import campaign_views, mail_views, period_views, upload_views, views

app_name = "measurements"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("mails/", mail_views.sent_mails, name="sent_mails"),
    path("mails/language/", mail_views.mail_language, name="mail_language"),
    path("plans/<slug:key>/updates/", views.my_updates, name="my_updates"),
    path("plans/<slug:key>/updates/bulk/", views.bulk, name="bulk"),
    path("plans/<slug:key>/indicators/<str:code>/periods/<str:date>/", views.measure,
         name="measure"),
    path("plans/<slug:key>/indicators/<str:code>/periods/<str:date>/evidence/<int:pk>/",
         views.evidence_file, name="evidence"),
    path("plans/<slug:key>/periods/", period_views.periods, name="periods"),
    path("plans/<slug:key>/periods/<str:date>/campaign/", campaign_views.campaign,
         name="campaign"),
    path("plans/<slug:key>/upload/", upload_views.upload, name="upload"),
    path("plans/<slug:key>/upload/template.csv", upload_views.template_csv,
         name="upload_template_csv"),
    path("plans/<slug:key>/upload/template.xlsx", upload_views.template_xlsx,
         name="upload_template_xlsx"),
]
