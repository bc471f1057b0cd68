from django.urls import path

from . import credit_views, views

app_name = "spotchecks"
urlpatterns = [
    path("spotchecks/", views.index, name="index"),
    path("spotchecks/plans/<int:plan_id>/act/", views.plan_act, name="plan_act"),
    path("spotchecks/tasks/new/", views.task_create, name="task_create"),
    path("spotchecks/tasks/<int:task_id>/", views.task_detail, name="task"),
    path("spotchecks/tasks/<int:task_id>/act/", views.task_act, name="task_act"),
    path("spotchecks/draws/<int:draw_id>/transcript.json", views.transcript, name="transcript"),
    path("spotchecks/checks/", views.my_checks, name="my_checks"),
    path("spotchecks/inspectors/", views.directory, name="directory"),
    path("spotchecks/policy/", credit_views.policy_page, name="policy"),
    path("spotchecks/key-supervision/", credit_views.key_supervision, name="key_supervision"),
    path("spotchecks/validation/", credit_views.validation_page, name="validation"),
    path("spotchecks/validation/xlsx/", credit_views.validation_xlsx, name="validation_xlsx"),
    path("spotchecks/checks/<int:result_id>/", views.check, name="check"),
    path("public/spotchecks/", views.public_index, name="public_index"),
    path("public/spotchecks/tasks/<int:task_id>/", views.public_task, name="public_task"),
    path("public/spotchecks/draws/<int:draw_id>/transcript.json", views.public_transcript,
         name="public_transcript"),
]
