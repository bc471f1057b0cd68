from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.index, name="index"),
    path("documents/<int:document_id>/", views.detail, name="detail"),
    path("documents/<int:document_id>/pdf/", views.download, name="download"),
    path("documents/<int:document_id>/render/", views.render_retry, name="render_retry"),
    path("documents/templates/", views.templates, name="templates"),
    path("documents/templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("documents/templates/<str:kind>/preview/", views.template_preview, name="template_preview"),
    path("documents/templates/<str:kind>/versions/<int:version>/", views.template_version, name="template_version"),
]
