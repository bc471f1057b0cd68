from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("subjects/", views.entity_list, name="list"),
    path("subjects/<str:uscc>/", views.entity_detail, name="detail"),
]
