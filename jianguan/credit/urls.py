from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("credit/records/<int:record_id>/", views.record_detail, name="record"),
]
