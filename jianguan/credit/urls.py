from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("credit/records/<int:record_id>/", views.record_detail, name="record"),
    path("credit/classes/", views.run_list, name="runs"),
    path("credit/classes/act/", views.run_act, name="run_act"),
]
