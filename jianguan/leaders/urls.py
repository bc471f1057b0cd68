from django.urls import path

from . import views

app_name = "leaders"
urlpatterns = [
    path("leaders/", views.dashboard, name="board"),
    path("leaders/refresh/", views.refresh, name="refresh"),
]
