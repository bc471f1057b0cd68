from django.urls import path

from . import abnormal_views, repair_views, serious_views, views

app_name = "credit"
urlpatterns = [
    path("credit/records/<int:record_id>/", views.record_detail, name="record"),
    path("credit/classes/", views.run_list, name="runs"),
    path("credit/classes/act/", views.run_act, name="run_act"),
    path("credit/abnormal/", abnormal_views.entry_list, name="abnormal"),
    path("credit/abnormal/propose/", abnormal_views.entry_propose, name="abnormal_propose"),
    path("credit/abnormal/xlsx/", abnormal_views.entry_export, name="abnormal_export"),
    path("credit/abnormal/<int:entry_id>/", abnormal_views.entry_detail, name="abnormal_entry"),
    path("credit/abnormal/<int:entry_id>/act/", abnormal_views.entry_act, name="abnormal_act"),
    path("credit/abnormal/<int:entry_id>/<str:which>.pdf", abnormal_views.entry_document, name="abnormal_document"),
    path("credit/serious/", serious_views.serious_list, name="serious_list"),
    path("credit/serious/propose/", serious_views.serious_propose, name="serious_propose"),
    path("credit/serious/<int:entry_id>/", serious_views.serious_detail, name="serious"),
    path("credit/serious/<int:entry_id>/act/", serious_views.serious_act, name="serious_act"),
    path("credit/repairs/", repair_views.repair_queue, name="repairs"),
    path("credit/repairs/new/", repair_views.repair_new, name="repair_new"),
    path("credit/repairs/<int:application_id>/", repair_views.repair_detail, name="repair"),
    path("credit/repairs/<int:application_id>/act/", repair_views.repair_act, name="repair_act"),
    path("public/credit/repair/", repair_views.public_form, name="repair_public"),
    path("public/credit/repair/status/", repair_views.public_status, name="repair_status"),
    path("credit/classes/whatif/", views.whatif_start, name="whatif_start"),
    path("credit/adjustments/propose/", views.adjustment_propose, name="adjustment_propose"),
    path("credit/adjustments/<int:adjustment_id>/act/", views.adjustment_act, name="adjustment_act"),
    path("credit/adjustments/<int:adjustment_id>/evidence/", views.adjustment_evidence, name="adjustment_evidence"),
]
