from django.urls import path

from . import views, visit_views

app_name = "joint"
urlpatterns = [
    path("joint/", views.plan_list, name="plans"),
    path("joint/scenarios/", views.scenario_list, name="scenarios"),
    path("joint/metrics/", views.metrics_page, name="metrics"),
    path("joint/metrics/xlsx/", views.metrics_xlsx, name="metrics_xlsx"),
    path("joint/plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("joint/plans/<int:plan_id>/act/", views.plan_act, name="plan_act"),
    path("joint/merges/<int:proposal_id>/", views.merge_detail, name="merge"),
    path("joint/merges/<int:proposal_id>/act/", views.merge_act, name="merge_act"),
    path("joint/entities/<str:uscc>/", views.entity_visits, name="entity_visits"),
    path("joint/tasks/<int:task_id>/", visit_views.task_detail, name="task"),
    path("joint/tasks/<int:task_id>/visits/", visit_views.visit_open, name="visit_open"),
    path("joint/visits/<int:visit_id>/", visit_views.visit_detail, name="visit"),
    path("joint/visits/<int:visit_id>/results/", visit_views.visit_results, name="visit_results"),
    path("joint/visits/<int:visit_id>/clues/", visit_views.visit_hand_over, name="visit_hand_over"),
    path("joint/visits/<int:visit_id>/close/", visit_views.visit_close, name="visit_close"),
    path("joint/visits/<int:visit_id>/record/", visit_views.visit_record, name="visit_record"),
]
