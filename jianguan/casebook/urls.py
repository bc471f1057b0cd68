from django.urls import path

from . import views

app_name = "casebook"
urlpatterns = [
    path("casebook/", views.entry_list, name="list"),
    path("casebook/typical/new/", views.typical_new, name="typical_new"),
    path("casebook/<int:entry_id>/", views.entry_detail, name="entry"),
    path("casebook/<int:entry_id>/act/", views.entry_act, name="entry_act"),
    path("casebook/cases/<str:number>/similar/", views.case_similar, name="similar"),
]
