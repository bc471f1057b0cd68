from django.apps import AppConfig


class BehaviourConfig(AppConfig):
    name = "jianguan.behaviour"
    label = "behaviour"
    verbose_name = "监管行为信息库"
