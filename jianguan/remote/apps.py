from django.apps import AppConfig


class RemoteConfig(AppConfig):
    name = "jianguan.remote"
    label = "remote"
    verbose_name = "非现场监管"
