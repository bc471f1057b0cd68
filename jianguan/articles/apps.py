from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "jianguan.articles"
    label = "articles"
    verbose_name = "监管动态与曝光台"
