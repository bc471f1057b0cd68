from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "jianguan.joint"
    label = "joint"
    verbose_name = "联合监管"
