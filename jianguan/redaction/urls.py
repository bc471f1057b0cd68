from django.urls import path

from . import views

app_name = "redaction"

urlpatterns = [
    path("redaction/rules/", views.rules_page, name="rules"),
]
