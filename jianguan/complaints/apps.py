from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "jianguan.complaints"
    label = "complaints"
    verbose_name = "投诉举报信息库"
