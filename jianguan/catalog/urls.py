from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("catalog/", views.item_list, name="list"),
    path("catalog/items/<str:code>/", views.item_detail, name="item"),
    path("catalog/items/<str:code>/diff/", views.item_diff, name="diff"),
    path("catalog/items/<str:code>/claim/", views.claim, name="claim"),
    path("catalog/claims/", views.claims, name="claims"),
    path("catalog/claims/guide/", views.guide, name="guide"),
    path("catalog/changes/", views.changes, name="changes"),
    path("catalog/changes/<int:change_id>/", views.change_detail, name="change"),
    path("catalog/changes/<int:change_id>/review/", views.change_review, name="change_review"),
    path("catalog/changes/<int:change_id>/withdraw/", views.change_withdraw, name="change_withdraw"),
    path("catalog/publish/", views.publish, name="publish"),
    path("catalog/mappings/", views.mappings, name="mappings"),
    path("catalog/mappings/template.xlsx", views.mapping_template, name="mapping_template"),
    path("catalog/mappings/<int:mapping_id>/", views.mapping_detail, name="mapping"),
    path("catalog/mappings/<int:mapping_id>/rows/<int:row_id>/decision/", views.mapping_decide,
         name="mapping_decide"),
    path("catalog/fusion/", views.fusion, name="fusion"),
    path("public/catalog/", views.public_list, name="public_list"),
    path("public/catalog/export.xlsx", views.export, name="public_export"),
    path("public/catalog/<str:code>/", views.public_item, name="public_item"),
]
