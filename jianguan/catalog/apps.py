from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "jianguan.catalog"
    label = "catalog"
    verbose_name = "监管事项清单"
