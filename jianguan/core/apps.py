from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jianguan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models import Field

        from .lookups import Among

        Field.register_lookup(Among)
