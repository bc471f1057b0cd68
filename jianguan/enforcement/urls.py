from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("complaints/<int:complaint_id>/clue/", views.clue_from_complaint, name="clue_from_complaint"),
]
