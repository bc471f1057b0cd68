from django.apps import AppConfig


class CasebookConfig(AppConfig):
    name = "jianguan.casebook"
    label = "casebook"
    verbose_name = "案例库"
