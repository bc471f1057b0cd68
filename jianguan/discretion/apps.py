from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "jianguan.discretion"
    label = "discretion"
    verbose_name = "行政处罚裁量权基准"
