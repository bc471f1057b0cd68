from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "jianguan.opendata"
    label = "opendata"
    verbose_name = "开放数据"
