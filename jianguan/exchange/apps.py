from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "jianguan.exchange"
    label = "exchange"
    verbose_name = "数据交换"
