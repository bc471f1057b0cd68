from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "jianguan.leaders"
    label = "leaders"
    verbose_name = "领导驾驶舱"
