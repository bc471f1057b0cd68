from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("risk/alerts/", views.alert_list, name="list"),
    path("risk/alerts/<int:alert_id>/", views.alert_detail, name="detail"),
    path("risk/alerts/<int:alert_id>/act/", views.alert_act, name="act"),
]
