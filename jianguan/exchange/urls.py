from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("exchange/upload/", views.upload, name="upload"),
    path("exchange/calls/<int:call_id>/", views.call_detail, name="call"),
    path("exchange/repairs/", views.repair_list, name="repairs"),
    path("exchange/repairs/<int:item_id>/", views.repair_detail, name="repair"),
    path("exchange/repairs/<int:item_id>/dismiss/", views.repair_dismiss, name="repair_dismiss"),
    path("exchange/monitor/", views.monitor, name="monitor"),
    path("exchange/batches/<int:batch_id>/", views.batch_detail, name="batch"),
]
