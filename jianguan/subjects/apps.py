from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "jianguan.subjects"
    label = "subjects"
    verbose_name = "监管对象"
