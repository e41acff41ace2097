from django.urls import path

from . import document_views, piao_views, views

app_name = "reports"

urlpatterns = [
    path("plans/<slug:key>/report/", views.report, name="report"),
    path("plans/<slug:key>/report/download/<str:fmt>/", views.download, name="download"),
    path("plans/<slug:key>/report/narrative/", views.narrative_page, name="narrative"),
    path("plans/<slug:key>/report/approve/", views.approve, name="approve"),
    path("plans/<slug:key>/report/editions/<int:pk>/validation/", views.validate,
         name="validate"),
    path("plans/<slug:key>/report/editions/<int:pk>/<str:fmt>/", views.edition_file,
         name="edition_file"),
    path("plans/<slug:key>/report/documents/", document_views.documents_page,
         name="documents"),
    path("plans/<slug:key>/report/documents/<int:pk>/", document_views.document_file,
         name="document_file"),
    path("plans/<slug:key>/report/jobs/<uuid:pk>/", views.job, name="job"),
    path("plans/<slug:key>/report/jobs/<uuid:pk>/file/", views.job_file, name="job_file"),
    path("plans/<slug:key>/manage/piao-performance.docx", piao_views.piao_download,
         name="piao_docx"),
    path("plans/<slug:key>/report/jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
]
