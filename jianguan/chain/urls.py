from django.urls import path

from . import views

app_name = "chain"
urlpatterns = [path("subjects/<str:uscc>/", views.entity_chain, name="entity")]
