from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.officer_home, name="officer_home"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("start/", views.assessment_start, name="assessment_start"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/criterion/", views.criterion_save, name="criterion_save"),
    path("<int:pk>/criterion/<int:criterion_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/prefill/", views.assessment_prefill, name="assessment_prefill"),
    path("<int:pk>/recall/", views.assessment_recall, name="assessment_recall"),
    path("<int:pk>/review/", views.assessment_review, name="assessment_review"),
    path("<int:pk>/review/start/", views.assessment_review_start, name="assessment_review_start"),
    path("<int:pk>/reopen/", views.assessment_reopen, name="assessment_reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("review/", views.reviewer_inbox, name="reviewer_inbox"),
    path("recognitions/", views.recognition_list, name="recognition_list"),
    path("recognitions/new/", views.recognition_create, name="recognition_create"),
    path("recognitions/<int:pk>/revoke/", views.recognition_revoke, name="recognition_revoke"),
    path("recognitions/<int:pk>/scan/", views.recognition_scan, name="recognition_scan"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/new/", views.registration_create, name="registration_create"),
    path("registrations/<int:pk>/delete/", views.registration_delete, name="registration_delete"),
]
