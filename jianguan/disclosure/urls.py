from django.urls import path

from . import public_views, views

app_name = "disclosure"
urlpatterns = [
    path("disclosure/", views.item_list, name="items"),
    path("disclosure/<int:item_id>/", views.item_detail, name="item"),
    path("disclosure/<int:item_id>/act/", views.item_act, name="item_act"),
    path("public/disclosure/", public_views.public_list, name="public_list"),
    path("public/disclosure/prior/", public_views.prior_index, name="public_prior_index"),
    path("public/disclosure/prior/<int:department_id>/", public_views.prior_department, name="public_prior"),
    path("public/disclosure/during/", public_views.during, name="public_during"),
    path("public/disclosure/<str:number>/", public_views.public_item, name="public_item"),
    path("public/entities/<str:uscc>/", public_views.entity, name="public_entity"),
    path("public/disclosure/<str:number>/decision.pdf", public_views.public_pdf, name="public_pdf"),
]
