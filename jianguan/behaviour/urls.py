from django.urls import path

from . import views

app_name = "behaviour"
urlpatterns = [
    path("records/<str:kind>/<int:record_id>/", views.record_detail, name="record"),
]
