from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("subjects/", views.entity_list, name="list"),
]
