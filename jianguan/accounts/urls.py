from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("org/", views.org, name="org"),
    path("org/users/", views.users, name="users"),
]
