from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "jianguan.laws"
    label = "laws"
    verbose_name = "知识库"
