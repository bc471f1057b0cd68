from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/field/", views.field, name="field"),
    path("inspections/due/", views.due, name="due"),
    path("inspections/sw.js", views.service_worker, name="sw"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="detail"),
    path("inspections/<int:inspection_id>/signature.png", views.signature, name="signature"),
    path("inspections/<int:inspection_id>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("inspections/<int:inspection_id>/documents/<int:document_id>/", views.document, name="document"),
]
