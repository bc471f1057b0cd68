from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("enforcement/cases/", views.case_list, name="cases"),
    path("enforcement/cases/new/", views.case_new, name="case_new"),
    path("enforcement/cases/<int:case_id>/", views.case_detail, name="case"),
    path("enforcement/cases/<int:case_id>/act/", views.case_act, name="case_act"),
    path("enforcement/cases/<int:case_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("enforcement/cases/<int:case_id>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("enforcement/cases/<int:case_id>/documents/<int:document_id>/", views.document_pdf, name="document"),
    path("enforcement/cases/<int:case_id>/file/", views.case_file, name="case_file"),
    path("enforcement/deadlines/", views.deadlines, name="deadlines"),
    path("complaints/<int:complaint_id>/clue/", views.clue_from_complaint, name="clue_from_complaint"),
    path("risk/alerts/<int:alert_id>/clue/", views.clue_from_alert, name="clue_from_alert"),
]
