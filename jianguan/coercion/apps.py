from django.apps import AppConfig


class CoercionConfig(AppConfig):
    name = "jianguan.coercion"
    label = "coercion"
    verbose_name = "行政强制"
