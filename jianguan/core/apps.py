from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jianguan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models import IntegerField

        from .lookups import Among

        IntegerField.register_lookup(Among)
