from django.urls import path

from . import abnormal_views, views

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
]
