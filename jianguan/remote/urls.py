from django.urls import path

from . import views

app_name = "remote"
urlpatterns = [
    path("remote/", views.board, name="board"),
    path("remote/points/new/", views.point_new, name="point_new"),
    path("remote/points/<int:point_id>/", views.point_detail, name="point"),
    path("remote/points/<int:point_id>/edit/", views.point_edit, name="point_edit"),
    path("remote/map/", views.survey_map, name="map"),
    path("remote/findings/new/", views.finding_new, name="finding_new"),
    path("remote/findings/<int:finding_id>/", views.finding_detail, name="finding"),
    path("remote/alarms/", views.alarm_queue, name="queue"),
    path("remote/alarms/<int:alarm_id>/", views.alarm_detail, name="alarm"),
    path("remote/alarms/<int:alarm_id>/act/", views.alarm_act, name="act"),
]
