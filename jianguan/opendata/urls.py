from django.urls import path

from . import feeds, views

app_name = "opendata"
urlpatterns = [
    path("public/opendata/", views.index, name="index"),
    path("public/opendata/<str:name>", views.download, name="file"),
    path("public/disclosure/feed.atom", feeds.DecisionFeed(), name="feed"),
]
