from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "jianguan.enforcement"
    label = "enforcement"
    verbose_name = "执法办案"
