from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "jianguan.risk"
    label = "risk"
    verbose_name = "风险预警"
