from django.urls import path

from . import views

app_name = "coercion"
urlpatterns = [
    path("coercion/", views.index, name="index"),
    path("coercion/measures/new/", views.measure_create, name="measure_create"),
    path("coercion/measures/<int:measure_id>/", views.measure_detail, name="measure"),
    path("coercion/measures/<int:measure_id>/act/", views.measure_act, name="measure_act"),
    path("coercion/measures/<int:measure_id>/documents/<int:document_id>.pdf", views.measure_document,
         name="measure_document"),
    path("coercion/enforcements/new/", views.enforcement_create, name="enforcement_create"),
    path("coercion/enforcements/<int:enforcement_id>/", views.enforcement_detail, name="enforcement"),
    path("coercion/enforcements/<int:enforcement_id>/act/", views.enforcement_act, name="enforcement_act"),
    path("coercion/enforcements/<int:enforcement_id>/documents/<int:document_id>.pdf", views.enforcement_document,
         name="enforcement_document"),
]
