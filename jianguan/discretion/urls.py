from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "discretion"
urlpatterns = [
    path("discretion/", views.benchmark_list, name="list"),
    path("discretion/<int:benchmark_id>/", login_required(views.benchmark_detail), name="detail"),
]
