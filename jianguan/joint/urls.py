from django.urls import path

from . import views

app_name = "joint"
urlpatterns = [
    path("joint/", views.plan_list, name="plans"),
    path("joint/scenarios/", views.scenario_list, name="scenarios"),
    path("joint/metrics/", views.metrics_page, name="metrics"),
    path("joint/metrics/xlsx/", views.metrics_xlsx, name="metrics_xlsx"),
    path("joint/plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("joint/plans/<int:plan_id>/act/", views.plan_act, name="plan_act"),
    path("joint/merges/<int:proposal_id>/act/", views.merge_act, name="merge_act"),
    path("joint/entities/<str:uscc>/", views.entity_visits, name="entity_visits"),
]
