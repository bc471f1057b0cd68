from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "jianguan.redaction"
    label = "redaction"
    verbose_name = "公示信息隐去"
