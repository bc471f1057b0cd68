from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jianguan.evaluation"
    label = "evaluation"
    verbose_name = "部门考核"
