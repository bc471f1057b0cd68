from django.urls import path

from . import public_views, views

app_name = "articles"
urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/new/", views.article_new, name="new"),
    path("articles/exposure/", views.exposure_new, name="exposure_new"),
    path("articles/<int:article_id>/", views.article_detail, name="detail"),
    path("articles/<int:article_id>/edit/", views.article_edit, name="edit"),
    path("articles/<int:article_id>/act/", views.article_act, name="act"),
    path("articles/<int:article_id>/images/", views.image_upload, name="image_upload"),
    path("articles/images/<int:image_id>/", views.image, name="image"),
    path("public/articles/<slug:column>/", public_views.public_list, name="public_list"),
    path("public/exposure/", public_views.public_exposure, name="public_exposure"),
    path("public/article/<int:article_id>/", public_views.public_article, name="public_article"),
    path("public/article/images/<int:image_id>/", public_views.public_image, name="public_image"),
]
