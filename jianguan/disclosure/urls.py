from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("disclosure/", views.item_list, name="items"),
    path("disclosure/<int:item_id>/", views.item_detail, name="item"),
    path("disclosure/<int:item_id>/act/", views.item_act, name="item_act"),
]
