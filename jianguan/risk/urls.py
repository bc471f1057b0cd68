from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("risk/alerts/", views.alert_list, name="list"),
    path("risk/alerts/<int:alert_id>/", views.alert_detail, name="detail"),
    path("risk/alerts/<int:alert_id>/act/", views.alert_act, name="act"),
    path("risk/report/", views.risk_report, name="report"),
    path("risk/report/pdf/", views.report_pdf, name="report_pdf"),
    path("risk/report/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("risk/registers/", views.register_list, name="registers"),
    path("risk/registers/template/", views.register_template, name="register_template"),
    path("risk/registers/<int:import_id>/", views.register_detail, name="register"),
]
