from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("public/complaints/", views.public_form, name="public_form"),
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/import/", views.hotline_import, name="import"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("complaints/<int:complaint_id>/act/", views.complaint_act, name="act"),
]
