from django.urls import path

from . import views

app_name = "laws"
urlpatterns = [
    path("laws/", views.law_search, name="search"),
    path("laws/p/<path:pid>/", views.provision, name="provision"),
]
