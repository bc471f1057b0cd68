from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.events, name="events"),
    path("audit/verify/", views.verify, name="verify"),
    path("public/checkpoints/", views.public_checkpoints, name="public_checkpoints"),
    path("public/checkpoints.json", views.public_checkpoints_json, name="public_checkpoints_json"),
]
