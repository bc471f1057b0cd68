from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("credit/records/<int:record_id>/", views.record_detail, name="record"),
    path("credit/classes/", views.run_list, name="runs"),
    path("credit/classes/act/", views.run_act, name="run_act"),
    path("credit/classes/whatif/", views.whatif_start, name="whatif_start"),
    path("credit/adjustments/propose/", views.adjustment_propose, name="adjustment_propose"),
    path("credit/adjustments/<int:adjustment_id>/act/", views.adjustment_act, name="adjustment_act"),
    path("credit/adjustments/<int:adjustment_id>/evidence/", views.adjustment_evidence, name="adjustment_evidence"),
]
