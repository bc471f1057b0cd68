from django.apps import AppConfig


class ChainConfig(AppConfig):
    name = "jianguan.chain"
    label = "chain"
    verbose_name = "监管信息链"
